from freezegun import freeze_time

from odoo.tests import tagged

from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestAlerts(ServiceContractCase):
    def alerts(self, contract):
        return self.env["mail.activity"].search(
            [("res_model", "=", "service.contract"), ("res_id", "=", contract.id)]
        )

    def mails(self, contract):
        return self.env["mail.mail"].search(
            [("model", "=", "service.contract"), ("res_id", "=", contract.id)]
        )

    def close_with(self, hours):
        ticket = self.open_ticket()
        self.log_time(ticket, hours)
        self.close(ticket)
        return ticket

    def test_threshold_and_exhaustion_once_per_crossing(self):
        contract = self.create_contract(allowance_qty=10, alert_threshold_percent=80)
        self.close_with(7)
        self.assertFalse(self.alerts(contract))
        self.close_with(1)
        self.assertEqual(
            self.alerts(contract).mapped("summary"), ["80 % of the allowance used"]
        )
        self.assertEqual(self.alerts(contract).user_id, self.manager)
        self.assertEqual(len(self.mails(contract)), 1)
        self.assertIn("manager@example.com", self.mails(contract).email_to)
        self.close_with(0.5)
        self.env["service.contract"]._cron_contract_alerts()
        self.assertEqual(
            len(self.alerts(contract)), 1, "still over the threshold: no new alert"
        )
        self.close_with(2)
        self.assertEqual(len(self.alerts(contract)), 2)
        self.assertIn("Allowance exhausted", self.alerts(contract).mapped("summary"))
        # A new crossing after consumption fell back (e.g. a top-up) alerts again.
        contract.allowance_qty = 100
        self.env["service.contract"]._cron_contract_alerts()
        self.assertFalse(contract.alert_threshold_sent)
        contract.allowance_qty = 12
        contract._check_consumption_alerts()
        self.assertEqual(len(self.alerts(contract)), 3)
        self.assertIn(
            "88 % of the allowance used", self.alerts(contract).mapped("summary")
        )

    def test_ending_soon_once(self):
        contract = self.create_contract(
            date_start="2026-01-01", date_end="2026-06-30", alert_days_before_end=30
        )
        with freeze_time("2026-05-20"):
            self.env["service.contract"]._cron_contract_alerts()
            self.assertFalse(self.alerts(contract))
        with freeze_time("2026-06-05"):
            self.env["service.contract"]._cron_contract_alerts()
            self.env["service.contract"]._cron_contract_alerts()
        self.assertEqual(len(self.alerts(contract)), 1)
        self.assertIn("ending", self.alerts(contract).summary)

    def test_period_reminder_reaches_company_address(self):
        self.env.company.service_alert_email = "billing@provider.example.com"
        contract = self.create_contract(
            date_start="2026-01-01",
            date_end="2026-12-31",
            period_type="quarterly",
            payment_mode="prepaid",
            period_amount=3000,
            reminder_days=10,
        )
        contract.action_generate_periods()
        with freeze_time("2026-03-23"):
            self.env["service.contract"]._cron_contract_alerts()
            self.env["service.contract"]._cron_contract_alerts()
        reminders = self.mails(contract).filtered(lambda m: "due on" in m.subject)
        # Q1 (due 2026-01-01) and Q2 (reminder 2026-03-22) are reminded once each.
        self.assertEqual(len(reminders), 2)
        self.assertIn("billing@provider.example.com", reminders[0].email_to)
        self.assertTrue(
            all(contract.period_ids.sorted("date_start")[:2].mapped("reminder_sent"))
        )
        self.assertFalse(contract.period_ids.sorted("date_start")[2].reminder_sent)
