from odoo import api, models


class ServiceBillingEngine(models.AbstractModel):
    """Items of different purchase orders never share an invoice; the
    invoice's reference is its purchase order."""

    _inherit = "service.billing.engine"

    @api.model
    def _invoice_key(self, item, job):
        key = super()._invoice_key(item, job)
        key["po_number"] = item["contract"].po_number or False
        return key

    @api.model
    def _prepare_invoice_vals(self, key, items, job):
        vals = super()._prepare_invoice_vals(key, items, job)
        if key["po_number"]:
            vals["ref"] = key["po_number"]
        return vals
