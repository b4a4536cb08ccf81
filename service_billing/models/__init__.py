from . import (
    account_move,
    account_move_line,
    helpdesk_ticket,
    helpdesk_ticket_charge,
    res_company,
    res_config_settings,
    service_billing_run,
    service_contract,
    service_contract_overage_tier,
    service_contract_period,
    service_contract_usage,
    service_dunning_level,
)
