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
    duplicate_window_days = fields.Integer(
        string="Duplicate Window (days)",
        default=7,
        help="Open tickets of the same customer created this many days before "
        "or after a ticket are compared with it.",
    )
    duplicate_threshold = fields.Integer(
        string="Duplicate Similarity Threshold (%)",
        default=30,
        help="How similar (0-100) two tickets' title and description must be "
        "for one to be shown as a likely duplicate of the other, or as a "
        "known solution.",
    )

    _sql_constraints = [
        (
            "duplicate_window_days_positive",
            "CHECK(duplicate_window_days >= 0)",
            "The duplicate window cannot be negative.",
        ),
        (
            "duplicate_threshold_percent",
            "CHECK(duplicate_threshold BETWEEN 1 AND 100)",
            "The duplicate similarity threshold is a percentage from 1 to 100.",
        ),
    ]
