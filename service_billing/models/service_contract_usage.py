from odoo import fields, models


class ServiceContractUsage(models.Model):
    _inherit = "service.contract.usage"

    invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")

    def _mutable_fields(self):
        return super()._mutable_fields() | {"invoice_line_id"}
