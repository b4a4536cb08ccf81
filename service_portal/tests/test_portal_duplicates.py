from odoo import http
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalSimilarTickets(ServicePortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reported = cls.env["helpdesk.ticket"].create(
            {
                "name": "HP LaserJet M404 on the 3rd floor jams paper",
                "description": "<p>Jams on every page, tray 2.</p>",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
            }
        )
        cls.globex_twin = cls.env["helpdesk.ticket"].create(
            {
                "name": "HP LaserJet M404 on the 3rd floor jams paper",
                "description": "<p>Jams on every page, tray 2.</p>",
                "partner_id": cls.gina_contact.id,
                "team_id": cls.team.id,
            }
        )

    def similar(self, subject, description=""):
        return self.make_jsonrpc_request(
            "/my/tickets/similar", {"subject": subject, "description": description}
        )

    def test_colleague_sees_the_ticket_already_reported(self):
        self.login(self.bob)
        found = self.similar("Paper jam in the HP LaserJet M404, 3rd floor")
        self.assertEqual([t["id"] for t in found], [self.reported.id])
        self.assertIn(
            f"Someone at your company already reported this: {self.reported.number}",
            found[0]["message"],
        )
        self.assertIn(self.reported.stage_id.name, found[0]["message"])
        self.assertFalse(found[0]["following"])
        self.assertEqual(found[0]["url"], f"/my/ticket/{self.reported.id}")

    def test_never_another_customers_tickets(self):
        self.login(self.gina)
        found = self.similar("Paper jam in the HP LaserJet M404, 3rd floor")
        self.assertEqual([t["id"] for t in found], [self.globex_twin.id])
        self.login(self.bob)
        found = self.similar("HP LaserJet M404 on the 3rd floor jams paper")
        self.assertNotIn(self.globex_twin.id, [t["id"] for t in found])

    def test_known_solutions_and_closed_tickets_are_not_shown(self):
        self.close(self.reported)
        self.login(self.bob)
        self.assertEqual(self.similar("HP LaserJet M404 on the 3rd floor jams"), [])

    def test_short_or_odd_input(self):
        self.login(self.bob)
        self.assertEqual(self.similar("jam"), [])
        with self.assertRaises(JsonRpcException) as caught:
            self.similar(["HP LaserJet"], {"id": 1})
        self.assertIn("BadRequest", str(caught.exception))

    def test_follow_instead_of_reporting_again(self):
        self.login(self.bob)
        data = {"csrf_token": http.Request.csrf_token(self)}
        response = self.url_open(
            f"/my/ticket/{self.reported.id}/follow", data=data, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(self.other_contact, self.reported.message_partner_ids)
        found = self.similar("Paper jam in the HP LaserJet M404, 3rd floor")
        self.assertTrue(found[0]["following"])
        # Another customer's ticket, an unknown id: not found, nothing changes.
        for ticket_id in (self.globex_twin.id, 10**9):
            response = self.url_open(f"/my/ticket/{ticket_id}/follow", data=data)
            self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.other_contact, self.globex_twin.message_partner_ids)

    def test_new_ticket_form_has_the_panel(self):
        self.login(self.bob)
        page = self.url_open("/new/ticket").text
        self.assertIn('id="service_similar_tickets"', page)
