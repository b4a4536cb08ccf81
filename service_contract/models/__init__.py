from . import res_company
from . import res_config_settings
from . import service_contract
from . import service_contract_period
from . import service_contract_usage
from . import helpdesk_ticket
from . import res_partner
