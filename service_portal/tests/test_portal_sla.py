from odoo.tests import tagged

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalSla(ServicePortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.make_sla_policy()
        cls.contract.sla_policy_id = cls.policy

    def test_contract_page_shows_targets_and_clocks(self):
        ticket = self.open_ticket(name="Server room too hot")
        self.assertEqual(ticket.sla_response_status, "ongoing")
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{self.contract.id}").text
        self.assertIn("Service Levels", page)
        self.assertIn("Gold support", page)
        self.assertIn("24 h", page)
        self.assertRegex(
            page, r"o_service_portal_sla text-bg-info\">Response: \dh \d\dm left"
        )

    def test_breached_clock_is_shown(self):
        ticket = self.open_ticket(name="Server room too hot")
        # As the escalation job stores it (nobody else may write the status).
        response = ticket.sla_clock_ids.filtered(lambda c: c.target == "response")
        response._store({response: {"status": "breached"}})
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{self.contract.id}").text
        self.assertIn("o_service_portal_sla text-bg-danger", page)

    def test_ticket_page_and_list_show_clocks(self):
        ticket = self.open_ticket(name="Server room too hot")
        self.login(self.alice)
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn("First response by", page)
        self.assertIn("Resolution by", page)
        self.assertIn("o_service_portal_sla", page)
        self.assertIn("o_service_portal_sla", self.url_open("/my/tickets").text)
