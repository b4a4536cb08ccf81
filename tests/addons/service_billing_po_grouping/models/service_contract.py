from odoo import fields, models


class ServiceContract(models.Model):
    _inherit = "service.contract"

    po_number = fields.Char(
        string="Purchase Order",
        help="The customer's purchase order: the contract's items are "
        "invoiced apart from those of other purchase orders, and the invoice "
        "carries the number as its reference.",
    )
