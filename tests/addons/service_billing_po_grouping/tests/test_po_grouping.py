from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from odoo.addons.service_billing.tests.common import BillingCase


@tagged("post_install", "-at_install")
class TestPurchaseOrderGrouping(BillingCase):
    """An integrator's grouping, added by one override of the invoice key and
    one of the invoice values. Billed the day before this month: one period
    of each contract is due."""

    def bill(self):
        return self.run_billing(self.this_month - relativedelta(days=1)).invoice_ids

    def test_one_invoice_per_purchase_order(self):
        servers = self.create_fee_contract(amount=100, po_number="PO-1")
        printers = self.create_fee_contract(amount=200, po_number="PO-2")
        network = self.create_fee_contract(amount=50, po_number="PO-2")
        invoices = self.bill()
        self.assertEqual(len(invoices), 2)
        self.assertEqual(invoices.partner_id, self.customer)
        by_ref = {invoice.ref: invoice for invoice in invoices}
        self.assertEqual(set(by_ref), {"PO-1", "PO-2"})
        self.assertEqual(by_ref["PO-1"].service_contract_ids, servers)
        self.assertEqual(by_ref["PO-2"].service_contract_ids, printers | network)
        self.assertEqual(by_ref["PO-2"].amount_untaxed, 250)

    def test_contracts_without_purchase_order_share_an_invoice(self):
        self.create_fee_contract(amount=100)
        self.create_fee_contract(amount=200)
        invoice = self.bill()
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_untaxed, 300)
        self.assertFalse(invoice.ref)
