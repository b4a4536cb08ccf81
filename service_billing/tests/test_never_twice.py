from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestNeverTwice(BillingCase):
    """Each period, usage line and charge is invoiced once, however often
    billing runs and whatever fails on the way."""

    def create_customers_due(self, count, prefix="Customer"):
        """``count`` customers, each with this month's prepaid fee due and a
        closed ticket billed separately (hours and a charge)."""
        part = self._create_product(name="Part", lst_price=10)
        contracts = self.env["service.contract"]
        for index in range(count):
            customer = self.create_customer(f"{prefix} {index}")
            contracts |= self.create_fee_contract(
                amount=100 + index, partner_id=customer.id, date_start=self.this_month
            )
            ticket = self.open_ticket(customer, billing_mode="invoice")
            self.log_time(ticket, 1)
            ticket.charge_ids = [Command.create({"product_id": part.id})]
            self.close(ticket)
        return contracts

    def test_billing_twice_invoices_once(self):
        contracts = self.create_customers_due(3)
        first = self.run_billing()
        self.assertEqual(len(first.invoice_ids), 3)
        self.assertEqual(
            self.line_values(first.invoice_ids[0], "quantity")[1:], [(1.0,), (1.0,)]
        )
        # Each invoice says which run made it, in one note (no notification).
        notes = first.invoice_ids.message_ids
        self.assertEqual(len(notes), 3)
        self.assertEqual(set(notes.mapped("message_type")), {"notification"})
        self.assertIn("billing run <a href=", notes[0].body)
        self.assertIn(f"{first.name}</a>", notes[0].body)
        second = self.run_billing()
        self.assertFalse(second.invoice_ids)
        first.action_post()
        self.assertFalse(self.run_billing().invoice_ids)
        with self.assertRaisesRegex(UserError, "posted already"):
            first.action_preview()
        self.assertEqual(contracts.period_ids.invoice_id, first.invoice_ids)

    def test_a_failing_contract_does_not_stop_the_others(self):
        """One contract's fee product has a deprecated income account: its
        invoice fails, the failure is logged on it, the others are billed;
        once fixed, the next run bills it once."""
        good_first, broken, good_last = self.create_customers_due(3)
        account = self.copy_account(self.company_data["default_account_revenue"])
        account.deprecated = True
        broken.product_id = self._create_product(
            name="Fee", type="service", property_account_income_id=account.id
        )

        run = self.run_billing()
        self.assertEqual(
            run.invoice_ids.partner_id, (good_first | good_last).partner_id
        )
        self.assertFalse(broken.period_ids.invoice_id)
        self.assertFalse(broken.ticket_ids.usage_ids.invoice_line_id)
        failure = broken.message_ids.filtered(lambda m: "Invoicing on" in m.body)
        self.assertEqual(len(failure), 1)
        self.assertIn("deprecated", failure.body)
        self.assertIn(broken.display_name, run.message_ids[0].body)
        self.assertEqual(run.failed_partner_ids, broken.partner_id)
        self.assertFalse(
            good_first.message_ids.filtered(lambda m: "Invoicing on" in m.body)
        )

        account.deprecated = False
        again = self.run_billing()
        self.assertEqual(again.invoice_ids.partner_id, broken.partner_id)
        self.assertEqual(len(again.invoice_ids.invoice_line_ids), 3)
        self.assertFalse(self.run_billing().invoice_ids)

    def test_a_contract_on_a_purchase_journal_fails_before_its_batch(self):
        """A configuration the accounting would refuse is caught before the
        batch's create, with a message saying what to change."""
        good, broken = self.create_customers_due(2)
        purchase = self.company_data["default_journal_purchase"]
        broken.journal_id = purchase
        run = self.run_billing()
        self.assertEqual(run.invoice_ids.partner_id, good.partner_id)
        failure = broken.message_ids.filtered(lambda m: "Invoicing on" in m.body)
        self.assertIn("not one", failure.body)
        self.assertIn(purchase.name, failure.body)

        broken.journal_id = False
        run.action_preview()
        self.assertEqual(len(run.invoice_ids), 2)
        self.assertFalse(run.failed_partner_ids)

    def test_queries_per_batch_are_bounded(self):
        """A batch finds, locks and reads its items, groups them, creates the
        invoices with one create and links them back with a fixed number of
        queries; what grows with the batch is only account.move's own work
        per invoice (about 3 queries for 3 lines: analytic distribution
        models, products)."""
        for count in (4, 16):
            contracts = self.create_customers_due(count, prefix=f"Batch {count}")
            run = (
                self.env["service.billing.run"]
                .create({"date": self.today, "contract_ids": contracts.ids})
                ._billing_env()
            )
            self.env.invalidate_all()
            with self.assertQueryCount(105 + 3 * count):
                invoices, passed = run._bill_next_batch(batch_size=count)
            self.assertEqual(len(passed), count)
            self.assertEqual(len(invoices), count)
            self.assertEqual(len(invoices.invoice_line_ids), 3 * count)

    def test_daily_job_bills_in_batches_and_reports_progress(self):
        self.company.service_auto_post = True
        contracts = self.create_customers_due(3)
        cron = self.env.ref("service_billing.ir_cron_service_billing")
        Run = self.env["service.billing.run"]

        cron, progress = cron._add_progress()
        Run.with_context(ir_cron_progress_id=progress.id)._cron_bill(
            batch_size=2, max_batches=1
        )
        run = Run.search(
            [("auto_post", "=", True), ("company_id", "=", self.company.id)]
        )
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(run.invoice_ids.mapped("state"), ["posted", "posted"])
        self.assertTrue(all(run.invoice_ids.mapped("sending_data")))
        self.assertNotEqual(run.state, "posted")

        cron, progress = cron._add_progress()
        Run.with_context(ir_cron_progress_id=progress.id)._cron_bill(
            batch_size=2, max_batches=1
        )
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(run.state, "posted")
        self.assertEqual(len(run.invoice_ids), 3)
        self.assertEqual(
            contracts.period_ids.filtered("invoice_id").invoice_id, run.invoice_ids
        )

        Run._cron_bill()
        self.assertEqual(Run.search_count([("company_id", "=", self.company.id)]), 1)
        self.assertFalse(self.run_billing().invoice_ids)
