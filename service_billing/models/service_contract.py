from odoo import api, fields, models
from odoo.tools import float_compare, format_amount

# Who reads a contract's revenue, cost and margin.
PROFITABILITY_GROUPS = (
    "service_contract.group_service_contract_manager,account.group_account_invoice"
)


class ServiceContract(models.Model):
    _inherit = "service.contract"

    # Invoicing
    product_id = fields.Many2one(
        "product.product",
        string="Fee Product",
        check_company=True,
        domain=[("type", "=", "service"), ("sale_ok", "=", True)],
        help="Invoices the service periods. Empty: the company's contract fee product.",
    )
    overage_product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain=[("type", "=", "service"), ("sale_ok", "=", True)],
        help="Invoices the units beyond the allowance. Empty: the company's "
        "hours product for hours, the fee product otherwise.",
    )
    overage_price = fields.Monetary(
        compute="_compute_overage_price",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Price of each allowance unit beyond the allowance (an hour, a "
        "ticket, or one unit of money). For hours it follows the hourly rate "
        "unless set.",
    )
    overage_tier_ids = fields.One2many(
        "service.contract.overage.tier",
        "contract_id",
        string="Overage Tiers",
        copy=True,
        help="Optional slices of the overage priced on their own; units beyond "
        "the last tier cost the overage price.",
    )
    travel_rate = fields.Monetary(
        tracking=True,
        help="Price of an hour of a technician's travel to a visit under this "
        "contract. Empty: the company's travel rate.",
    )
    invoice_partner_id = fields.Many2one(
        "res.partner",
        string="Invoice Address",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="Empty: the customer itself.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Invoice Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Empty: the company's service invoices journal.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        check_company=True,
        help="Empty: the customer's payment terms.",
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        check_company=True,
        help="Empty: the fiscal position that applies to the customer.",
    )
    # Every invoice behind the contract, drafts included: for the staff (the
    # portal lists the posted ones its users may read).
    invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_invoice_ids",
        string="Invoices",
        groups="base.group_user",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_ids", groups="base.group_user"
    )

    # Suspension for unpaid invoices (dunning)
    suspension_invoice_ids = fields.Many2many(
        "account.move",
        "service_contract_suspension_invoice_rel",
        "contract_id",
        "move_id",
        string="Suspending Invoices",
        copy=False,
        readonly=True,
    )
    is_suspended = fields.Boolean(
        string="Suspended",
        compute="_compute_is_suspended",
        store=True,
        index=True,
        help="The last dunning level suspended the service for an unpaid "
        "invoice; it resumes by itself once the invoice is paid.",
    )

    # Profitability: the company's figures, for contract managers and
    # invoicing staff only (the groups that read the profitability report).
    revenue = fields.Monetary(
        compute="_compute_profitability",
        currency_field="company_currency_id",
        groups=PROFITABILITY_GROUPS,
    )
    cost = fields.Monetary(
        compute="_compute_profitability",
        currency_field="company_currency_id",
        groups=PROFITABILITY_GROUPS,
    )
    margin = fields.Monetary(
        compute="_compute_profitability",
        currency_field="company_currency_id",
        groups=PROFITABILITY_GROUPS,
        help="Invoiced revenue minus the cost of the time logged on the "
        "contract's tickets.",
    )
    margin_percent = fields.Float(
        string="Margin (%)",
        compute="_compute_profitability",
        groups=PROFITABILITY_GROUPS,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )

    @api.depends("allowance_type", "hourly_rate")
    def _compute_overage_price(self):
        for contract in self:
            if contract.allowance_type in ("hours", "time"):
                contract.overage_price = contract.hourly_rate
            elif contract.allowance_type == "amount":
                contract.overage_price = 1.0

    @api.depends(
        "period_ids.invoice_id",
        "usage_ids.invoice_line_id",
        "ticket_ids.usage_ids.invoice_line_id",
        "ticket_ids.charge_ids.invoice_line_id",
    )
    def _compute_invoice_ids(self):
        groups = dict(
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("service_contract_id", "in", self.ids),
                    ("display_type", "=", "product"),
                ],
                ["service_contract_id"],
                ["move_id:array_agg"],
            )
        )
        for contract in self:
            moves = self.env["account.move"].browse(
                sorted(set(groups.get(contract._origin, [])), reverse=True)
            )
            contract.invoice_ids = moves
            contract.invoice_count = len(moves)

    @api.depends("suspension_invoice_ids.payment_state", "suspension_invoice_ids.state")
    def _compute_is_suspended(self):
        for contract in self:
            contract.is_suspended = bool(
                contract.suspension_invoice_ids._filtered_service_unsettled()
            )

    def _computed_figures(self):
        return super()._computed_figures() | {
            "revenue",
            "cost",
            "margin",
            "margin_percent",
        }

    def _compute_profitability(self):
        # Read as the user: the report's access and record rules decide.
        groups = {
            contract: (revenue, cost)
            for contract, revenue, cost in self.env[
                "service.contract.profitability"
            ]._read_group(
                [("contract_id", "in", self.ids)],
                ["contract_id"],
                ["revenue:sum", "cost:sum"],
            )
        }
        for contract in self:
            revenue, cost = groups.get(contract._origin, (0.0, 0.0))
            contract.revenue = revenue
            contract.cost = cost
            contract.margin = revenue - cost
            contract.margin_percent = (
                100.0 * (revenue - cost) / revenue if revenue else 0.0
            )

    def _fee_product(self):
        self.ensure_one()
        return self.product_id or self.company_id._service_fee_product()

    def _overage_product(self):
        self.ensure_one()
        if self.overage_product_id:
            return self.overage_product_id
        if self.allowance_type == "hours":
            return self.company_id._service_hours_product()
        return self._fee_product()

    def _overage_segments(self, offset, quantity):
        """``[(quantity, price)]`` pricing ``quantity`` units of overage that
        follow the ``offset`` units already invoiced in the same scope: the
        tiers in order, then the overage price. A negative quantity (work
        taken back) is priced at the tiers it came from."""
        self.ensure_one()
        if quantity < 0:
            start = max(offset + quantity, 0.0)
            return [(-q, p) for q, p in self._overage_segments(start, -quantity)]
        segments = []
        position, rest, tier_end = offset, quantity, 0.0
        for tier in self.overage_tier_ids:
            tier_end += tier.quantity
            take = min(rest, tier_end - position)
            if float_compare(take, 0.0, precision_digits=6) > 0:
                segments.append((take, tier.price))
                position += take
                rest -= take
        if float_compare(rest, 0.0, precision_digits=6) > 0 or not segments:
            segments.append((rest, self.overage_price))
        return segments

    def _suspend(self, invoice):
        """Suspends the service until ``invoice`` is paid, and tells the
        account managers."""
        self.write({"suspension_invoice_ids": [fields.Command.link(invoice.id)]})
        self._send_alert(
            self.env._("Service suspended"),
            self.env._(
                "The service is suspended until invoice %(invoice)s "
                "(%(amount)s %(currency)s due) is paid.",
                invoice=invoice.name,
                amount=invoice.amount_residual,
                currency=invoice.currency_id.name,
            ),
        )

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._action_open_invoices()

    def action_view_profitability(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_billing.service_contract_profitability_action"
        )
        action.update(domain=[("contract_id", "=", self.id)], context={})
        return action

    def _status_report_lines(self, date_from, date_to):
        """Adds the invoices of the contract still to be paid."""
        lines = super()._status_report_lines(date_from, date_to)
        due = (
            self.sudo()
            .invoice_ids._filtered_service_unsettled()
            .filtered(lambda move: move.move_type == "out_invoice")
        )
        if due:
            lines.append(
                self.env._(
                    "Invoices due: %(count)s, %(amount)s in total.",
                    count=len(due),
                    amount=format_amount(
                        self.env, sum(due.mapped("amount_residual")), self.currency_id
                    ),
                )
            )
        return lines
