from odoo.tests import tagged

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalTour(ServicePortalCase):
    def test_contact_opens_a_ticket_on_the_contract(self):
        self.contract.code = "TOUR-1"
        self.start_tour(
            "/my",
            "service_portal_contract_ticket",
            login="alice",
            password="alice-pass",
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour: badge reader broken")]
        )
        self.assertEqual(ticket.contract_id, self.contract)
        self.assertEqual(ticket.partner_id, self.contact)
