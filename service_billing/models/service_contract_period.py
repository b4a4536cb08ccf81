from odoo import api, fields, models

from .service_contract import PAID_STATES


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
    is_paid = fields.Boolean(
        compute="_compute_is_paid",
        store=True,
        readonly=False,
        help="Follows the payment of the period's invoice; without an invoice "
        "it is set by hand.",
    )

    @api.depends("invoice_id.payment_state", "invoice_id.state")
    def _compute_is_paid(self):
        # Periods without an invoice keep the status set by hand.
        for period in self.filtered("invoice_id"):
            invoice = period.invoice_id
            period.is_paid = (
                invoice.state == "posted" and invoice.payment_state in PAID_STATES
            )
