from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestStatusReportInvoices(BillingCase):
    """The status report lists the contract's invoices still to be paid."""

    def test_invoices_due_line(self):
        contract = self.create_fee_contract(amount=500)
        run = self.run_billing()
        run.action_post()
        invoices = contract.invoice_ids
        self.assertTrue(invoices)
        period = (self.this_month, self.today)
        lines = contract._status_report_lines(*period)
        self.assertIn(f"Invoices due: {len(invoices)},", lines[-1])
        self.pay(invoices)
        contract.invalidate_recordset()
        lines = contract._status_report_lines(*period)
        self.assertFalse([line for line in lines if "Invoices due" in line])
