"""Seed scenario: a customer buys a bag of 100 support hours."""

from odoo.tests import new_test_user, tagged

from odoo.addons.service_contract.tests.common import ServiceContractCase

EMAIL = """From: Alice Acme <alice@acme.example.com>
To: support@provider.example.com
Subject: VPN drops every hour
Message-ID: <vpn-drops@acme.example.com>
Content-Type: text/plain; charset=utf-8

The VPN connection drops every hour since Monday.
"""


@tagged("post_install", "-at_install")
class TestBagOfHours(ServiceContractCase):
    def test_bag_of_100_hours(self):
        bag = self.create_contract(
            name="Support bag 100 h", allowance_qty=100, time_rounding_minutes=15
        )
        # Contacts open tickets by e-mail and by phone (staff enter them).
        by_mail = self.env["helpdesk.ticket"].browse(
            self.env["mail.thread"]
            .with_context(mail_create_nolog=True)
            .message_process("helpdesk.ticket", EMAIL)
        )
        self.assertEqual(by_mail.partner_id, self.contact)
        self.assertEqual(by_mail.contract_id, bag)
        self.assertEqual(by_mail.user_id, self.manager)
        by_phone = self.open_ticket(partner=self.other_contact, name="Phone: printer")
        self.assertEqual(by_phone.contract_id, bag)

        # Technicians log time; closing deducts it, rounded.
        by_mail.project_id = self.project
        hours = [(by_mail, 40.1), (by_phone, 39.9)]
        for ticket, spent in hours:
            self.log_time(ticket, spent)
        self.assertAlmostEqual(bag.in_progress_qty, 80.0)
        self.assertEqual(bag.remaining_qty, 100)
        self.close(by_mail)
        self.assertEqual(bag.consumed_qty, 40.25)
        self.assertEqual(bag.remaining_qty, 59.75)
        self.assertAlmostEqual(bag.in_progress_qty, 39.9)
        self.assertFalse(self._threshold_alerts(bag))

        # The company and the customer's contact read the same hours at once.
        customer_user = new_test_user(
            self.env,
            login="alice",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )
        for user in (self.technician, customer_user):
            remaining = bag.with_user(user).read(["remaining_qty"])[0]["remaining_qty"]
            self.assertEqual(remaining, 59.75)

        # At 80 % the account manager is warned, once.
        self.close(by_phone)
        self.assertEqual(bag.consumed_qty, 80.25)
        self.assertEqual(bag.consumed_percent, 80.25)
        alerts = self._threshold_alerts(bag)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.manager)
        self.env["service.contract"]._cron_contract_alerts()
        self.assertEqual(len(self._threshold_alerts(bag)), 1)

    def _threshold_alerts(self, contract):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "service.contract"),
                ("res_id", "=", contract.id),
                ("summary", "ilike", "of the allowance used"),
            ]
        )
