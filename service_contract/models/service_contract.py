from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.anchored_calendar import (
    ONE_DAY,
    anchored_periods,
    anchored_term_end,
    next_anchored_date,
)

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
CONSUMPTION_FIELDS = (
    "allowance_total_qty",
    "consumed_qty",
    "remaining_qty",
    "consumed_percent",
    "overage_qty",
)


class ServiceContract(models.Model):
    _name = "service.contract"
    _description = "Service Contract"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "service.computed.figures.mixin",
    ]
    _order = "sequence, date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "code", "partner_id.name"]

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        string="Reference", default="/", readonly=True, copy=False, index=True
    )
    sequence = fields.Integer(
        default=10,
        help="Draw order: where several contracts of a customer apply, tickets "
        "pick the first, and hours beyond its allowance draw the next ones.",
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date", tracking=True, help="Leave empty for an open-ended contract."
    )
    description = fields.Html(string="Clauses")
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives the contract's alerts and is the default assignee of "
        "its tickets.",
    )
    team_id = fields.Many2one("helpdesk.ticket.team", tracking=True)
    authorized_partner_ids = fields.Many2many(
        "res.partner",
        "service_contract_authorized_partner_rel",
        "contract_id",
        "partner_id",
        string="Authorized Contacts",
        help="Contacts allowed to open tickets. Empty: every contact of the customer.",
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        string="Covered Categories",
        help="Ticket categories the contract covers. Empty: all.",
    )

    # Allowance
    allowance_type = fields.Selection(
        [
            ("time", "Coverage Only"),
            ("hours", "Hours"),
            ("tickets", "Tickets"),
            ("amount", "Amount"),
        ],
        default="hours",
        required=True,
        tracking=True,
    )
    allowance_qty = fields.Float(
        string="Allowance", tracking=True, digits="Product Unit of Measure"
    )
    allowance_scope = fields.Selection(
        [("contract", "Whole Contract"), ("period", "Each Service Period")],
        default="contract",
        required=True,
        help="One bank for the whole contract, or an allowance that resets "
        "every service period.",
    )
    allowance_unit = fields.Char(compute="_compute_allowance_unit")
    allowance_total_qty = fields.Float(
        string="Available",
        compute="_compute_consumption",
        store=True,
        help="Allowance of the current scope, with the units carried over "
        "from the previous period.",
    )
    consumed_qty = fields.Float(
        string="Consumed", compute="_compute_consumption", store=True
    )
    remaining_qty = fields.Float(
        string="Remaining", compute="_compute_consumption", store=True
    )
    consumed_percent = fields.Float(
        string="Consumed (%)", compute="_compute_consumption", store=True
    )
    overage_qty = fields.Float(
        string="Overage", compute="_compute_consumption", store=True
    )
    in_progress_qty = fields.Float(
        string="In Progress",
        compute="_compute_in_progress_qty",
        help="Work logged on tickets not yet closed: not yet counted.",
    )
    hourly_rate = fields.Monetary(
        help="Values an hour of work for amount allowances and billing."
    )
    time_rounding_minutes = fields.Integer(
        string="Round Up To (min)",
        default=15,
        help="Each closed ticket's time is rounded up to a multiple of this.",
    )
    min_ticket_minutes = fields.Integer(
        string="Minimum per Ticket (min)",
        help="Each closed ticket with time logged counts at least this.",
    )
    rollover_percent = fields.Float(
        string="Rollover (%)",
        help="Share of a period's unused allowance carried into the next "
        "period; carried units expire with that period.",
    )
    rollover_max_qty = fields.Float(
        string="Rollover Cap", help="Most units carried over. Zero: no cap."
    )
    enforcement = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        default="warn",
        required=True,
        help="Warn: tickets are accepted and the warning says why. Block: new "
        "tickets on an exhausted, expired or unpaid contract are refused. "
        "Work already in progress can always be closed.",
    )

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

    ticket_ids = fields.One2many("helpdesk.ticket", "contract_id")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    usage_ids = fields.One2many("service.contract.usage", "contract_id")

    # Equipment, maintenance and the signed document
    equipment_ids = fields.Many2many(
        "service.equipment",
        "service_contract_equipment_rel",
        "contract_id",
        "equipment_id",
        string="Covered Equipment",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="Tickets about this equipment pick this contract first. Empty: the "
        "contract covers no equipment in particular.",
    )
    maintenance_plan_ids = fields.One2many(
        "service.maintenance.plan", "contract_id", string="Maintenance Plans"
    )
    signed_scan = fields.Binary(string="Signed Copy", attachment=True, copy=False)
    signed_scan_name = fields.Char(copy=False)
    is_signed = fields.Boolean(
        string="Signed", compute="_compute_is_signed", store=True, tracking=True
    )

    # Alerts and renewal
    alert_threshold_percent = fields.Float(string="Alert at (%)", default=80)
    alert_days_before_end = fields.Integer(default=30)
    alert_threshold_sent = fields.Boolean(copy=False)
    alert_exhausted_sent = fields.Boolean(copy=False)
    alert_ending_sent = fields.Boolean(copy=False)
    auto_renew = fields.Boolean(string="Renew Automatically", tracking=True)
    renewal_months = fields.Integer(default=12)
    report_frequency = fields.Selection(
        [("none", "None"), ("monthly", "Monthly"), ("quarterly", "Quarterly")],
        string="Status Reports",
        default="none",
        required=True,
        tracking=True,
        help="A status report of each period, anchored on the contract's start, "
        "is e-mailed to the recipients once the period has ended.",
    )
    report_partner_ids = fields.Many2many(
        "res.partner",
        "service_contract_report_partner_rel",
        "contract_id",
        "partner_id",
        string="Report Recipients",
        domain="[('id', 'child_of', partner_id)]",
        help="Contacts of the customer who receive the status reports.",
    )
    report_next_date = fields.Date(
        string="Next Report",
        compute="_compute_report_next_date",
        store=True,
        readonly=False,
        copy=False,
        help="The day the next status report is due: the day after its period.",
    )
    status_report_ids = fields.One2many(
        "service.contract.status.report", "contract_id", string="Status Reports Sent"
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The contract reference must be unique per company.",
        ),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(name)s: the end date %(end)s is before the "
                        "start date %(start)s.",
                        name=contract.display_name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains(
        "allowance_qty",
        "rollover_percent",
        "rollover_max_qty",
        "hourly_rate",
        "time_rounding_minutes",
        "min_ticket_minutes",
        "renewal_months",
    )
    def _check_non_negative(self):
        for contract in self:
            if contract.allowance_qty < 0:
                raise ValidationError(self.env._("The allowance cannot be negative."))
            if not 0 <= contract.rollover_percent <= 100:
                raise ValidationError(
                    self.env._("The rollover must lie between 0 and 100 %.")
                )
            if (
                min(
                    contract.rollover_max_qty,
                    contract.hourly_rate,
                    contract.time_rounding_minutes,
                    contract.min_ticket_minutes,
                    contract.renewal_months,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Rates, rounding, caps and renewal months cannot be negative."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            if vals.get("code", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["code"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("service.contract")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        return super().write(vals)

    def _computed_figures(self):
        return super()._computed_figures() | {
            *CONSUMPTION_FIELDS,
            "in_progress_qty",
            "current_period_id",
            "overdue_period_count",
            "ticket_count",
        }

    @api.depends("report_frequency", "date_start")
    def _compute_report_next_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            months = PERIOD_MONTHS.get(contract.report_frequency)
            contract.report_next_date = (
                months
                and contract.date_start
                and next_anchored_date(contract.date_start, today, months)
            )

    def _status_report_lines(self, date_from, date_to):
        """The sentences of the status report of ``date_from`` to
        ``date_to``, in the language of the environment. A hook: the SLA and
        billing modules add theirs."""
        self.ensure_one()
        tickets = self.env["helpdesk.ticket"].sudo()
        period_figures = self._status_report_usage(date_from, date_to)
        lines = [
            self.env._(
                "Used in the period: %(used)s %(unit)s.",
                used=round(period_figures, 2),
                unit=self.allowance_unit,
            ),
        ]
        if self.allowance_type != "time":
            lines.append(
                self.env._(
                    "Allowance used: %(consumed)s of %(total)s %(unit)s; "
                    "%(remaining)s %(unit)s left.",
                    consumed=round(self.consumed_qty, 2),
                    total=round(self.allowance_total_qty, 2),
                    remaining=round(self.remaining_qty, 2),
                    unit=self.allowance_unit,
                )
            )
        open_count = tickets.search_count(
            [("contract_id", "=", self.id), ("stage_id.closed", "=", False)]
        )
        closed_count = tickets.search_count(
            [
                ("contract_id", "=", self.id),
                ("stage_id.closed", "=", True),
                ("closed_date", ">=", date_from),
                ("closed_date", "<", date_to + ONE_DAY),
            ]
        )
        lines.append(
            self.env._(
                "Tickets closed in the period: %(closed)s; tickets open now: %(open)s.",
                closed=closed_count,
                open=open_count,
            )
        )
        return lines

    def _status_report_attachment(self, date_from, date_to):
        """The usage report PDF of ``date_from`` to ``date_to``, attached to
        the contract."""
        self.ensure_one()
        wizard = self.env["service.contract.usage.report"].create(
            {"contract_id": self.id, "date_from": date_from, "date_to": date_to}
        )
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "service_contract.action_report_contract_usage", wizard.ids
        )
        code = (self.code or self.name).replace("/", "-")
        return self.env["ir.attachment"].create(
            {
                "name": f"{code}_usage_{date_from}_{date_to}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _status_report_usage(self, date_from, date_to):
        """The quantity counted from ``date_from`` to ``date_to``."""
        groups = (
            self.env["service.contract.usage"]
            .sudo()
            ._read_group(
                [
                    ("contract_id", "=", self.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                [],
                ["quantity:sum"],
            )
        )
        return groups[0][0] or 0.0

    @api.depends("code", "name")
    def _compute_display_name(self):
        for contract in self:
            contract.display_name = (
                f"[{contract.code}] {contract.name}"
                if contract.code and contract.code != "/"
                else contract.name
            )

    @api.depends("allowance_type", "currency_id")
    def _compute_allowance_unit(self):
        units = {
            "hours": self.env._("h"),
            "tickets": self.env._("tickets"),
            "time": self.env._("h"),
        }
        for contract in self:
            contract.allowance_unit = units.get(
                contract.allowance_type, contract.currency_id.symbol or ""
            )

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

    @api.depends("signed_scan")
    def _compute_is_signed(self):
        for contract in self:
            contract.is_signed = bool(contract.signed_scan)

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.ticket_count = counts.get(contract, 0)

    @api.depends(
        "allowance_type",
        "allowance_qty",
        "allowance_scope",
        "usage_ids.quantity",
        "usage_ids.period_id",
        "period_ids.date_start",
        "period_ids.date_end",
        "period_ids.carried_qty",
    )
    def _compute_consumption(self):
        """Posted usage of the current scope: the whole contract, or the
        current service period (read from the ledger in one grouped query)."""
        today = fields.Date.context_today(self)
        usage_by_period = self.env["service.contract.usage"]._usage_by_period(
            self._origin
        )
        for contract in self:
            period = contract._origin._period_on(today)
            allowance, consumed, overage = contract._scope_figures(
                usage_by_period.get(contract._origin.id, {}), period
            )
            contract.allowance_total_qty = allowance
            contract.consumed_qty = consumed
            contract.overage_qty = overage
            contract.remaining_qty = max(allowance - consumed, 0.0)
            contract.consumed_percent = (
                100.0 * consumed / allowance if allowance else 0.0
            )

    def _refresh_consumption(self):
        """Recomputes the stored consumption now: a period-scope allowance
        turns over when a new period starts, with no change to any field."""
        for name in CONSUMPTION_FIELDS:
            self.env.add_to_compute(self._fields[name], self)
        self.flush_recordset(list(CONSUMPTION_FIELDS))

    def _scope_figures(self, usage_by_period, period):
        """(allowance, consumed, overage) of the scope the ``period`` belongs
        to, from ``{period_id: (quantity, overage)}``."""
        self.ensure_one()
        if self.allowance_type == "time":
            consumed = sum(q for q, _o in usage_by_period.values())
            return 0.0, consumed, 0.0
        if self.allowance_scope == "period":
            quantity, overage = usage_by_period.get(period.id, (0.0, 0.0))
            return self.allowance_qty + period.carried_qty, quantity, overage
        quantity = sum(q for q, _o in usage_by_period.values())
        overage = sum(o for _q, o in usage_by_period.values())
        return self.allowance_qty, quantity, overage

    @api.depends("ticket_ids.stage_id", "ticket_ids.total_hours")
    def _compute_in_progress_qty(self):
        """Work logged on open tickets, from their stored total of hours: one
        grouped read whatever the number of tickets."""
        open_tickets = {
            contract: (count, hours)
            for contract, count, hours in self.env["helpdesk.ticket"]._read_group(
                [("contract_id", "in", self.ids), ("stage_id.closed", "=", False)],
                ["contract_id"],
                ["__count", "total_hours:sum"],
            )
        }
        for contract in self:
            count, hours = open_tickets.get(contract, (0, 0.0))
            contract.in_progress_qty = contract._to_allowance_units(hours, count)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        # Refused to whoever may not change the contracts, even those
        # active already (nothing to write then).
        self.check_access("write")
        contracts = self.filtered(lambda c: c.state != "active")
        for contract in contracts:
            if contract.state not in ("draft", "expired"):
                raise UserError(
                    self.env._(
                        "Only draft contracts can be activated: %s",
                        contract.display_name,
                    )
                )
            if contract.allowance_scope == "period" and not contract.period_ids:
                contract.action_generate_periods()
        contracts.write({"state": "active"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_renew(self, months=None):
        """Extends the contract by ``renewal_months`` (its service periods
        too) and clears the alerts of the old term."""
        for contract in self:
            if not contract.date_end:
                raise UserError(
                    self.env._(
                        "%s is open-ended: there is nothing to renew.",
                        contract.display_name,
                    )
                )
            if contract.state == "cancelled":
                raise UserError(
                    self.env._(
                        "%s is cancelled and cannot be renewed.", contract.display_name
                    )
                )
            add = months or contract.renewal_months or 12
            had_periods = bool(contract.period_ids)
            contract.write(
                {
                    "date_end": anchored_term_end(
                        contract.date_start, contract.date_end, add
                    ),
                    "state": "active",
                    "alert_ending_sent": False,
                }
            )
            if had_periods:
                contract._generate_periods()
            contract.message_post(
                body=self.env._("Renewed until %s.", contract.date_end),
            )
        return True

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

    def _prepare_period_vals(self, date_start, date_end):
        """Values of the service period from ``date_start`` to ``date_end``."""
        self.ensure_one()
        payment_mode = self.payment_mode or "prepaid"
        due = self.env["service.contract.period"]._due_date_of(
            date_start, date_end, payment_mode
        )
        return {
            "contract_id": self.id,
            "date_start": date_start,
            "date_end": date_end,
            "amount": self.period_amount,
            "payment_mode": payment_mode,
            "reminder_date": due - relativedelta(days=self.reminder_days),
        }

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._action_open_tickets("contract_id", self)

    def action_view_usage(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_contract.service_contract_usage_action"
        )
        action.update(domain=[("contract_id", "=", self.id)], context={})
        return action

    # ------------------------------------------------------------------
    # Ticket matching (used by helpdesk.ticket; batched by customer)
    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # Contract terms: the one place of the rules that coverage, the ledger,
    # billing, the portal and reports apply
    # ------------------------------------------------------------------
    @api.model
    def _in_force_domain(self, date):
        """Domain of the contracts in force on ``date``."""
        return [
            ("state", "=", "active"),
            ("date_start", "<=", date),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", date),
        ]

    def _is_in_force(self, date):
        self.ensure_one()
        return bool(self.filtered_domain(self._in_force_domain(date)))

    def _period_on(self, date):
        """The service period that contains ``date`` (empty if none)."""
        self.ensure_one()
        return self.period_ids.filtered(
            lambda period: period.date_start <= date <= period.date_end
        )[:1]

    def _hourly_value(self):
        """What an hour of work is worth: the contract's rate, else the
        company's default rate."""
        self.ensure_one()
        return self.hourly_rate or self.company_id.service_hourly_rate

    def _to_allowance_units(self, hours, tickets=1):
        """How much ``hours`` of work on ``tickets`` tickets draw from the
        allowance, in its unit."""
        self.ensure_one()
        if self.allowance_type == "tickets":
            return tickets
        if self.allowance_type == "amount":
            return hours * self._hourly_value()
        return hours

    def _prepare_ticket_defaults(self):
        """What a new ticket under the contract takes where it says nothing
        itself."""
        self.ensure_one()
        return {"user_id": self.user_id.id, "team_id": self.team_id.id}

    @api.model
    def _applicable_contracts_by_partner(self, commercial_partners, date):
        """Active contracts valid on ``date``, grouped by customer, in draw
        order. One query whatever the number of customers."""
        contracts = self.search(
            [("partner_id", "in", commercial_partners.ids)]
            + self._in_force_domain(date)
        )
        # grouped() keeps the prefetch of the whole search: the contracts'
        # categories and contacts are then read once for all customers.
        return {
            partner.id: group
            for partner, group in contracts.grouped("partner_id").items()
        }

    def _covers(self, contact, category, equipment=None):
        """Whether this contract plainly accepts a ticket from ``contact`` in
        ``category`` about ``equipment`` (the checks that choose between
        contracts)."""
        self.ensure_one()
        return (
            self._covers_contact(contact)
            and self._covers_category(category)
            and self._covers_equipment(equipment)
        )

    def _covers_contact(self, contact):
        return (
            not self.authorized_partner_ids
            or not contact
            or (contact in self.authorized_partner_ids)
        )

    def _covers_category(self, category):
        return not self.category_ids or not category or category in self.category_ids

    def _covers_equipment(self, equipment):
        return (
            not equipment or not self.equipment_ids or equipment in self.equipment_ids
        )

    # ------------------------------------------------------------------
    # Alerts
    # ------------------------------------------------------------------
    def _send_alert(self, subject, message, extra_emails=None):
        """Activity and e-mail to the account manager."""
        template = self.env.ref("service_contract.mail_template_contract_alert")
        for contract in self:
            user = contract.user_id or self.env.user
            # The e-mail below is the notice: no second "assigned to you" mail.
            contract.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=subject,
                note=message,
            )
            email_values = {}
            if extra_emails:
                email_values["email_to"] = ",".join(
                    filter(None, [user.email_formatted, extra_emails])
                )
            template.with_context(
                alert_subject=subject, alert_message=message
            ).send_mail(contract.id, email_values=email_values)

    def _check_consumption_alerts(self):
        """Threshold and exhaustion alerts, once per crossing: a flag is set
        when an alert goes out and cleared when consumption falls back."""
        for contract in self.filtered(
            lambda c: c.state == "active" and c.allowance_type != "time"
        ):
            crossed = contract.allowance_total_qty and (
                contract.consumed_percent >= contract.alert_threshold_percent
            )
            exhausted = contract.allowance_total_qty and contract.remaining_qty <= 0
            if crossed and not contract.alert_threshold_sent:
                contract._send_alert(
                    self.env._(
                        "%(pct)s %% of the allowance used",
                        pct=round(contract.consumed_percent),
                    ),
                    self.env._(
                        "%(contract)s has used %(consumed)s of %(total)s %(unit)s.",
                        contract=contract.display_name,
                        consumed=round(contract.consumed_qty, 2),
                        total=round(contract.allowance_total_qty, 2),
                        unit=contract.allowance_unit,
                    ),
                )
            if exhausted and not contract.alert_exhausted_sent:
                contract._send_alert(
                    self.env._("Allowance exhausted"),
                    self.env._(
                        "%(contract)s has no allowance left; further work is overage.",
                        contract=contract.display_name,
                    ),
                )
            flags = {
                "alert_threshold_sent": bool(crossed),
                "alert_exhausted_sent": bool(exhausted),
            }
            if any(contract[f] != v for f, v in flags.items()):
                contract.write(flags)

    @api.model
    def _cron_contract_alerts(self):
        today = fields.Date.context_today(self)
        active = self.search([("state", "=", "active")])
        active.filtered(lambda c: c.allowance_scope == "period")._refresh_consumption()
        active._check_consumption_alerts()
        ending = active.filtered(
            lambda c: (
                c.date_end
                and not c.alert_ending_sent
                and not c.auto_renew
                and c.date_end <= today + relativedelta(days=c.alert_days_before_end)
            )
        )
        for contract in ending:
            contract._send_alert(
                self.env._("Contract ending on %s", contract.date_end),
                self.env._(
                    "%(contract)s ends on %(date)s and does not renew by itself.",
                    contract=contract.display_name,
                    date=contract.date_end,
                ),
            )
        ending.write({"alert_ending_sent": True})
        self.env["service.contract.period"]._send_due_reminders(today)

    @api.model
    def _cron_expire_contracts(self):
        """Renews auto-renewing contracts that reached their end; the others
        expire."""
        today = fields.Date.context_today(self)
        ended = self.search(
            [
                ("state", "=", "active"),
                ("date_end", "!=", False),
                ("date_end", "<", today),
            ]
        )
        renewing = ended.filtered("auto_renew")
        for contract in renewing:
            while contract.date_end < today:
                contract.action_renew()
        (ended - renewing).write({"state": "expired"})
        self.env["service.contract.period"]._extend_open_ended(today)
