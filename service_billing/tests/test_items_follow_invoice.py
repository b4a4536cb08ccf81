from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestItemsFollowTheirInvoice(BillingCase):
    """Every billable item follows its invoice: deleting a draft or
    cancelling an invoice makes exactly its items billable again, whatever
    their kind, and the next run bills them once. Each kind is billed to a
    customer of its own, so that each invoice holds one kind."""

    def setUp(self):
        super().setUp()
        part = self._create_product(name="Fuse", lst_price=5)
        fees = self.create_fee_contract(
            amount=100, partner_id=self.create_customer("Fees Ltd").id
        )
        bank = self.create_contract(
            allowance_qty=1, partner_id=self.create_customer("Bank Ltd").id
        )
        self.closed_ticket(3, partner=bank.partner_id)
        hours = self.closed_ticket(2, partner=self.create_customer("Hours Ltd"))
        charge = self.closed_ticket(
            0, partner=self.create_customer("Parts Ltd"), charges=[(part, 1, 5.0)]
        )
        # The items of each kind, and the field that links them to invoices.
        self.kinds = {
            "fee": (
                fees.period_ids.filtered(lambda p: p.due_date <= self.today),
                "invoice_id",
            ),
            "overage": (bank.usage_ids.filtered("is_overage"), "invoice_line_id"),
            "hours": (hours.usage_ids, "invoice_line_id"),
            "charge": (charge.charge_ids, "invoice_line_id"),
        }
        self.invoices = self.run_billing().invoice_ids
        self.assertEqual(len(self.invoices), 4)
        for items, link in self.kinds.values():
            self.assertTrue(items)
            self.assertTrue(all(items.mapped(link)))

    def invoice_of(self, kind):
        items, link = self.kinds[kind]
        invoice = items.mapped(link)
        return invoice if invoice._name == "account.move" else invoice.move_id

    def assert_billable_again(self, kind, gone):
        """The items of ``kind`` are billable and billed once by the next run;
        the items of the other kinds stay on their invoices."""
        items, link = self.kinds[kind]
        self.assertFalse(any(items.mapped(link)))
        for other, (other_items, other_link) in self.kinds.items():
            if other != kind:
                self.assertTrue(all(other_items.mapped(other_link)), other)
        again = self.run_billing().invoice_ids
        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, gone)
        self.assertTrue(all(items.mapped(link)))
        self.assertEqual(self.invoice_of(kind), again)
        self.assertFalse(self.run_billing().invoice_ids)

    def test_deleting_the_draft(self):
        for kind in self.kinds:
            with self.subTest(kind=kind):
                draft = self.invoice_of(kind)
                draft.unlink()
                self.assert_billable_again(kind, draft)

    def test_cancelling_the_posted_invoice(self):
        self.invoices.action_post()
        for kind in self.kinds:
            with self.subTest(kind=kind):
                invoice = self.invoice_of(kind)
                self.assertEqual(invoice.state, "posted")
                invoice.button_cancel()
                self.assertEqual(invoice.state, "cancel")
                self.assert_billable_again(kind, invoice)
