import re

from odoo import Command
from odoo.tests import tagged

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalStatusReports(ServicePortalCase):
    """Alice and Bob receive the monthly status reports of Acme's contract;
    Alice stops hers from the contract page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.write(
            {
                "report_frequency": "monthly",
                "report_partner_ids": [
                    Command.set([cls.contact.id, cls.other_contact.id])
                ],
            }
        )
        cls.page = f"/my/contracts/{cls.contract.id}"
        cls.stop_url = f"{cls.page}/status_reports/stop"

    def csrf_token(self):
        page = self.url_open(self.page).text
        self.assertIn(self.stop_url, page)
        form = re.escape(f'action="{self.stop_url}"')
        return re.search(
            form + r'.*?name="csrf_token" value="([^"]+)"', page, re.S
        ).group(1)

    def test_contact_stops_own_reports(self):
        self.login(self.alice)
        response = self.url_open(
            self.stop_url, data={"csrf_token": self.csrf_token()}, allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self.contract.report_partner_ids, self.other_contact)
        self.assertNotIn(self.stop_url, self.url_open(self.page).text)

    def test_post_without_csrf_token_and_get_refused(self):
        self.login(self.alice)
        response = self.url_open(
            self.stop_url, data={"stop": "1"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.url_open(self.stop_url).status_code, 405)
        self.assertIn(self.contact, self.contract.report_partner_ids)

    def test_other_customer_cannot_touch_the_contract(self):
        self.login(self.gina)
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', self.url_open("/my/account").text
        ).group(1)
        response = self.url_open(
            self.stop_url, data={"csrf_token": token}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            self.contract.report_partner_ids, self.contact | self.other_contact
        )
