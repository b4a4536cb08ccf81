from odoo.tests import TransactionCase, freeze_time, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    def test_demo_billing_run_preview(self):
        """The demo run of the end of the month drafts the monthly fee with
        its extra hours, the unpaid quarter and the work outside contracts,
        with products, taxes and accounts of the demo chart."""
        run = self.env.ref("service_billing.billing_run_month_end")
        # The demo data is dated from the month it was installed in.
        with freeze_time(run.date):
            run.action_preview()
        invoices = {m.partner_id: m for m in run.invoice_ids}
        monthly = invoices[self.env.ref("base.res_partner_12")]
        self.assertEqual(
            monthly.invoice_line_ids.product_id,
            self.env.ref("service_billing.product_service_fee")
            | self.env.ref("service_billing.product_service_hours"),
        )
        quarterly = invoices[self.env.ref("base.res_partner_3")]
        self.assertEqual(quarterly.invoice_line_ids.price_unit, 3000)
        walk_in = invoices[self.env.ref("base.res_partner_4")]
        self.assertEqual(
            walk_in.invoice_line_ids.service_charge_ids.ticket_id,
            self.env.ref("service_billing.ticket_no_contract"),
        )
        lines = run.invoice_ids.invoice_line_ids
        self.assertTrue(all(lines.mapped("account_id")))
        self.assertEqual(run.invoice_ids.company_id, self.env.ref("base.main_company"))
