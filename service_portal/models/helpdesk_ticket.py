from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError

SLA_BADGE_CLASSES = {
    "ongoing": "text-bg-info",
    "at_risk": "text-bg-warning",
    "met": "text-bg-success",
    "breached": "text-bg-danger",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # A contract the portal user may not read is not told through its tickets
    # (Odoo reads the names of many2one values as superuser).
    # ------------------------------------------------------------------
    def _portal_contract_fields(self):
        """The ticket's contract and the fields related to it."""
        return {
            name
            for name, field in self._fields.items()
            if name == "contract_id"
            or (field.related and field.related.split(".")[0] == "contract_id")
        }

    @api.model
    def _portal_hidden_contracts(self, contracts):
        """Those of ``contracts`` that the current user may not read, when
        the user is a portal user reading for themselves."""
        contracts = contracts.with_env(self.env)
        if self.env.su or not self.env.user.share:
            return contracts.browse()
        return contracts - contracts._filtered_access("read")

    @api.model
    def _portal_unname_contracts(self, rows, hidden):
        """Replaces the name of the ``hidden`` contracts in the ``(id, name)``
        values of ``contract_id`` in ``rows`` (dicts read or grouped)."""
        label = self.env._("Restricted contract")
        for row in rows:
            value = row.get("contract_id")
            if isinstance(value, tuple) and value[0] in hidden.ids:
                row["contract_id"] = (value[0], label)

    def _read_format(self, fnames, load="_classic_read"):
        data = super()._read_format(fnames, load)
        hidden_fields = self._portal_contract_fields().intersection(fnames)
        if not hidden_fields:
            return data
        Contract = self.env["service.contract"]
        contract_of = {ticket.id: ticket.contract_id for ticket in self.sudo()}
        hidden = self._portal_hidden_contracts(Contract.union(*contract_of.values()))
        if hidden:
            rows = [
                vals for vals in data if contract_of.get(vals["id"], Contract) in hidden
            ]
            for vals in rows:
                vals.update(dict.fromkeys(hidden_fields - {"contract_id"}, False))
            self._portal_unname_contracts(rows, hidden)
        return data

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        shown = [row["contract_id"] for row in rows_dict if row.get("contract_id")]
        hidden = self._portal_hidden_contracts(
            self.env["service.contract"].browse(value[0] for value in shown)
        )
        if hidden:
            self._portal_unname_contracts(rows_dict, hidden)
        return result

    # ------------------------------------------------------------------
    # Cells of the portal's ticket rows. Markup made here, not by a t-call:
    # a t-call costs more than the cell itself, row after row of a list.
    # ------------------------------------------------------------------
    def _portal_sla_badge(self):
        """The ticket's SLA badge (the clock the team works against), or
        nothing."""
        ticket = self.sudo()
        if not ticket.sla_badge:
            return ""
        return Markup(
            '<span class="badge rounded-pill o_service_portal_sla %s">%s</span>'
        ) % (
            SLA_BADGE_CLASSES.get(ticket.sla_badge_status, "text-bg-light"),
            ticket.sla_badge,
        )

    def _portal_contract_link(self, readable_contracts):
        """A link to the ticket's contract page where the contract is among
        ``readable_contracts`` (those the user may open), or nothing: a
        contract restricted to other contacts is not named."""
        contract = self.sudo().contract_id
        if not contract or not readable_contracts or contract not in readable_contracts:
            return ""
        return Markup('<a href="%s">%s</a>') % (contract.access_url, contract.code)

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
