from . import (
    helpdesk_ticket,
    helpdesk_ticket_badge,
    helpdesk_ticket_escalation,
    helpdesk_ticket_team,
    resource_calendar,
    resource_calendar_leaves,
    service_contract,
    service_sla_clock,
    service_sla_pause,
    service_sla_policy,
    service_sla_policy_line,
)
