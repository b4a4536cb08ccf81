from odoo import fields, models


class HelpdeskTicket(models.Model):
    """The field visits of a ticket."""

    _inherit = "helpdesk.ticket"

    visit_ids = fields.One2many("service.visit", "ticket_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_visit_count")

    def _compute_visit_count(self):
        counts = dict(
            self.env["service.visit"]._read_group(
                [("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.visit_count = counts.get(ticket, 0)

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_contract.service_visit_action"
        )
        action.update(
            domain=[("ticket_id", "=", self.id)],
            context={"default_ticket_id": self.id},
        )
        return action
