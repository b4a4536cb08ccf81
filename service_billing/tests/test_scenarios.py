from dateutil.relativedelta import relativedelta

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestSeedScenarios(BillingCase):
    """The seed scenarios of the specification that involve billing."""

    def test_monthly_fee_with_overage_edited_before_posting(self):
        """A monthly flat fee covers 10 hours a month; hours beyond are billed
        at the overage rate on the month's invoice, which staff edit before
        posting; posting sends it to the customer with its PDF."""
        contract = self.create_fee_contract(
            "postpaid",
            amount=900,
            date_start=self.this_month,
            allowance_type="hours",
            allowance_qty=10,
            allowance_scope="period",
            hourly_rate=100,
        )
        month = self.current_period(contract)
        self.closed_ticket(8)
        self.closed_ticket(4.5)

        run = self.run_billing(month.date_end)
        invoice = run.invoice_ids
        self.assertEqual(
            self.line_values(invoice, "quantity", "price_unit"),
            [(1.0, 900.0), (2.5, 100.0)],
        )
        with Form(invoice) as form:
            with form.invoice_line_ids.edit(1) as line:
                line.price_unit = 80
        self.assertEqual(invoice.amount_untaxed, 1100)

        run.action_post()
        self.assertEqual(run.state, "posted")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 1100)
        self.assertTrue(invoice.sending_data, "queued for sending")
        self.env["account.move"]._cron_account_move_send()
        self.assertTrue(invoice.is_move_sent)
        sent = invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertTrue(invoice.invoice_pdf_report_id)
        self.assertEqual(sent.attachment_ids.name, invoice.invoice_pdf_report_id.name)
        self.assertTrue(sent.attachment_ids.name.endswith(".pdf"))

    def test_quarterly_prepaid_customer_warned_until_q2_is_paid(self):
        """A yearly contract billed quarterly in advance: Q1 paid, Q2 not. New
        tickets warn, the debtors list shows the customer, and once Q2's
        invoice is paid the warning is gone."""
        start = self.today - relativedelta(months=3, days=10)
        contract = self.create_contract(
            activate=False,
            name="Yearly maintenance",
            allowance_type="time",
            date_start=start,
            date_end=start + relativedelta(years=1, days=-1),
            period_type="quarterly",
            payment_mode="prepaid",
            period_amount=3000,
        )
        contract.action_generate_periods()
        contract.action_activate()
        q1, q2 = contract.period_ids.sorted("date_start")[:2]

        q1_invoice = self.run_billing(q1.date_start).invoice_ids
        q1_invoice.action_post()
        self.pay(q1_invoice)
        self.assertTrue(q1.is_paid)
        q2_run = self.run_billing(q2.date_start)
        q2_run.action_post()
        q2_invoice = q2.invoice_id
        self.assertEqual(q2_invoice.amount_untaxed, 3000)
        self.assertFalse(q2.is_paid)

        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, contract)
        self.assertIn("not paid", ticket.coverage_warning)
        debtors = self.env.ref("service_billing.account_move_action_service_debtors")
        overdue = self.env["account.move"].search(safe_eval(debtors.domain))
        self.assertEqual(overdue, q2_invoice)
        self.assertEqual(overdue.partner_id, self.customer)

        self.pay(q2_invoice)
        self.assertIn(q2_invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(q2.is_paid)
        self.assertFalse(ticket.coverage_warning)
        self.assertFalse(ticket.coverage_doubtful)
        self.assertFalse(self.env["account.move"].search(safe_eval(debtors.domain)))

    def test_ticket_outside_contracts_drafts_an_invoice_on_closing(self):
        """Where the company invoices on closing, a ticket outside any
        contract (or billed separately) produces a draft invoice of its hours
        and charges when it is closed."""
        self.company.service_invoice_on_close = True
        travel = self._create_product(name="Travel", type="service", lst_price=40)
        ticket = self.closed_ticket(1.5, charges=[(travel, 1, 40.0)])
        invoice = ticket.invoice_ids
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(
            self.line_values(invoice, "product_id", "quantity", "price_unit"),
            [(self.hours_product, 1.5, 60.0), (travel, 1.0, 40.0)],
        )
        self.assertFalse(invoice.service_billing_run_id)
        self.assertEqual(
            invoice.message_ids.mapped("body"),
            ["<p>Invoice created when its tickets were closed.</p>"],
        )
        self.assertFalse(self.run_billing().invoice_ids, "invoiced once")

        contract = self.create_contract(hourly_rate=90)
        separate = self.open_ticket(billing_mode="invoice")
        self.assertEqual(separate.contract_id, contract)
        self.log_time(separate, 2)
        self.close(separate)
        self.assertEqual(
            self.line_values(separate.invoice_ids, "quantity", "price_unit"),
            [(2.0, 90.0)],
        )
        covered = self.closed_ticket(1)
        self.assertEqual(covered.contract_id, contract)
        self.assertFalse(covered.invoice_ids)

    def test_without_invoicing_on_closing_the_run_drafts_it(self):
        ticket = self.closed_ticket(2)
        self.assertFalse(ticket.invoice_ids)
        run = self.run_billing()
        self.assertEqual(ticket.invoice_ids, run.invoice_ids)
