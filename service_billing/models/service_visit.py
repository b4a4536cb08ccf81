from odoo import api, fields, models
from odoo.exceptions import AccessError

# Who approves work reports: the back office (contract managers, invoicing).
APPROVER_GROUPS = (
    "service_contract.group_service_contract_manager",
    "account.group_account_invoice",
)


class ServiceVisit(models.Model):
    _inherit = "service.visit"

    charge_ids = fields.One2many(
        "helpdesk.ticket.charge",
        "visit_id",
        string="Parts and Expenses",
        help="Parts used and expenses made on the visit, invoiced with its travel.",
    )
    billing_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Billing Currency"
    )
    travel_rate = fields.Monetary(
        compute="_compute_travel_amounts",
        currency_field="billing_currency_id",
        help="Price of an hour of travel: the contract's travel rate, or the "
        "company's.",
    )
    travel_amount = fields.Monetary(
        string="Travel Amount",
        compute="_compute_travel_amounts",
        currency_field="billing_currency_id",
    )
    charge_amount = fields.Monetary(
        string="Parts and Expenses Amount",
        compute="_compute_charge_amount",
        currency_field="billing_currency_id",
    )
    travel_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Travel Invoice Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    @api.depends("travel_hours", "contract_id.travel_rate", "company_id.travel_rate")
    def _compute_travel_amounts(self):
        for visit in self:
            visit.travel_rate = visit._travel_rate()
            visit.travel_amount = visit.travel_hours * visit.travel_rate

    @api.depends("charge_ids.amount")
    def _compute_charge_amount(self):
        for visit in self:
            visit.charge_amount = sum(visit.charge_ids.mapped("amount"))

    def _travel_rate(self):
        """The price of an hour of the visit's travel: the contract's travel
        rate, or the company's."""
        self.ensure_one()
        return self.contract_id.travel_rate or self.company_id.travel_rate

    @api.model
    def _billable_domain(self, company):
        """Visits whose travel and parts may be invoiced: done, and approved
        where the company approves work reports before billing."""
        domain = [("state", "=", "done")]
        if company.visit_approval_required:
            domain.append(("report_state", "=", "approved"))
        return domain

    def _report_parts(self):
        self.ensure_one()
        return [(charge.name, charge.quantity) for charge in self.charge_ids]

    def action_approve_report(self):
        """Approving a work report lets its travel and parts reach a billing
        run: the back office's decision (contract managers, invoicing)."""
        if not any(self.env.user.has_group(group) for group in APPROVER_GROUPS):
            raise AccessError(
                self.env._("Only the back office approves work reports.")
            )
        return super().action_approve_report()
