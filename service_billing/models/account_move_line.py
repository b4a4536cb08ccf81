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
    is_service_period_fee = fields.Boolean(
        string="Service Period Fee",
        readonly=True,
        copy=False,
        help="The line invoices the fee of its service period (the overage of a "
        "period names the period too).",
    )
    service_usage_ids = fields.One2many(
        "service.contract.usage", "invoice_line_id", string="Usage Invoiced"
    )
    service_charge_ids = fields.One2many(
        "helpdesk.ticket.charge", "invoice_line_id", string="Charges Invoiced"
    )
    service_visit_ids = fields.One2many(
        "service.visit", "travel_invoice_line_id", string="Visits' Travel Invoiced"
    )

    def unlink(self):
        """A period stays invoiced only while a line bills its fee: deleting
        that line from a draft makes the period billable again (as the usage
        and charges of a deleted line are, by their links)."""
        periods = self.filtered("is_service_period_fee").service_period_id
        result = super().unlink()
        if periods:
            still_billed = self.search(
                [
                    ("is_service_period_fee", "=", True),
                    ("service_period_id", "in", periods.ids),
                ]
            ).service_period_id
            (periods - still_billed).sudo().invoice_id = False
        return result
