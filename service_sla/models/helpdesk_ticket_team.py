from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="Default SLA Policy",
        check_company=True,
        help="Policy of the team's tickets whose contract has none. Changing it "
        "moves the clocks of those still open.",
    )
