from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceContractOverageTier(models.Model):
    """A slice of the overage priced on its own: e.g. the first 10 hours
    beyond the allowance at one price. Units beyond the last tier are priced
    at the contract's overage price."""

    _name = "service.contract.overage.tier"
    _description = "Overage Tier"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one(
        "service.contract", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    quantity = fields.Float(
        string="Units",
        required=True,
        digits="Product Unit of Measure",
        help="Units of overage in this tier, counted after the previous tiers.",
    )
    price = fields.Monetary(string="Price per Unit", required=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")

    @api.constrains("quantity", "price")
    def _check_values(self):
        for tier in self:
            if tier.quantity <= 0:
                raise ValidationError(
                    self.env._("An overage tier must cover some units.")
                )
            if tier.price < 0:
                raise ValidationError(
                    self.env._("An overage price cannot be negative.")
                )
