from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_date

from ..tools.anchored_calendar import ONE_DAY
from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestStatusReport(ServiceContractCase):
    """A monthly status report to Alice (Spanish) and Bob (English) of a
    contract that began two months ago: the period that just ended is the
    month before today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.contact.lang = "es_ES"
        cls.other_contact.lang = "en_US"
        cls.contract = cls.create_contract(
            date_start=cls.today - relativedelta(months=2),
            report_frequency="monthly",
            report_partner_ids=[Command.set([cls.contact.id, cls.other_contact.id])],
        )
        cls.Report = cls.env["service.contract.status.report"]

    def run_cron(self):
        self.Report._cron_send_status_reports()
        return self.Report.search([("contract_id", "=", self.contract.id)])

    def mails_of(self, reports):
        return self.env["mail.mail"].search(
            [("model", "=", self.Report._name), ("res_id", "in", reports.ids)]
        )

    def make_due(self):
        self.contract.report_next_date = self.today

    def test_next_date_after_today(self):
        self.assertGreater(self.contract.report_next_date, self.today)
        self.assertFalse(self.run_cron(), "Nothing is due before the period ends.")

    def test_once_per_period(self):
        self.make_due()
        reports = self.run_cron()
        self.assertEqual(reports.partner_id, self.contact | self.other_contact)
        period = self.Report._report_period(self.contract, self.today)
        self.assertEqual(set(reports.mapped("date_from")), {period[0]})
        self.assertEqual(set(reports.mapped("date_to")), {period[1]})
        self.assertLess(period[1], self.today)
        self.assertEqual(
            period[1] + ONE_DAY,
            self.Report._report_period(self.contract, self.contract.report_next_date)[
                0
            ],
        )
        self.assertGreater(self.contract.report_next_date, self.today)
        self.assertEqual(len(self.mails_of(reports)), 2)
        # a second run, today or tomorrow, sends nothing again
        self.assertEqual(self.run_cron(), reports)
        with freeze_time(self.today + ONE_DAY):
            self.assertEqual(self.run_cron(), reports)
        # even when the next report date is moved back by hand
        self.make_due()
        self.assertEqual(self.run_cron(), reports)
        self.assertEqual(len(self.mails_of(reports)), 2)

    def test_language_and_dates_of_recipient(self):
        self.make_due()
        reports = self.run_cron()
        spanish = reports.filtered(lambda r: r.partner_id == self.contact)
        mail = self.mails_of(spanish)
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertEqual(mail.mail_message_id.model, self.Report._name)
        for day in (spanish.date_from, spanish.date_to):
            self.assertIn(format_date(self.env, day, lang_code="es_ES"), mail.body_html)
            self.assertNotIn(str(day), mail.body_html)
        english = self.mails_of(reports - spanish)
        self.assertIn(
            format_date(self.env, spanish.date_to, lang_code="en_US"), english.body_html
        )
        self.assertIn("Used in the period", english.body_html)

    def test_usage_report_attached_and_copy_on_chatter(self):
        self.make_due()
        reports = self.run_cron()
        attachment = reports.attachment_id
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.endswith(".pdf"))
        self.assertEqual(
            (attachment.res_model, attachment.res_id),
            ("service.contract", self.contract.id),
        )
        for mail in self.mails_of(reports):
            self.assertEqual(mail.attachment_ids, attachment)
        copy = self.contract.message_ids.filtered(
            lambda m: attachment in m.attachment_ids
        )
        self.assertEqual(len(copy), 1)
        self.assertIn(self.contact.name, copy.subject)

    def test_opt_out_respected(self):
        self.contract.report_partner_ids = [Command.unlink(self.other_contact.id)]
        self.make_due()
        reports = self.run_cron()
        self.assertEqual(reports.partner_id, self.contact)
        self.assertEqual(self.mails_of(reports).recipient_ids, self.contact)

    def test_no_report_for_frequency_none(self):
        self.contract.report_frequency = "none"
        self.assertFalse(self.contract.report_next_date)
        self.contract.report_next_date = self.today
        self.assertFalse(self.run_cron())

    def test_quarterly_periods_anchored_on_the_start(self):
        """From 31 January, quarterly: 31 Jan - 29 Apr, 30 Apr - 30 Jul; the
        last report covers the contract up to its end, then none is due."""
        contract = self.create_contract(
            activate=False,
            date_start=date(2027, 1, 31),
            date_end=date(2027, 6, 15),
            report_frequency="quarterly",
        )
        self.assertIsNone(self.Report._report_period(contract, date(2027, 4, 29)))
        self.assertEqual(
            self.Report._report_period(contract, date(2027, 4, 30)),
            (date(2027, 1, 31), date(2027, 4, 29)),
        )
        self.assertEqual(
            self.Report._next_report_date(contract, date(2027, 4, 30)),
            date(2027, 7, 31),
        )
        self.assertEqual(
            self.Report._report_period(contract, date(2027, 7, 31)),
            (date(2027, 4, 30), date(2027, 6, 15)),
        )
        self.assertFalse(self.Report._next_report_date(contract, date(2027, 7, 31)))
