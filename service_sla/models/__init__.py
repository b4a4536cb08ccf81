from . import resource_calendar
from . import resource_calendar_leaves
from . import service_sla_policy
from . import service_sla_policy_line
from . import service_sla_pause
from . import service_contract
from . import helpdesk_ticket_team
from . import helpdesk_ticket
