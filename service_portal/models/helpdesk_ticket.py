from odoo import api, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _portal_coverage_preview(self, contact, contract, category):
        """What staff would read on a new ticket of ``contact`` under
        ``contract`` (possibly none) in ``category``, before it is sent:
        ``{"level": "success" | "warning" | "danger", "message": text}``.
        "danger" means the request would be refused."""
        ticket = self.new(
            {
                "partner_id": contact.id,
                "contract_id": contract.id,
                "category_id": category.id,
            }
        )
        try:
            ticket._check_enforcement()
        except UserError as error:
            return {"level": "danger", "message": error.args[0]}
        reasons = [text for _code, text in ticket._coverage_reasons().get(ticket, [])]
        if reasons:
            return {"level": "warning", "message": "\n".join(reasons)}
        if contract.allowance_type == "time":
            message = self.env._("Covered by %s.", contract.display_name)
        else:
            message = self.env._(
                "Covered by %(contract)s: %(remaining)s remaining.",
                contract=contract.display_name,
                remaining=contract._portal_format_qty(contract.remaining_qty),
            )
        return {"level": "success", "message": message}
