from . import (
    computed_figures_mixin,
    helpdesk_ticket,
    res_company,
    res_config_settings,
    res_partner,
    service_contract,
    service_contract_period,
    service_contract_status_report,
    service_contract_usage,
    service_equipment,
    service_maintenance_occurrence,
    service_maintenance_plan,
)
