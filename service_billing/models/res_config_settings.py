from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_product_id = fields.Many2one(
        related="company_id.service_product_id", readonly=False
    )
    service_hours_product_id = fields.Many2one(
        related="company_id.service_hours_product_id", readonly=False
    )
    service_journal_id = fields.Many2one(
        related="company_id.service_journal_id", readonly=False
    )
    service_invoice_grouping = fields.Selection(
        related="company_id.service_invoice_grouping", readonly=False
    )
    service_auto_post = fields.Boolean(
        related="company_id.service_auto_post", readonly=False
    )
    service_invoice_on_close = fields.Boolean(
        related="company_id.service_invoice_on_close", readonly=False
    )
    service_travel_product_id = fields.Many2one(
        related="company_id.service_travel_product_id", readonly=False
    )
    travel_rate = fields.Monetary(
        related="company_id.travel_rate",
        readonly=False,
        currency_field="service_currency_id",
    )
    visit_approval_required = fields.Boolean(
        related="company_id.visit_approval_required", readonly=False
    )
