from . import helpdesk_ticket
from . import service_contract
