from odoo import api, fields, models

from ..tools.anchored_calendar import (
    ONE_DAY,
    anchored_date,
    first_index_after,
)
from .service_contract import PERIOD_MONTHS

REPORT_BATCH = 50


class ServiceContractStatusReport(models.Model):
    """A status report sent to one recipient for one period of a contract:
    what was sent, so that each report goes out once."""

    _name = "service.contract.status.report"
    _description = "Contract Status Report"
    _order = "date_from desc, id desc"

    contract_id = fields.Many2one(
        "service.contract", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Recipient", required=True, ondelete="cascade"
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    attachment_id = fields.Many2one("ir.attachment", string="Usage Report")

    _sql_constraints = [
        (
            "period_recipient_uniq",
            "unique(contract_id, partner_id, date_from)",
            "A status report is sent once per period and recipient.",
        ),
    ]

    def _report_lines(self):
        """The sentences of the report, in the language of the environment
        (the recipient's, when the template renders them)."""
        self.ensure_one()
        return self.contract_id._status_report_lines(self.date_from, self.date_to)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _report_period(self, contract, today):
        """``(start, end)`` of the last reporting period of ``contract`` that
        ended before ``today``, or None where none has."""
        months = PERIOD_MONTHS[contract.report_frequency]
        index = first_index_after(contract.date_start, today, months) - 1
        if index < 1:
            return None
        end = anchored_date(contract.date_start, index, months) - ONE_DAY
        if contract.date_end:
            end = min(end, contract.date_end)
        start = anchored_date(contract.date_start, index - 1, months)
        return (start, end) if start <= end else None

    @api.model
    def _due_domain(self, today):
        return [
            ("report_frequency", "!=", "none"),
            ("report_next_date", "<=", today),
            ("state", "in", ("active", "expired")),
        ]

    @api.model
    def _cron_send_status_reports(self, batch_size=REPORT_BATCH):
        """Daily: e-mails the status reports of the periods just ended. One
        batch per call; the scheduler calls again while some are left."""
        today = fields.Date.context_today(self)
        Contract = self.env["service.contract"]
        domain = self._due_domain(today)
        contracts = self.env["service.maintenance.plan"]._skip_locked(
            Contract.search(domain, limit=batch_size)
        )
        self._send_for(contracts, today)
        self.env["ir.cron"]._notify_progress(
            done=len(contracts), remaining=Contract.search_count(domain)
        )

    @api.model
    def _send_for(self, contracts, today):
        """Creates and sends the reports of ``contracts`` for their period
        just ended, skipping recipients who already had it, and moves their
        next report date past ``today``."""
        periods = {
            contract: period
            for contract in contracts
            if (period := self._report_period(contract, today))
        }
        sent = self._read_group(
            [
                ("contract_id", "in", contracts.ids),
                ("date_from", "in", [start for start, _end in periods.values()]),
            ],
            ["contract_id", "partner_id", "date_from:day"],
        )
        already = {(contract, partner, start) for contract, partner, start in sent}
        vals_list = []
        for contract, (start, end) in periods.items():
            recipients = contract.report_partner_ids.filtered(
                lambda p, c=contract, s=start: (c, p, s) not in already
            )
            if not recipients:
                continue
            attachment = contract._status_report_attachment(start, end)
            vals_list += [
                {
                    "contract_id": contract.id,
                    "partner_id": partner.id,
                    "date_from": start,
                    "date_to": end,
                    "attachment_id": attachment.id,
                }
                for partner in recipients
            ]
        reports = self.create(vals_list)
        reports._send()
        for contract in contracts:
            contract.report_next_date = self._next_report_date(contract, today)
        return reports

    @api.model
    def _next_report_date(self, contract, today):
        """The day after the period running on ``today``, when its report is
        due; none once the contract ended before that period."""
        months = PERIOD_MONTHS[contract.report_frequency]
        index = first_index_after(contract.date_start, today, months)
        current_start = anchored_date(contract.date_start, index - 1, months)
        if index and contract.date_end and contract.date_end < current_start:
            return False
        return anchored_date(contract.date_start, index, months)

    def _send(self):
        """E-mails each report to its recipient in their language, with the
        usage report of the period, and posts a copy on the contract's
        chatter."""
        template = self.env.ref("service_contract.mail_template_contract_status_report")
        for contract in self.contract_id:
            reports = self.filtered(lambda r, c=contract: r.contract_id == c)
            attachments = reports.attachment_id
            template.send_mail_batch(
                reports.ids,
                email_values={"attachment_ids": attachments.ids},
                email_layout_xmlid="mail.mail_notification_light",
            )
            first = reports[0]
            contract.message_post(
                body=template._render_field("body_html", first.ids)[first.id],
                subject=self.env._(
                    "Status report sent to %(recipients)s",
                    recipients=", ".join(reports.partner_id.mapped("display_name")),
                ),
                attachment_ids=attachments.ids,
                subtype_xmlid="mail.mt_note",
            )
