from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

# Who approves work reports: the back office (contract managers, invoicing).
APPROVER_GROUPS = (
    "service_contract.group_service_contract_manager",
    "account.group_account_invoice",
)


_lt = LazyTranslate(__name__)


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

    def write(self, vals):
        if "travel_hours" in vals:
            invoiced = self.filtered("travel_invoice_line_id")
            if invoiced:
                raise UserError(
                    self.env._(
                        "The travel of %(visit)s is on invoice %(invoice)s already: "
                        "change the invoice instead, or delete the draft invoice "
                        "first.",
                        visit=invoiced[0].name,
                        invoice=invoiced[0].travel_invoice_line_id.move_id.display_name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Billing (service.billing.engine): the travel of visits
    # ------------------------------------------------------------------
    @api.model
    def _billing_due_domain(self, job):
        day_after = datetime.combine(job["date"] + timedelta(days=1), time.min)
        domain = [
            ("travel_hours", ">", 0),
            ("check_out", "<", day_after),
            ("ticket_id.billing_mode", "!=", "none"),
        ] + self._billable_domain(job["company"])
        if job["contracts"]:
            domain.append(("contract_id", "in", job["contracts"].ids))
        return domain

    def _billing_items(self, job):
        return [
            {
                "records": visit,
                "contract": visit.contract_id,
                "partner": visit.partner_id,
                "tickets": visit.ticket_id,
                "sort": (
                    visit.contract_id.code or "",
                    visit.check_out.date(),
                    4,
                    visit.id,
                ),
            }
            for visit in self
        ]

    @api.model
    def _billing_line_vals(self, item, job):
        visit = item["records"]
        product = self.env["service.billing.engine"]._product(
            job["company"]._service_travel_product(),
            _lt("No product to invoice travel: choose one in the settings."),
        )
        return [
            {
                "product_id": product,
                "name": "{}\n{}".format(
                    self.env._("Travel to visit %s", visit.name),
                    self.env._("Ticket %s", visit.ticket_id.display_name),
                ),
                "quantity": visit.travel_hours,
                "price_unit": visit._travel_rate(),
            }
        ]

    def _report_parts(self):
        self.ensure_one()
        return [(charge.name, charge.quantity) for charge in self.charge_ids]

    def action_approve_report(self):
        """Approving a work report lets its travel and parts reach a billing
        run: the back office's decision (contract managers, invoicing)."""
        if not self.env.su and not any(
            self.env.user.has_group(group) for group in APPROVER_GROUPS
        ):
            raise AccessError(self.env._("Only the back office approves work reports."))
        return super().action_approve_report()
