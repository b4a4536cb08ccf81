from odoo import fields, models


class ServiceSlaPause(models.Model):
    """A stretch of time during which a ticket's SLA clocks stood still: in
    a pause stage of its policy, or closed until reopened."""

    _name = "service.sla.pause"
    _description = "SLA Clock Pause"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    stage_id = fields.Many2one("helpdesk.ticket.stage", ondelete="set null")
    date_start = fields.Datetime(string="Paused", required=True)
    date_end = fields.Datetime(string="Resumed")

    def _holds(self, now):
        """``(start, stop)`` pairs of the pauses, an open one ending ``now``."""
        return [(pause.date_start, pause.date_end or now) for pause in self]
