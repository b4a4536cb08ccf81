from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    charge_ids = fields.One2many(
        "helpdesk.ticket.charge", "ticket_id", string="Charges", copy=False
    )
    charge_amount = fields.Monetary(
        string="Charges Total",
        compute="_compute_charge_amount",
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")

    @api.depends("charge_ids.amount")
    def _compute_charge_amount(self):
        for ticket in self:
            ticket.charge_amount = sum(ticket.charge_ids.mapped("amount"))

    @api.depends("usage_ids.invoice_line_id", "charge_ids.invoice_line_id")
    def _compute_invoice_ids(self):
        lines = self.env["account.move.line"].sudo()
        lines = lines.search(
            [
                "|",
                ("service_usage_ids.ticket_id", "in", self.ids),
                ("service_charge_ids.ticket_id", "in", self.ids),
            ]
        )
        moves_by_ticket = {}
        for line in lines:
            for ticket in (
                line.service_usage_ids.ticket_id | line.service_charge_ids.ticket_id
            ):
                moves_by_ticket.setdefault(ticket.id, set()).add(line.move_id.id)
        for ticket in self:
            ids = moves_by_ticket.get(ticket._origin.id, set())
            ticket.invoice_ids = self.env["account.move"].browse(sorted(ids))
            ticket.invoice_count = len(ids)

    # ------------------------------------------------------------------
    # Coverage: a contract suspended for an unpaid invoice
    # ------------------------------------------------------------------
    @api.depends("contract_id.is_suspended")
    def _compute_coverage_warning(self):
        return super()._compute_coverage_warning()

    def _reasons_with_contract(self, contract, today):
        reasons = super()._reasons_with_contract(contract, today)
        if contract.is_suspended:
            invoices = contract.suspension_invoice_ids._filtered_service_unsettled()
            reasons.append(
                (
                    "suspended",
                    self.env._(
                        "The service of %(contract)s is suspended until invoice "
                        "%(invoices)s is paid.",
                        contract=contract.display_name,
                        invoices=", ".join(invoices.mapped("name")),
                    ),
                )
            )
        return reasons

    @api.model
    def _coverage_badge_by_reason(self):
        return {**super()._coverage_badge_by_reason(), "suspended": "unpaid"}

    @api.model
    def _blocking_reason_codes(self):
        return super()._blocking_reason_codes() | {"suspended"}

    # ------------------------------------------------------------------
    # Invoicing on closing
    # ------------------------------------------------------------------
    def _post_usage(self):
        result = super()._post_usage()
        closing = self.filtered(
            lambda t: t.company_id.service_invoice_on_close and t.billing_mode != "none"
        )
        if closing:
            closing.sudo()._invoice_on_closing()
        return result

    def _invoice_on_closing(self):
        """Draft invoices of the work outside contracts and the charges of
        these closed tickets, dated today."""
        Engine = self.env["service.billing.engine"]
        today = fields.Date.context_today(self)
        for company, tickets in self.grouped("company_id").items():
            engine = Engine.with_company(company)
            job = engine._billing_job(company, today, company.service_invoice_grouping)
            items = {
                "usage": engine.env["service.contract.usage"].search(
                    [
                        ("ticket_id", "in", tickets.ids),
                        ("contract_id", "=", False),
                        ("is_billable", "=", True),
                        ("invoice_line_id", "=", False),
                    ]
                ),
                "charge": engine.env["helpdesk.ticket.charge"].search(
                    [
                        ("ticket_id", "in", tickets.ids),
                        ("invoice_line_id", "=", False),
                    ]
                    + engine.env["helpdesk.ticket.charge"]._visit_ready_domain(company)
                ),
            }
            engine._invoice_items(engine._lock_items(items, job), job)

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._action_open_invoices()
