from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceSlaPolicyLine(models.Model):
    _name = "service.sla.policy.line"
    _description = "SLA Target per Priority"
    _order = "priority desc, id"

    policy_id = fields.Many2one(
        "service.sla.policy", required=True, ondelete="cascade", index=True
    )
    priority = fields.Selection(
        lambda self: self.env["helpdesk.ticket"]._fields["priority"].selection,
        required=True,
    )
    response_hours = fields.Float(
        string="First Response (h)",
        help="Working hours to the first public reply to the customer.",
    )
    resolution_hours = fields.Float(
        string="Resolution (h)",
        help="Working hours to reaching a closed stage.",
    )
    arrival_hours = fields.Float(
        string="On-site Arrival (h)",
        help="Working hours to a technician's arrival on site, met at the first "
        "visit's check-in (tickets that need a visit only).",
    )

    _sql_constraints = [
        (
            "priority_uniq",
            "unique(policy_id, priority)",
            "A policy has one target line per priority.",
        ),
    ]

    def _target_hours(self, target):
        """Working hours of the line's ``target`` (0: no target)."""
        return {
            "response": self.response_hours,
            "resolution": self.resolution_hours,
            "arrival": self.arrival_hours,
        }[target]

    @api.constrains("response_hours", "resolution_hours", "arrival_hours")
    def _check_hours(self):
        for line in self:
            if min(line.response_hours, line.resolution_hours, line.arrival_hours) < 0:
                raise ValidationError(self.env._("SLA targets cannot be negative."))
            if not (line.response_hours or line.resolution_hours):
                raise ValidationError(
                    self.env._(
                        "Policy %s: give a response or a resolution target for "
                        "each priority (zero means no target).",
                        line.policy_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.policy_id._replan_running_tickets()
        return lines

    def write(self, vals):
        policies = self.policy_id
        result = super().write(vals)
        (policies | self.policy_id)._replan_running_tickets()
        return result

    def unlink(self):
        policies = self.policy_id
        result = super().unlink()
        policies._replan_running_tickets()
        return result
