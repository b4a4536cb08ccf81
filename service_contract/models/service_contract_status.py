from odoo import api, fields, models

from ..tools.anchored_calendar import ONE_DAY, next_anchored_date
from .service_contract import PERIOD_MONTHS


class ServiceContract(models.Model):
    """Status reports: what they say and when the next one is due."""

    _inherit = "service.contract"

    report_frequency = fields.Selection(
        [("none", "None"), ("monthly", "Monthly"), ("quarterly", "Quarterly")],
        string="Status Reports",
        default="none",
        required=True,
        tracking=True,
        help="A status report of each period, anchored on the contract's start, "
        "is e-mailed to the recipients once the period has ended.",
    )
    report_partner_ids = fields.Many2many(
        "res.partner",
        "service_contract_report_partner_rel",
        "contract_id",
        "partner_id",
        string="Report Recipients",
        domain="[('id', 'child_of', partner_id)]",
        help="Contacts of the customer who receive the status reports.",
    )
    report_next_date = fields.Date(
        string="Next Report",
        compute="_compute_report_next_date",
        store=True,
        readonly=False,
        copy=False,
        help="The day the next status report is due: the day after its period.",
    )
    status_report_ids = fields.One2many(
        "service.contract.status.report", "contract_id", string="Status Reports Sent"
    )

    @api.depends("report_frequency", "date_start")
    def _compute_report_next_date(self):
        today = fields.Date.context_today(self)
        for contract in self:
            months = PERIOD_MONTHS.get(contract.report_frequency)
            contract.report_next_date = (
                months
                and contract.date_start
                and next_anchored_date(contract.date_start, today, months)
            )

    def _status_report_lines(self, date_from, date_to):
        """The sentences of the status report of ``date_from`` to
        ``date_to``, in the language of the environment. A hook: the SLA and
        billing modules add theirs."""
        self.ensure_one()
        tickets = self.env["helpdesk.ticket"].sudo()
        period_figures = self._status_report_usage(date_from, date_to)
        lines = [
            self.env._(
                "Used in the period: %(used)s %(unit)s.",
                used=round(period_figures, 2),
                unit=self.allowance_unit,
            ),
        ]
        if self.allowance_type != "time":
            lines.append(
                self.env._(
                    "Allowance used: %(consumed)s of %(total)s %(unit)s; "
                    "%(remaining)s %(unit)s left.",
                    consumed=round(self.consumed_qty, 2),
                    total=round(self.allowance_total_qty, 2),
                    remaining=round(self.remaining_qty, 2),
                    unit=self.allowance_unit,
                )
            )
        open_count = tickets.search_count(
            [("contract_id", "=", self.id), ("stage_id.closed", "=", False)]
        )
        closed_count = tickets.search_count(
            [
                ("contract_id", "=", self.id),
                ("stage_id.closed", "=", True),
                ("closed_date", ">=", date_from),
                ("closed_date", "<", date_to + ONE_DAY),
            ]
        )
        lines.append(
            self.env._(
                "Tickets closed in the period: %(closed)s; tickets open now: %(open)s.",
                closed=closed_count,
                open=open_count,
            )
        )
        return lines

    def _status_report_attachment(self, date_from, date_to):
        """The usage report PDF of ``date_from`` to ``date_to``, attached to
        the contract."""
        self.ensure_one()
        wizard = self.env["service.contract.usage.report"].create(
            {"contract_id": self.id, "date_from": date_from, "date_to": date_to}
        )
        pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
            "service_contract.action_report_contract_usage", wizard.ids
        )
        code = (self.code or self.name).replace("/", "-")
        return self.env["ir.attachment"].create(
            {
                "name": f"{code}_usage_{date_from}_{date_to}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _status_report_usage(self, date_from, date_to):
        """The quantity counted from ``date_from`` to ``date_to``."""
        groups = (
            self.env["service.contract.usage"]
            .sudo()
            ._read_group(
                [
                    ("contract_id", "=", self.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                [],
                ["quantity:sum"],
            )
        )
        return groups[0][0] or 0.0
