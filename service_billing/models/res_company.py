from odoo import api, fields, models

INVOICE_GROUPINGS = [
    ("partner", "One invoice per customer"),
    ("contract", "One invoice per contract"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    service_product_id = fields.Many2one(
        "product.product",
        string="Contract Fee Product",
        domain=[("type", "=", "service")],
        help="Invoices the service periods of contracts that name no product "
        "of their own.",
    )
    service_hours_product_id = fields.Many2one(
        "product.product",
        string="Hours Product",
        domain=[("type", "=", "service")],
        help="Invoices hours worked outside a contract and hours beyond an allowance.",
    )
    service_journal_id = fields.Many2one(
        "account.journal",
        string="Service Invoices Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Empty: the first sales journal.",
    )
    service_invoice_grouping = fields.Selection(
        INVOICE_GROUPINGS,
        string="Invoice Grouping",
        default="partner",
        required=True,
    )
    service_auto_post = fields.Boolean(
        string="Post and Send Service Invoices Automatically",
        help="A daily job invoices everything due, posts the invoices and "
        "sends them to the customers.",
    )
    service_invoice_on_close = fields.Boolean(
        string="Invoice Tickets on Closing",
        help="Work outside a contract and ticket charges reach a draft invoice "
        "as soon as the ticket is closed, instead of at the next billing run.",
    )
    service_travel_product_id = fields.Many2one(
        "product.product",
        string="Travel Product",
        domain=[("type", "=", "service")],
        help="Invoices the travel time of field visits.",
    )
    travel_rate = fields.Monetary(
        currency_field="currency_id",
        help="Price of an hour of a technician's travel to a field visit, "
        "unless the visit's contract sets its own.",
    )
    visit_approval_required = fields.Boolean(
        string="Approve Work Reports Before Billing",
        help="The travel and parts of a field visit reach a billing run only "
        "once the back office has approved its signed work report.",
    )

    def _service_fee_product(self):
        self.ensure_one()
        return self.service_product_id or self._service_data_product(
            "service_billing.product_service_fee"
        )

    def _service_hours_product(self):
        self.ensure_one()
        return self.service_hours_product_id or self._service_data_product(
            "service_billing.product_service_hours"
        )

    def _service_travel_product(self):
        self.ensure_one()
        return self.service_travel_product_id or self._service_data_product(
            "service_billing.product_service_travel"
        )

    def _service_data_product(self, xmlid):
        """A product of this module's data. Billing asks for it on every
        invoice line: read from the cached XML id, without a query."""
        product_id = self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False
        )
        return self.env["product.product"].browse(product_id)

    def _service_journal(self):
        self.ensure_one()
        return self.service_journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.id)], limit=1
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["service.dunning.level"].sudo()._create_default_levels(companies)
        return companies
