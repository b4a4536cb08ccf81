from odoo import fields, models


class HelpdeskTicket(models.Model):
    """The on-site arrival clock of tickets that need a field visit."""

    _inherit = "helpdesk.ticket"

    def _sla_needs_arrival(self):
        self.ensure_one()
        return any(visit.state != "cancelled" for visit in self.sudo().visit_ids)

    def _sla_arrival_date(self):
        self.ensure_one()
        return min(self.sudo().visit_ids.mapped("check_in") or [False])

    def _sla_visits_changed(self):
        """A visit was planned, cancelled or checked in: the arrival clock
        starts, goes, or is met at the first check-in."""
        tickets = self.sudo().filtered("sla_policy_id")
        if not tickets:
            return
        open_tickets = tickets.filtered(lambda t: not t.stage_id.closed)
        open_tickets._sla_refresh(fields.Datetime.now(), replan=open_tickets)
        tickets._sla_arrived()
