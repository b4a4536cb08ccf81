from odoo import fields, models


class ServiceContract(models.Model):
    _inherit = "service.contract"

    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        tracking=True,
        check_company=True,
        help="Response and resolution targets of the contract's tickets. "
        "Changing it moves the clocks of its open tickets.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "sla_policy_id" in vals:
            open_tickets = self.ticket_ids.filtered(lambda t: not t.stage_id.closed)
            open_tickets.sudo().write({"sla_policy_id": vals["sla_policy_id"]})
        return result
