from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    visit_id = fields.Many2one(
        "service.visit",
        index="btree_not_null",
        ondelete="set null",
        help="The field visit this time was spent on.",
    )
