from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The months of each periodicity (service periods, status reports).
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


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
        return super()._computed_figures() | {"ticket_count"}

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
