from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestInvoices(BillingCase):
    def test_prepaid_period_invoiced_on_its_start(self):
        contract = self.create_fee_contract("prepaid", amount=500)
        last, current, following = contract.period_ids.sorted("date_start")[:3]

        run = self.run_billing(current.date_start - relativedelta(days=1))
        invoice = run.invoice_ids
        self.assertEqual(last.invoice_id, invoice)
        self.assertFalse(current.invoice_id)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_date, run.date)
        self.assertEqual(invoice.journal_id.type, "sale")
        line = invoice.invoice_line_ids
        self.assertEqual(line.product_id, self.fee_product)
        self.assertEqual((line.quantity, line.price_unit), (1.0, 500.0))
        self.assertEqual(line.service_contract_id, contract)
        self.assertEqual(line.service_period_id, last)
        self.assertIn(contract.code, line.name)
        self.assertIn("Service period", line.name)

        run = self.run_billing(current.date_start)
        self.assertEqual(current.invoice_id, run.invoice_ids)
        self.assertFalse(following.invoice_id)
        self.assertEqual(contract.invoice_ids, invoice | run.invoice_ids)
        # The contract's Invoices button lists exactly those.
        action = contract.action_view_invoices()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), contract.invoice_ids
        )

    def test_postpaid_period_invoiced_on_its_end(self):
        contract = self.create_fee_contract("postpaid", amount=300)
        last, current = contract.period_ids.sorted("date_start")[:2]

        self.run_billing(current.date_end - relativedelta(days=1))
        self.assertTrue(last.invoice_id)
        self.assertFalse(current.invoice_id)
        run = self.run_billing(current.date_end)
        self.assertEqual(current.invoice_id, run.invoice_ids)
        self.assertEqual(run.invoice_ids.amount_untaxed, 300)

    def test_periods_not_billed(self):
        """Draft and cancelled contracts, periods paid by hand and periods
        without a fee are left alone."""
        draft = self.create_contract(
            activate=False,
            allowance_type="time",
            period_type="monthly",
            period_amount=100,
        )
        draft.action_generate_periods()
        cancelled = self.create_fee_contract()
        cancelled.action_cancel()
        paid = self.create_fee_contract()
        paid.period_ids.is_paid = True
        self.create_fee_contract(amount=0)
        run = self.run_billing()
        self.assertFalse(run.invoice_ids)
        self.assertEqual(run.state, "preview")

    def test_overage_on_the_postpaid_period_invoice(self):
        contract = self.create_fee_contract(
            "postpaid",
            amount=900,
            allowance_type="hours",
            allowance_qty=10,
            allowance_scope="period",
            hourly_rate=100,
        )
        self.assertEqual(contract.overage_price, 100)
        contract.overage_price = 120
        current = self.current_period(contract)
        ticket = self.closed_ticket(13)
        overage = ticket.usage_ids.filtered("is_overage")
        self.assertAlmostEqual(sum(overage.mapped("quantity")), 3)

        self.run_billing(current.date_end - relativedelta(days=1))
        self.assertFalse(overage.invoice_line_id, "due with the period's end")
        run = self.run_billing(current.date_end)
        invoice = run.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(
            self.line_values(invoice, "product_id", "quantity", "price_unit"),
            [(self.fee_product, 1.0, 900.0), (self.hours_product, 3.0, 120.0)],
        )
        self.assertEqual(current.invoice_id, invoice)
        self.assertEqual(overage.invoice_line_id, invoice.invoice_line_ids[1])
        self.assertFalse((ticket.usage_ids - overage).invoice_line_id)

    def test_overage_of_a_prepaid_period_on_its_own_invoice(self):
        contract = self.create_fee_contract(
            "prepaid",
            amount=700,
            allowance_type="hours",
            allowance_qty=10,
            allowance_scope="period",
            hourly_rate=90,
        )
        current = self.current_period(contract)
        fee_invoice = self.run_billing().invoice_ids.filtered(
            lambda m: current in m.invoice_line_ids.service_period_id
        )
        self.assertTrue(fee_invoice)
        self.closed_ticket(12)

        day_before_end = current.date_end - relativedelta(days=1)
        self.assertFalse(self.run_billing(day_before_end).invoice_ids)
        invoice = self.run_billing(current.date_end).invoice_ids
        self.assertEqual(
            self.line_values(invoice, "product_id", "quantity", "price_unit"),
            [(self.hours_product, 2.0, 90.0)],
        )
        self.assertEqual(invoice.invoice_line_ids.service_period_id, current)
        self.assertEqual(current.invoice_id, fee_invoice)

    def test_overage_of_a_contract_bank_billed_once_posted(self):
        contract = self.create_contract(allowance_qty=10, hourly_rate=80)
        self.closed_ticket(12)
        invoice = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(invoice, "product_id", "quantity", "price_unit"),
            [(self.hours_product, 2.0, 80.0)],
        )
        self.assertEqual(invoice.invoice_line_ids.service_contract_id, contract)
        self.assertIn("Beyond the allowance", invoice.invoice_line_ids.name)

    def test_overage_tiers(self):
        """The first 5 extra hours at 70, the rest at the overage price; the
        tiers count what earlier invoices took."""
        contract = self.create_contract(allowance_qty=10, hourly_rate=100)
        contract.overage_tier_ids = [(0, 0, {"quantity": 5, "price": 70})]
        self.closed_ticket(13)
        first = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(first, "quantity", "price_unit"), [(3.0, 70.0)]
        )
        self.closed_ticket(4)
        second = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(second, "quantity", "price_unit"),
            [(2.0, 70.0), (2.0, 100.0)],
        )
        self.assertEqual(second.amount_untaxed, 340)

    def test_overage_of_tickets_and_money(self):
        tickets = self.create_contract(
            allowance_type="tickets", allowance_qty=1, name="Two tickets"
        )
        self.assertEqual(tickets.overage_price, 0)
        tickets.overage_price = 150
        money = self.create_contract(
            allowance_type="amount",
            allowance_qty=100,
            hourly_rate=50,
            partner_id=self.create_customer("Money Ltd").id,
        )
        self.assertEqual(money.overage_price, 1.0)
        self.closed_ticket(1)
        self.closed_ticket(1)
        self.closed_ticket(3, partner=money.partner_id)
        invoices = self.run_billing().invoice_ids
        by_partner = {m.partner_id: m for m in invoices}
        self.assertEqual(
            self.line_values(
                by_partner[self.customer], "product_id", "quantity", "price_unit"
            ),
            [(self.fee_product, 1.0, 150.0)],
        )
        self.assertEqual(
            self.line_values(by_partner[money.partner_id], "quantity", "price_unit"),
            [(50.0, 1.0)],
        )

    def test_work_outside_contracts_and_charges(self):
        part = self._create_product(name="Toner", lst_price=45)
        ticket = self.closed_ticket(2, charges=[(part, 2, 30.0)])
        self.assertFalse(ticket.contract_id)
        invoice = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(invoice, "product_id", "quantity", "price_unit"),
            [(self.hours_product, 2.0, 60.0), (part, 2.0, 30.0)],
        )
        self.assertEqual(ticket.invoice_ids, invoice)
        self.assertEqual(ticket.usage_ids.invoice_id, invoice)
        self.assertEqual(ticket.charge_ids.invoice_id, invoice)
        self.assertIn(ticket.number, invoice.invoice_origin)
        with self.assertRaisesRegex(UserError, "on invoice"):
            ticket.charge_ids.quantity = 3
        with self.assertRaisesRegex(UserError, "on invoice"):
            ticket.charge_ids.unlink()

    def test_ticket_invoiced_separately_at_the_contract_rate(self):
        contract = self.create_contract(hourly_rate=110)
        ticket = self.open_ticket()
        ticket.billing_mode = "invoice"
        self.log_time(ticket, 1.5)
        self.close(ticket)
        invoice = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(invoice, "quantity", "price_unit", "service_contract_id"),
            [(1.5, 110.0, contract)],
        )
        self.assertEqual(contract.consumed_qty, 0)

    def test_billable_line_posted_by_hand(self):
        """A correction posted on the ledger outside contracts and tickets is
        invoiced with its own description and value."""
        self.env["service.contract.usage"].create(
            {
                "partner_id": self.customer.id,
                "name": "On-site hour agreed by phone",
                "quantity": 1,
                "hours": 1,
                "amount": 70,
            }
        )
        invoice = self.run_billing().invoice_ids
        self.assertEqual(
            self.line_values(invoice, "name", "quantity", "price_unit"),
            [("On-site hour agreed by phone", 1.0, 70.0)],
        )

    def test_charges_wait_for_the_ticket_to_close(self):
        part = self._create_product(name="Cable", lst_price=12)
        ticket = self.open_ticket()
        ticket.charge_ids = [(0, 0, {"product_id": part.id})]
        self.assertEqual(ticket.charge_ids.price_unit, 12)
        self.assertFalse(self.run_billing().invoice_ids)
        self.close(ticket)
        self.assertEqual(self.run_billing().invoice_ids.amount_untaxed, 12)

    def test_one_invoice_per_customer_or_per_contract(self):
        first = self.create_fee_contract(amount=100, name="Servers")
        second = self.create_fee_contract(amount=200, name="Printers")
        other = self.create_fee_contract(
            amount=50, partner_id=self.create_customer("Other Ltd").id
        )
        date = self.this_month - relativedelta(days=1)
        invoices = self.run_billing(date).invoice_ids
        self.assertEqual(len(invoices), 2)
        mine = invoices.filtered(lambda m: m.partner_id == self.customer)
        self.assertEqual(mine.service_contract_ids, first | second)
        self.assertEqual(mine.amount_untaxed, 300)

        self.company.service_invoice_grouping = "contract"
        run = self.run_billing(self.this_month)
        self.assertEqual(run.grouping, "contract")
        self.assertEqual(len(run.invoice_ids), 3)
        self.assertEqual(
            sorted(run.invoice_ids.mapped("amount_untaxed")), [50.0, 100.0, 200.0]
        )
        self.assertEqual(other.invoice_count, 2)

    def test_invoice_address_terms_journal_and_taxes(self):
        """The contract's product, payment terms, journal and invoice address
        apply; taxes go through the customer's fiscal position."""
        fee = self._create_product(name="Maintenance", type="service", lst_price=0)
        journal = self.company_data["default_journal_sale"].copy(
            {"code": "SRV", "name": "Services"}
        )
        billing = self.env["res.partner"].create(
            {
                "name": "Acme Accounting",
                "parent_id": self.customer.id,
                "type": "invoice",
            }
        )
        self.customer.property_account_position_id = self.fiscal_pos_a
        contract = self.create_fee_contract(
            amount=1000,
            product_id=fee.id,
            journal_id=journal.id,
            payment_term_id=self.pay_terms_b.id,
            invoice_partner_id=billing.id,
        )
        invoice = self.run_billing(self.this_month - relativedelta(days=1)).invoice_ids
        self.assertEqual(invoice.partner_id, billing)
        self.assertEqual(invoice.journal_id, journal)
        self.assertEqual(invoice.invoice_payment_term_id, self.pay_terms_b)
        self.assertEqual(invoice.fiscal_position_id, self.fiscal_pos_a)
        self.assertEqual(invoice.invoice_line_ids.product_id, fee)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_sale_b)
        self.assertEqual(invoice.invoice_line_ids.service_contract_id, contract)

    def test_deleting_a_draft_makes_its_items_billable_again(self):
        contract = self.create_contract(allowance_qty=10)
        self.closed_ticket(11)
        part = self._create_product(name="Fuse", lst_price=5)
        ticket = self.closed_ticket(
            1, partner=self.create_customer("Walk-in"), charges=[(part, 1, 5.0)]
        )
        fees = self.create_fee_contract(amount=100, name="Fee")
        run = self.run_billing()
        self.assertEqual(len(run.invoice_ids), 2)
        overage = contract.usage_ids.filtered("is_overage")
        self.assertTrue(overage.invoice_line_id)

        run.invoice_ids.unlink()
        self.assertFalse(overage.invoice_line_id)
        self.assertFalse(ticket.usage_ids.invoice_line_id)
        self.assertFalse(ticket.charge_ids.invoice_line_id)
        self.assertFalse(fees.period_ids.invoice_id)

        again = self.run_billing().invoice_ids
        self.assertEqual(len(again), 2)
        self.assertTrue(overage.invoice_line_id)
        self.assertEqual(
            ticket.charge_ids.invoice_id,
            again.filtered(lambda m: m.partner_id == ticket.commercial_partner_id),
        )

    def test_deleting_one_line_of_a_draft_makes_its_items_billable_again(self):
        """Staff edit the drafts of a run: whatever line they delete, the
        items it billed (a period's fee, overage, hours, a charge) are billed
        by the next run, and the items of the other lines are not."""
        part = self._create_product(name="Fuse", lst_price=5)
        fees = self.create_fee_contract(
            amount=100,
            allowance_type="hours",
            allowance_qty=1,
            allowance_scope="contract",
        )
        current = self.current_period(fees)
        overage = self.closed_ticket(3).usage_ids.filtered("is_overage")
        walk_in = self.closed_ticket(
            1, partner=self.create_customer("Walk-in"), charges=[(part, 1, 5.0)]
        )
        invoices = self.run_billing().invoice_ids
        kinds = {
            "fee": lambda line: (
                line.is_service_period_fee and line.service_period_id & current
            ),
            "overage": lambda line: line.service_usage_ids & overage,
            "hours": lambda line: line.service_usage_ids & walk_in.usage_ids,
            "charge": lambda line: line.service_charge_ids,
        }
        for kind, billed_by in kinds.items():
            with self.subTest(kind=kind):
                line = invoices.invoice_line_ids.filtered(billed_by)
                self.assertEqual(len(line), 1)
                items = billed_by(line)
                others = invoices.invoice_line_ids - line
                line.move_id.invoice_line_ids = [Command.delete(line.id)]
                self.assertFalse(line.exists())
                again = self.run_billing().invoice_ids
                self.assertEqual(len(again.invoice_line_ids), 1)
                self.assertEqual(billed_by(again.invoice_line_ids), items)
                self.assertTrue(all(others.exists()))
                invoices = (invoices | again).exists()

    def test_discarding_a_run_deletes_its_drafts(self):
        contract = self.create_fee_contract(amount=100)
        run = self.run_billing()
        self.assertEqual(run.invoice_count, 1)
        self.assertEqual(run.amount_total, run.invoice_ids.amount_total)
        run.action_discard()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.invoice_ids)
        self.assertFalse(contract.period_ids.invoice_id)
        run.action_preview()
        self.assertEqual(contract.period_ids.invoice_id, run.invoice_ids)
        with self.assertRaisesRegex(UserError, "Preview"):
            self.env["service.billing.run"].create({}).action_post()

    def test_cancelling_an_invoice_makes_its_items_billable_again(self):
        contract = self.create_fee_contract(amount=100)
        invoice = self.run_billing().invoice_ids
        invoice.action_post()
        invoice.button_draft()
        invoice.button_cancel()
        self.assertFalse(contract.period_ids.invoice_id)
        self.assertEqual(len(self.run_billing().invoice_ids), 1)

    def test_taking_back_invoiced_overage_gives_a_credit_note(self):
        self.create_contract(allowance_qty=10)
        ticket = self.open_ticket()
        timesheet = self.log_time(ticket, 8)
        self.log_time(ticket, 4)
        self.close(ticket)
        self.run_billing().invoice_ids.action_post()
        self.reopen(ticket)
        timesheet.unlink()
        self.close(ticket)
        refund = self.run_billing().invoice_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(self.line_values(refund, "quantity"), [(2.0,)])
        self.assertEqual(refund.amount_untaxed, 160)
