from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class ServiceContractPeriod(models.Model):
    _name = "service.contract.period"
    _inherit = ["service.computed.figures.mixin"]
    _description = "Service Period"
    _order = "contract_id, date_start"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "service.contract", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    name = fields.Char(compute="_compute_name")
    date_start = fields.Date(string="Start", required=True)
    date_end = fields.Date(string="End", required=True)
    amount = fields.Monetary()
    payment_mode = fields.Selection(
        [("prepaid", "Prepaid"), ("postpaid", "Postpaid")],
        default="prepaid",
        required=True,
    )
    due_date = fields.Date(compute="_compute_due_date", store=True, index=True)
    is_paid = fields.Boolean(
        string="Paid",
        compute="_compute_is_paid",
        store=True,
        readonly=False,
        help="Set by hand; where the periods are invoiced, it follows the "
        "payment of the period's invoice.",
    )
    reminder_date = fields.Date(index=True)
    reminder_sent = fields.Boolean(copy=False)
    carried_qty = fields.Float(
        string="Carried Over",
        compute="_compute_carried_qty",
        store=True,
        help="Unused allowance of the previous period carried into this one; "
        "it expires with this period.",
    )
    state = fields.Selection(
        [("upcoming", "Upcoming"), ("current", "Current"), ("closed", "Closed")],
        compute="_compute_state",
        search="_search_state",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )

    def _computed_figures(self):
        return super()._computed_figures() | {
            "state",
            "is_overdue",
            "due_date",
            "carried_qty",
        }

    def _compute_is_paid(self):
        """The hook of the paid status: here it is only set by hand; a module
        that invoices the periods derives it from the invoice's payment (and
        names what it depends on)."""

    @api.constrains("date_start", "date_end", "contract_id")
    def _check_dates(self):
        for period in self:
            contract = period.contract_id
            if period.date_end < period.date_start:
                raise ValidationError(
                    self.env._("A service period cannot end before it starts.")
                )
            if period.date_start < contract.date_start or (
                contract.date_end and period.date_end > contract.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The period %(period)s lies outside the dates of %(contract)s.",
                        period=period.name,
                        contract=contract.display_name,
                    )
                )
        self.flush_model(["date_start", "date_end", "contract_id"])
        self.env.cr.execute(
            """
            SELECT a.id, b.id FROM service_contract_period a
              JOIN service_contract_period b
                ON b.contract_id = a.contract_id AND b.id != a.id
               AND a.date_start <= b.date_end AND b.date_start <= a.date_end
             WHERE a.id IN %(ids)s
             LIMIT 1
            """,
            {"ids": tuple(self.ids)},
        )
        overlap = self.env.cr.fetchone()
        if overlap:
            first, second = self.browse(overlap)
            raise ValidationError(
                self.env._(
                    "The service periods %(a)s and %(b)s of %(contract)s overlap.",
                    a=first.name,
                    b=second.name,
                    contract=first.contract_id.display_name,
                )
            )

    @api.depends("date_start", "date_end")
    def _compute_name(self):
        for period in self:
            period.name = (
                f"{period.date_start} → {period.date_end}"
                if period.date_start and period.date_end
                else self.env._("New period")
            )

    @api.depends("date_start", "date_end", "payment_mode")
    def _compute_due_date(self):
        for period in self:
            period.due_date = self._due_date_of(
                period.date_start, period.date_end, period.payment_mode
            )

    @api.model
    def _due_date_of(self, date_start, date_end, payment_mode):
        """When a period is due: prepaid at its start, postpaid at its end."""
        return date_start if payment_mode == "prepaid" else date_end

    @api.depends(
        "contract_id.allowance_scope",
        "contract_id.allowance_qty",
        "contract_id.rollover_percent",
        "contract_id.rollover_max_qty",
        "contract_id.usage_ids.quantity",
        "contract_id.period_ids.date_start",
    )
    def _compute_carried_qty(self):
        """Walks each contract's periods in order: a period carries in a
        share of the previous period's unused base allowance (the carried
        units are consumed first and never roll twice)."""
        usage_by_period = self.env["service.contract.usage"]._usage_by_period(
            self.contract_id._origin
        )
        carried = {}
        for contract in self.contract_id:
            used = usage_by_period.get(contract._origin.id, {})
            carry_in = 0.0
            for period in contract.period_ids.sorted("date_start"):
                carried[period.id] = carry_in
                if (
                    contract.allowance_scope != "period"
                    or not contract.rollover_percent
                ):
                    carry_in = 0.0
                    continue
                consumed = used.get(period._origin.id, (0.0, 0.0))[0]
                unused = max(
                    contract.allowance_qty - max(consumed - carry_in, 0.0), 0.0
                )
                carry_in = unused * contract.rollover_percent / 100.0
                if contract.rollover_max_qty:
                    carry_in = min(carry_in, contract.rollover_max_qty)
        for period in self:
            period.carried_qty = carried.get(period.id, 0.0)

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for period in self:
            if period.date_start and period.date_start > today:
                period.state = "upcoming"
            elif period.date_end and period.date_end < today:
                period.state = "closed"
            else:
                period.state = "current"

    def _search_state(self, operator, value):
        today = fields.Date.context_today(self)
        domains = {
            "upcoming": [("date_start", ">", today)],
            "current": [("date_start", "<=", today), ("date_end", ">=", today)],
            "closed": [("date_end", "<", today)],
        }
        values = {value} if isinstance(value, str) else set(value)
        if operator in ("!=", "not in"):
            values = set(domains) - values
        elif operator not in ("=", "in"):
            raise NotImplementedError(operator)
        return expression.OR([domains[v] for v in sorted(values)] or [[(0, "=", 1)]])

    @api.depends("is_paid", "due_date")
    @api.depends_context("date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for period in self:
            period.is_overdue = bool(
                not period.is_paid and period.due_date and period.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        today = fields.Date.context_today(self)
        domain = [("is_paid", "=", False), ("due_date", "<", today)]
        return domain if (operator == "=") == value else ["!", "&"] + domain

    @api.model
    def _send_due_reminders(self, today):
        """Period reminders on their reminder date, to the account manager
        and the company's alert address, once each."""
        periods = self.search(
            [
                ("reminder_date", "<=", today),
                ("reminder_sent", "=", False),
                ("is_paid", "=", False),
                ("contract_id.state", "=", "active"),
            ]
        )
        for period in periods:
            contract = period.contract_id
            contract._send_alert(
                self.env._("Service period due on %s", period.due_date),
                self.env._(
                    "The period %(period)s of %(contract)s (%(amount)s %(currency)s, "
                    "%(mode)s) is due on %(due)s.",
                    period=period.name,
                    contract=contract.display_name,
                    amount=period.amount,
                    currency=period.currency_id.name,
                    mode=dict(self._fields["payment_mode"].selection)[
                        period.payment_mode
                    ],
                    due=period.due_date,
                ),
                extra_emails=contract.company_id.service_alert_email,
            )
        periods.write({"reminder_sent": True})

    @api.model
    def _extend_open_ended(self, today):
        """Keeps a year of periods ahead on open-ended contracts that have
        periods."""
        horizon = today + relativedelta(months=11)
        contracts = self.env["service.contract"].search(
            [
                ("state", "=", "active"),
                ("date_end", "=", False),
                ("period_ids", "!=", False),
            ]
        )
        short = contracts.filtered(
            lambda c: max(c.period_ids.mapped("date_end")) < horizon
        )
        if short:
            short.action_generate_periods()
