from odoo import fields, models

from odoo.addons.service_contract.models.service_contract_usage import (
    ServiceContractUsage as LedgerUsage,
)


class ServiceContractUsage(models.Model):
    _inherit = "service.contract.usage"

    _mutable_fields = LedgerUsage._mutable_fields | {"invoice_line_id"}

    invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")
