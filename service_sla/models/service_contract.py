from datetime import timedelta

from odoo import fields, models

from .helpdesk_ticket import DECIDED, KINDS


class ServiceContract(models.Model):
    _inherit = "service.contract"

    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        tracking=True,
        check_company=True,
        help="Response and resolution targets of the contract's tickets. "
        "Changing it moves the clocks of its open tickets.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "sla_policy_id" in vals:
            open_tickets = self.ticket_ids.filtered(lambda t: not t.stage_id.closed)
            open_tickets.sudo().write({"sla_policy_id": vals["sla_policy_id"]})
        return result

    def _status_report_lines(self, date_from, date_to):
        """Adds the SLA compliance of the period: the targets met among those
        decided from ``date_from`` to ``date_to``."""
        lines = super()._status_report_lines(date_from, date_to)
        tickets = self.env["helpdesk.ticket"].sudo()
        met = decided = 0
        for kind in KINDS:
            status, decided_date = f"sla_{kind}_status", f"sla_{kind}_decided_date"
            for value, count in tickets._read_group(
                [
                    ("contract_id", "=", self.id),
                    (status, "in", DECIDED),
                    (decided_date, ">=", date_from),
                    (decided_date, "<", date_to + timedelta(days=1)),
                ],
                [status],
                ["__count"],
            ):
                decided += count
                met += count if value == "met" else 0
        if decided:
            lines.append(
                self.env._(
                    "SLA compliance in the period: %(met)s of %(decided)s targets "
                    "met (%(percent)s %%).",
                    met=met,
                    decided=decided,
                    percent=round(100.0 * met / decided),
                )
            )
        return lines
