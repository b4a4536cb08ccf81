from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.anchored_calendar import (
    ONE_DAY,
    anchored_periods,
    next_anchored_date,
)
from .service_contract import PERIOD_MONTHS


class ServiceContract(models.Model):
    """Service periods: their terms, their generation on the calendar anchored
    on the contract's start, the current and the overdue ones."""

    _inherit = "service.contract"

    # Service periods
    period_type = fields.Selection(
        [
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        string="Periodicity",
        default="monthly",
    )
    period_amount = fields.Monetary(string="Fee per Period")
    payment_mode = fields.Selection(
        [("prepaid", "Prepaid"), ("postpaid", "Postpaid")],
        default="prepaid",
        help="Prepaid periods are due at their start, postpaid at their end.",
    )
    reminder_days = fields.Integer(
        default=7, help="The period reminder falls this many days before it is due."
    )
    period_ids = fields.One2many(
        "service.contract.period", "contract_id", string="Service Periods"
    )
    current_period_id = fields.Many2one(
        "service.contract.period", compute="_compute_current_period_id"
    )
    overdue_period_count = fields.Integer(compute="_compute_overdue_period_count")

    def _computed_figures(self):
        return super()._computed_figures() | {
            "current_period_id",
            "overdue_period_count",
        }

    @api.depends("period_ids.date_start", "period_ids.date_end")
    @api.depends_context("date")
    def _compute_current_period_id(self):
        today = fields.Date.context_today(self)
        for contract in self:
            contract.current_period_id = contract._period_on(today)

    def _compute_overdue_period_count(self):
        counts = dict(
            self.env["service.contract.period"]._read_group(
                [("contract_id", "in", self.ids), ("is_overdue", "=", True)],
                ["contract_id"],
                ["__count"],
            )
        )
        for contract in self:
            contract.overdue_period_count = counts.get(contract, 0)

    def action_generate_periods(self):
        """Adds service periods after the last existing one, up to the end of
        the contract (a year ahead for an open-ended contract), on the
        calendar anchored on the contract's start."""
        self._generate_periods()
        return True

    def _generate_periods(self):
        vals_list = []
        today = fields.Date.context_today(self)
        for contract in self:
            if not contract.period_type:
                raise UserError(self.env._("Choose a periodicity first."))
            months = PERIOD_MONTHS[contract.period_type]
            contract._extend_cut_period(months)
            last = max(contract.period_ids.mapped("date_end"), default=None)
            start = last + ONE_DAY if last else contract.date_start
            until = contract.date_end or (
                max(start, today) + relativedelta(years=1) - ONE_DAY
            )
            vals_list += [
                contract._prepare_period_vals(period_start, period_end)
                for period_start, period_end in anchored_periods(
                    contract.date_start,
                    start,
                    until,
                    months,
                    end_limit=contract.date_end,
                )
            ]
        return self.env["service.contract.period"].create(vals_list)

    def _extend_cut_period(self, months):
        """Lengthens the last period where the contract's end cut it short
        and the contract now goes on (after a renewal), so that the next
        period still starts on the anchored date."""
        last = self.period_ids.sorted("date_end")[-1:]
        if not last:
            return
        full_end = (
            next_anchored_date(self.date_start, last.date_start, months) - ONE_DAY
        )
        if self.date_end:
            full_end = min(full_end, self.date_end)
        last.date_end = max(last.date_end, full_end)
