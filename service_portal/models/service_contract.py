from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date, formatLang


class ServiceContract(models.Model):
    _name = "service.contract"
    _inherit = ["service.contract", "portal.mixin"]
    # Contacts who may read a contract in the portal may also write to its
    # account manager through the contract's message thread.
    _mail_post_access = "read"

    portal_visibility = fields.Selection(
        [
            ("customer", "Every contact of the customer"),
            ("authorized", "Authorized contacts only"),
        ],
        string="Visible in the Portal to",
        default="customer",
        required=True,
        help="Who among the customer's contacts sees this contract in the portal. "
        "Authorized contacts only: the contacts allowed to open tickets on it "
        "(every contact when the contract names none).",
    )

    def _compute_access_url(self):
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"

    @api.model
    def _portal_domain(self):
        """Contracts listed in the user's portal: those of their customer,
        not drafts (record rules say the same for portal users; employees
        see their own company's contracts there, not every customer's)."""
        return [
            ("partner_id", "=", self.env.user.commercial_partner_id.id),
            ("state", "!=", "draft"),
        ]

    def _portal_format_qty(self, quantity):
        """A quantity in the contract's allowance unit, as customers read it:
        "12.50 h", "3 tickets", "$ 1,200.00"."""
        self.ensure_one()
        if self.allowance_type == "amount":
            return format_amount(self.env, quantity, self.currency_id)
        digits = 0 if self.allowance_type == "tickets" else 2
        return f"{formatLang(self.env, quantity, digits=digits)} {self.allowance_unit}"

    def _portal_consumption_by_month(self, months=12):
        """Posted usage per month over the last ``months`` months of the
        contract, for the portal chart: a list of dicts with the month's
        label, quantity, overage and bar height (percent of the largest
        month). One grouped read."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        last = min(today, self.date_end or today).replace(day=1)
        first = max(
            self.date_start.replace(day=1), last - relativedelta(months=months - 1)
        )
        groups = self.env["service.contract.usage"]._read_group(
            [
                ("contract_id", "=", self.id),
                ("date", ">=", first),
                ("date", "<", last + relativedelta(months=1)),
            ],
            ["date:month", "is_overage"],
            ["quantity:sum"],
        )
        by_month = {}
        for month, is_overage, quantity in groups:
            total, overage = by_month.get(month, (0.0, 0.0))
            by_month[month] = (
                total + quantity,
                overage + (quantity if is_overage else 0.0),
            )
        bars = []
        month = first
        while month <= last:
            quantity, overage = by_month.get(month, (0.0, 0.0))
            bars.append(
                {
                    "label": format_date(self.env, month, date_format="MMM"),
                    "title": format_date(self.env, month, date_format="MMMM y"),
                    "quantity": quantity,
                    "overage": overage,
                }
            )
            month += relativedelta(months=1)
        peak = max((bar["quantity"] for bar in bars), default=0.0)
        for bar in bars:
            bar["height"] = (
                round(100.0 * max(bar["quantity"], 0.0) / peak) if peak > 0 else 0
            )
            bar["overage_height"] = (
                round(100.0 * max(bar["overage"], 0.0) / peak) if peak > 0 else 0
            )
        return bars
