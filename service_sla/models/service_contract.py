from datetime import timedelta

from odoo import api, fields, models

from .service_sla_clock import DECIDED


class ServiceContract(models.Model):
    _inherit = "service.contract"

    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        tracking=True,
        check_company=True,
        help="Targets of the contract's tickets (else the team's default "
        "policy applies). Changing it moves the clocks of its open tickets.",
    )

    @api.model
    def _ticket_picking_fields(self):
        """A new ticket takes its SLA policy from its contract."""
        return super()._ticket_picking_fields() + ["sla_policy_id"]

    def _status_report_lines(self, date_from, date_to):
        """Adds the SLA compliance of the period: the targets met among those
        decided from ``date_from`` to ``date_to``."""
        lines = super()._status_report_lines(date_from, date_to)
        met = decided = 0
        for status, count in (
            self.env["service.sla.clock"]
            .sudo()
            ._read_group(
                [
                    ("ticket_id.contract_id", "=", self.id),
                    ("status", "in", DECIDED),
                    ("decided_at", ">=", date_from),
                    ("decided_at", "<", date_to + timedelta(days=1)),
                ],
                ["status"],
                ["__count"],
            )
        ):
            decided += count
            met += count if status == "met" else 0
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
