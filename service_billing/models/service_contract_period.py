from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class ServiceContractPeriod(models.Model):
    _inherit = "service.contract.period"

    invoice_id = fields.Many2one(
        "account.move",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Payment Status"
    )

    @api.depends("invoice_id.payment_state", "invoice_id.state")
    def _compute_is_paid(self):
        """Follows the payment of the period's invoice; periods without an
        invoice keep the status set by hand."""
        result = super()._compute_is_paid()
        for period in self.filtered("invoice_id"):
            period.is_paid = period.invoice_id._is_service_paid()
        return result

    # ------------------------------------------------------------------
    # Billing (service.billing.engine): the period's fee, prepaid on its
    # start, postpaid on its end
    # ------------------------------------------------------------------
    @api.model
    def _billing_due_domain(self, job):
        domain = [
            ("is_paid", "=", False),
            ("amount", "!=", 0),
            ("due_date", "<=", job["date"]),
            ("contract_id.state", "in", ("active", "expired")),
        ]
        if job["contracts"]:
            domain.append(("contract_id", "in", job["contracts"].ids))
        return domain

    def _billing_items(self, job):
        return [
            {
                "records": period,
                "contract": period.contract_id,
                "partner": period.contract_id.partner_id,
                "tickets": self.env["helpdesk.ticket"],
                "sort": (period.contract_id.code, period.date_start, 0, period.id),
            }
            for period in self
        ]

    @api.model
    def _billing_line_vals(self, item, job):
        period, contract = item["records"], item["contract"]
        label = self.env._(
            "Service period %(start)s to %(end)s",
            start=format_date(self.env, period.date_start),
            end=format_date(self.env, period.date_end),
        )
        product = self.env["service.billing.engine"]._product(
            contract._fee_product(),
            _lt(
                "No product to invoice the fee of %(contract)s: choose one on the "
                "contract or in the settings.",
                contract=contract.display_name,
            ),
        )
        return [
            {
                "product_id": product,
                "name": f"{contract.display_name}\n{label}",
                "quantity": 1.0,
                "price_unit": period.amount,
                "service_period_id": period.id,
                "is_service_period_fee": True,
            }
        ]
