from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Hourly Rate Currency"
    )
    service_hourly_rate = fields.Monetary(
        related="company_id.service_hourly_rate",
        currency_field="service_currency_id",
        readonly=False,
    )
    service_alert_email = fields.Char(
        related="company_id.service_alert_email", readonly=False
    )
    duplicate_window_days = fields.Integer(
        related="company_id.duplicate_window_days", readonly=False
    )
    duplicate_threshold = fields.Integer(
        related="company_id.duplicate_threshold", readonly=False
    )
