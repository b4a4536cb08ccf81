from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestDunning(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The levels every company is given, with delays of the tests' own.
        cls.levels = cls.env["service.dunning.level"].search(
            [("company_id", "=", cls.company.id)]
        )
        for level, days in zip(cls.levels, (7, 15, 30), strict=True):
            level.write({"days_overdue": days, "suspend_service": days == 30})

    def overdue_invoice(self, **contract_values):
        """A posted invoice of last month's fee, due on the first of last
        month."""
        contract = self.create_fee_contract(amount=400, **contract_values)
        last = contract.period_ids.sorted("date_start")[0]
        invoice = self.run_billing(last.date_start).invoice_ids
        invoice.action_post()
        return contract, invoice

    def reminders(self, invoice):
        return invoice.message_ids.filtered(
            lambda m: (
                m.message_type == "comment" and "invoice" in (m.subject or "").lower()
            )
        )

    def test_each_level_once_per_invoice(self):
        contract, invoice = self.overdue_invoice()
        due = invoice.invoice_date_due
        Level = self.env["service.dunning.level"]

        Level._send_reminders(due + relativedelta(days=6))
        self.assertFalse(invoice.service_dunning_level_ids)
        Level._send_reminders(due + relativedelta(days=8))
        self.assertEqual(invoice.service_dunning_level_ids, self.levels[0])
        self.assertEqual(len(self.reminders(invoice)), 1)
        self.assertIn("Reminder", self.reminders(invoice).subject)
        self.assertIn(self.customer, self.reminders(invoice).partner_ids)
        Level._send_reminders(due + relativedelta(days=9))
        self.assertEqual(len(self.reminders(invoice)), 1, "each level once")

        Level._send_reminders(due + relativedelta(days=16))
        self.assertEqual(invoice.service_dunning_level_ids, self.levels[:2])
        self.assertEqual(len(self.reminders(invoice)), 2)
        self.assertEqual(invoice.service_dunning_date, due + relativedelta(days=16))
        self.assertFalse(contract.is_suspended)

    def test_a_late_invoice_gets_the_highest_level_only(self):
        _contract, invoice = self.overdue_invoice()
        self.env["service.dunning.level"]._send_reminders(
            invoice.invoice_date_due + relativedelta(days=20)
        )
        self.assertEqual(len(self.reminders(invoice)), 1)
        self.assertIn("Second reminder", self.reminders(invoice).subject)
        self.assertEqual(invoice.service_dunning_level_ids, self.levels[:2])

    def test_paid_invoices_are_not_reminded(self):
        _contract, invoice = self.overdue_invoice()
        self.pay(invoice)
        self.env["service.dunning.level"]._send_reminders(
            invoice.invoice_date_due + relativedelta(days=40)
        )
        self.assertFalse(invoice.service_dunning_level_ids)

    def test_last_level_suspends_until_paid(self):
        contract, invoice = self.overdue_invoice(enforcement="block")
        # This month's fee was paid in cash, without an invoice.
        self.current_period(contract).is_paid = True
        self.env["service.dunning.level"]._send_reminders(
            invoice.invoice_date_due + relativedelta(days=31)
        )
        self.assertTrue(contract.is_suspended)
        self.assertEqual(contract.suspension_invoice_ids, invoice)
        self.assertTrue(
            contract.activity_ids.filtered(lambda a: a.summary == "Service suspended")
        )
        with self.assertRaisesRegex(UserError, "suspended until invoice"):
            self.open_ticket()

        self.pay(invoice)
        self.assertFalse(contract.is_suspended)
        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, contract)
        self.assertNotIn("suspended", ticket.coverage_warning or "")

    def test_suspension_warns_open_tickets_of_a_warning_contract(self):
        contract, invoice = self.overdue_invoice()
        ticket = self.open_ticket()
        self.assertNotIn("suspended", ticket.coverage_warning or "")
        self.env["service.dunning.level"]._send_reminders(
            invoice.invoice_date_due + relativedelta(days=45)
        )
        self.assertIn("is suspended until invoice", ticket.coverage_warning)
        self.assertTrue(ticket.coverage_doubtful)
        self.pay(invoice)
        self.assertNotIn("suspended", ticket.coverage_warning or "")

    def test_every_company_gets_the_default_levels(self):
        company = self.env["res.company"].create({"name": "Second Branch"})
        levels = self.env["service.dunning.level"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(levels.mapped("days_overdue"), [7, 21, 45])
        self.assertEqual(
            levels.mapped("mail_template_id"),
            self.env.ref("service_billing.mail_template_dunning_1")
            | self.env.ref("service_billing.mail_template_dunning_2")
            | self.env.ref("service_billing.mail_template_dunning_3"),
        )
        # Levels are given once: a company keeps the ones it changed.
        levels[2].unlink()
        self.env["service.dunning.level"]._create_default_levels(company)
        self.assertEqual(
            self.env["service.dunning.level"].search_count(
                [("company_id", "=", company.id)]
            ),
            2,
        )
