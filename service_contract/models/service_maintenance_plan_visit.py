from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceMaintenancePlan(models.Model):
    """Field service of a maintenance plan: each ticket it creates comes with
    a provisional visit, which its coordinator is reminded to confirm."""

    _inherit = "service.maintenance.plan"

    required_skill_ids = fields.Many2many(
        "hr.skill",
        "service_maintenance_plan_hr_skill_rel",
        "plan_id",
        "skill_id",
        string="Required Skills",
        help="Skills the technicians of the plan's visits need.",
    )
    confirm_days = fields.Integer(
        string="Confirm Visits Ahead (days)",
        default=3,
        help="The coordinator (the plan's assignee, or the contract's account "
        "manager) is asked to confirm each provisional visit this many days "
        "before it.",
    )
    visit_ids = fields.One2many(
        "service.visit", "maintenance_plan_id", string="Field Visits"
    )

    @api.constrains("confirm_days")
    def _check_confirm_days(self):
        if any(plan.confirm_days < 0 for plan in self):
            raise ValidationError(
                self.env._("The days to confirm a visit ahead cannot be negative.")
            )

    def _generate(self, today):
        occurrences = super()._generate(today)
        self.env["service.visit"]._create_for_tickets(occurrences.ticket_ids)
        return occurrences
