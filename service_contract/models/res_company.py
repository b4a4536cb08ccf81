from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_hourly_rate = fields.Monetary(
        string="Default Hourly Rate",
        currency_field="currency_id",
        help="Values the hours of tickets billed outside a contract.",
    )
    service_alert_email = fields.Char(
        string="Contract Alerts Address",
        help="Also receives the service period reminders (e.g. the back office).",
    )
