import threading
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import split_every

# The reminder levels every company starts with (the data of this module).
DEFAULT_LEVELS = (
    "service_billing.dunning_level_1",
    "service_billing.dunning_level_2",
    "service_billing.dunning_level_3",
)


class ServiceDunningLevel(models.Model):
    """A payment reminder sent once per overdue service invoice when it is
    this many days late; the last level may suspend the contracts' service
    until the invoice is paid."""

    _name = "service.dunning.level"
    _description = "Dunning Level"
    _order = "company_id, days_overdue, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    days_overdue = fields.Integer(
        required=True, help="Sent when an invoice is this late."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        required=True,
        domain=[("model", "=", "account.move")],
    )
    suspend_service = fields.Boolean(
        help="Also suspends the service of the invoice's contracts: new tickets "
        "warn, or are refused where the contract blocks, until the invoice is "
        "paid."
    )

    _sql_constraints = [
        (
            "days_company_uniq",
            "unique(company_id, days_overdue)",
            "Two reminder levels of a company cannot share the same delay.",
        ),
    ]

    @api.constrains("days_overdue")
    def _check_days_overdue(self):
        if any(level.days_overdue < 1 for level in self):
            raise ValidationError(
                self.env._("A reminder goes out one day overdue at the earliest.")
            )

    @api.model
    def _create_default_levels(self, companies=None):
        """Gives each company that has no reminder level yet the product's
        default levels (every company when none are given)."""
        equipped = [
            company.id
            for [company] in self.with_context(active_test=False)._read_group(
                [], ["company_id"]
            )
        ]
        if companies is None:
            companies = self.env["res.company"].search([("id", "not in", equipped)])
        defaults = self.browse(
            [
                level.id
                for xmlid in DEFAULT_LEVELS
                if (level := self.env.ref(xmlid, raise_if_not_found=False))
            ]
        )
        return self.create(
            [
                dict(vals, company_id=company.id)
                for company in companies
                if company.id not in equipped
                for vals in defaults.copy_data()
            ]
        )

    @api.model
    def _cron_send_reminders(self, batch_size=200):
        self._send_reminders(fields.Date.context_today(self), batch_size=batch_size)

    @api.model
    def _send_reminders(self, today, batch_size=200):
        """Sends each overdue service invoice the highest level it has reached
        and not received yet (lower levels it skipped count as sent), in
        batches committed one by one."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        Move = self.env["account.move"]
        levels_by_company = defaultdict(self.browse)
        for level in self.search([("active", "=", True)]):
            levels_by_company[level.company_id] |= level
        todo = []
        for company, levels in levels_by_company.items():
            first = min(levels.mapped("days_overdue"))
            invoices = Move.search(
                [
                    ("company_id", "=", company.id),
                    ("is_service_invoice", "=", True),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<=", today - relativedelta(days=first)),
                ],
                order="id",
            )
            todo += [(invoice, levels) for invoice in invoices]
        done = 0
        for batch in split_every(batch_size, todo):
            for invoice, levels in batch:
                late = (today - invoice.invoice_date_due).days
                reached = levels.filtered(lambda lv, late=late: lv.days_overdue <= late)
                level = reached[-1:]
                if level and level not in invoice.service_dunning_level_ids:
                    invoice._send_reminder(level, reached, today)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
