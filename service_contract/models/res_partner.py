from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_contract_ids = fields.One2many(
        "service.contract", "partner_id", string="Service Contracts"
    )
    service_contract_count = fields.Integer(compute="_compute_service_contract_count")
    service_equipment_ids = fields.One2many(
        "service.equipment", "partner_id", string="Equipment"
    )

    def _compute_service_contract_count(self):
        counts = dict(
            self.env["service.contract"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.service_contract_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_service_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_contract.service_contract_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
