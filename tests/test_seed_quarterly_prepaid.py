"""Seed scenario: a yearly contract billed quarterly in advance."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.service_contract.tests.common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestQuarterlyPrepaid(ServiceContractCase):
    def test_unpaid_quarter_warns_until_paid_then_no_service_after_q4(self):
        contract = self.create_contract(
            name="Yearly maintenance",
            allowance_type="time",
            date_start="2026-01-01",
            date_end="2026-12-31",
            period_type="quarterly",
            payment_mode="prepaid",
            period_amount=3000,
        )
        contract.action_generate_periods()
        q1, q2, _q3, _q4 = contract.period_ids.sorted("date_start")
        q1.is_paid = True
        Period = self.env["service.contract.period"]

        with freeze_time("2026-03-31"):
            self.assertFalse(self.open_ticket().coverage_warning)
        with freeze_time("2026-04-01"):
            # From the first day of Q2 every new ticket warns the dispatcher.
            ticket = self.open_ticket()
            self.assertIn("current service period", ticket.coverage_warning)
            self.assertTrue(ticket.coverage_doubtful)
        with freeze_time("2026-04-02"):
            # The debtors list shows the customer.
            debtors = Period.search([("is_overdue", "=", True)])
            self.assertIn(self.customer, debtors.partner_id)
            # Once Q2 is paid the warning is gone.
            q2.is_paid = True
            self.assertFalse(ticket.coverage_warning)
            self.assertNotIn(
                self.customer, Period.search([("is_overdue", "=", True)]).partner_id
            )
            contract.period_ids.write({"is_paid": True})
        with freeze_time("2027-01-02"):
            self.env["service.contract"]._cron_expire_contracts()
            self.assertEqual(contract.state, "expired")
            after = self.open_ticket()
            self.assertFalse(after.contract_id)
            self.assertIn("No service contracted", after.coverage_warning)
