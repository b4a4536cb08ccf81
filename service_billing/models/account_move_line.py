from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    service_contract_id = fields.Many2one(
        "service.contract",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
    )
    service_period_id = fields.Many2one(
        "service.contract.period",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    service_usage_ids = fields.One2many(
        "service.contract.usage", "invoice_line_id", string="Usage Invoiced"
    )
    service_charge_ids = fields.One2many(
        "helpdesk.ticket.charge", "invoice_line_id", string="Charges Invoiced"
    )
