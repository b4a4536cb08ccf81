from collections import defaultdict

from odoo import api, fields, models

from .service_sla_clock import RUNNING, SLA_STATUSES


def _format_hours(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


class HelpdeskTicket(models.Model):
    """The SLA badge of a ticket: the clock the team works against."""

    _inherit = "helpdesk.ticket"

    sla_badge = fields.Char(string="SLA", compute="_compute_sla_badge")
    sla_badge_status = fields.Selection(SLA_STATUSES, compute="_compute_sla_badge")

    @api.depends(
        "sla_clock_ids.status",
        "sla_clock_ids.deadline",
        "sla_first_response_date",
        "stage_id",
        "sla_paused",
    )
    def _compute_sla_badge(self):
        """The clock the team works against (the first response, the on-site
        arrival, then the resolution) with the working time left or overdue,
        or the final result of a closed ticket."""
        now = fields.Datetime.now()
        labels = self.env["service.sla.clock"]._target_labels()
        counts = defaultdict(list)
        for ticket in self:
            badge = status = False
            clock = ticket._sla_outstanding_clock()
            if not clock:
                statuses = set(ticket.sla_clock_ids.mapped("status"))
                result = "breached" if "breached" in statuses else "met"
                if ticket.stage_id.closed and result in statuses:
                    status = result
                    badge = (
                        self.env._("SLA met")
                        if result == "met"
                        else self.env._("SLA breached")
                    )
            elif ticket.sla_paused:
                status = clock.status
                badge = self.env._("%s paused", labels[clock.target])
            else:
                status = clock.status
                deadline = clock.deadline
                span = (now, deadline) if now < deadline else (deadline, now)
                counts[ticket.sla_policy_id.calendar_id].append((ticket, clock, span))
            ticket.sla_badge, ticket.sla_badge_status = badge, status
        for calendar, items in counts.items():
            hours = calendar._sla_count_hours(
                [(start, stop, []) for _t, _c, (start, stop) in items]
            )
            for (ticket, clock, (start, _s)), value in zip(items, hours, strict=True):
                params = {
                    "target": labels[clock.target],
                    "time": _format_hours(value),
                }
                ticket.sla_badge = (
                    self.env._("%(target)s: %(time)s left", **params)
                    if start == now
                    else self.env._("%(target)s: %(time)s overdue", **params)
                )

    def _sla_outstanding_clock(self):
        """The clock still awaited on an open ticket under a policy."""
        none = self.sla_clock_ids.browse()
        if self.stage_id.closed or not self.sla_policy_id:
            return none
        # one pass over the clocks: the badge is shown on every ticket of a list
        clocks = self._sla_clocks_by_target()
        response = clocks.get("response", none)
        if response and not self.sla_first_response_date:
            return response
        arrival = clocks.get("arrival", none)
        if arrival.status in RUNNING:
            return arrival
        return clocks.get("resolution", none)
