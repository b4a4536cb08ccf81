from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestProfitability(BillingCase):
    def test_margin_per_contract_and_period(self):
        """Revenue posted on a contract against the time logged on its
        tickets at the employees' hourly cost."""
        self.technician.employee_id.hourly_cost = 40
        part = self._create_product(name="Disk", lst_price=30)
        contract = self.create_fee_contract(amount=500, date_start=self.this_month)
        period = self.current_period(contract)
        self.closed_ticket(3, charges=[(part, 1, 30.0)])
        run = self.run_billing()
        Report = self.env["service.contract.profitability"]

        rows = Report.search([("contract_id", "=", contract.id)])
        self.assertEqual(rows.mapped("revenue"), [0.0], "drafts are no revenue yet")
        self.assertEqual((rows.period_id, rows.hours, rows.cost), (period, 3.0, 120.0))

        run.action_post()
        Report.invalidate_model()
        rows = Report.search([("contract_id", "=", contract.id)])
        by_period = {row.period_id: row for row in rows}
        self.assertEqual(
            (
                by_period[period].revenue,
                by_period[period].cost,
                by_period[period].margin,
            ),
            (500.0, 120.0, 380.0),
        )
        self.assertEqual(by_period[period].margin_percent, 76.0)
        self.assertEqual(
            by_period[period.browse()].revenue, 30.0, "charges have no period"
        )

        contract.invalidate_recordset()
        self.assertEqual((contract.revenue, contract.cost), (530.0, 120.0))
        self.assertEqual(contract.margin, 410.0)
        self.assertAlmostEqual(contract.margin_percent, 100 * 410 / 530)
        action = contract.action_view_profitability()
        self.assertEqual(Report.search(action["domain"]), rows)

    def test_credit_notes_reduce_the_revenue(self):
        contract = self.create_fee_contract(amount=200, date_start=self.this_month)
        invoice = self.run_billing().invoice_ids
        invoice.action_post()
        invoice._reverse_moves(cancel=True)
        contract.invalidate_recordset()
        self.assertEqual(contract.revenue, 0.0)


@tagged("post_install", "-at_install")
class TestAccess(BillingCase):
    def test_technicians_add_charges_but_do_not_bill(self):
        part = self._create_product(name="Fan", lst_price=15)
        ticket = self.open_ticket()
        ticket.with_user(self.technician).charge_ids = [
            (0, 0, {"product_id": part.id, "quantity": 2})
        ]
        self.assertEqual(ticket.charge_amount, 30)
        Run = self.env["service.billing.run"].with_user(self.technician)
        with self.assertRaises(AccessError):
            Run.create({"date": self.today})

    def test_forms_open_without_the_other_side_rights(self):
        """Contract managers without invoicing rights open contracts, tickets
        and runs; accountants without helpdesk rights open service invoices."""
        contract = self.create_fee_contract(amount=100)
        ticket = self.closed_ticket(1, billing_mode="invoice")
        run = self.run_billing()
        self.assertFalse(self.manager.has_group("account.group_account_invoice"))
        for record in (contract, ticket, run, contract.period_ids[0]):
            Form(record.with_user(self.manager))
        accountant = self.simple_accountman
        self.assertFalse(
            accountant.has_group("service_contract.group_service_contract_user")
        )
        Form(run.invoice_ids.with_user(accountant))
        Form(run.with_user(accountant))

    def test_contract_managers_see_runs_invoicing_staff_run_them(self):
        run = self.env["service.billing.run"].create({"date": self.today})
        self.assertTrue(run.with_user(self.manager).name)
        with self.assertRaises(AccessError):
            run.with_user(self.manager).action_preview()
        self.add_groups(self.manager, "account.group_account_invoice")
        run.with_user(self.manager).action_preview()
        self.assertEqual(run.state, "preview")
