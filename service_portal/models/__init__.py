from . import helpdesk_ticket, service_contract, service_visit
