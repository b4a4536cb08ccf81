import base64
import io

from PIL import Image

from odoo.tests import tagged

from .common import ServicePortalCase


def signature_png():
    """A small drawn signature, as the portal's signature form sends it."""
    image = Image.new("RGB", (60, 20), "white")
    for x in range(5, 55):
        image.putpixel((x, 10 + (x % 7) - 3), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestPortalVisits(ServicePortalCase):
    """Field visits in the customer portal: Alice and Bob read and sign
    Acme's visits; Gina of Globex reaches none of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.open_ticket(cls, name="Chiller stopped")
        cls.visit = cls.env["service.visit"].create(
            {
                "ticket_id": cls.ticket.id,
                "user_ids": [cls.technician.id],
                "planned_start": f"{cls.today} 09:00:00",
                "planned_end": f"{cls.today} 11:00:00",
                "travel_hours": 1.5,
            }
        )
        cls.visit.action_check_in()
        cls.part = cls.env["product.product"].create(
            {"name": "Compressor relay", "list_price": 42.0, "type": "consu"}
        )
        cls.env["helpdesk.ticket.charge"].create(
            {"visit_id": cls.visit.id, "product_id": cls.part.id, "quantity": 2}
        )
        globex_ticket = cls.open_ticket(
            cls,
            cls.gina_contact,
            name="Globex boiler",
            contract_id=cls.other_contract.id,
        )
        cls.globex_visit = cls.env["service.visit"].create(
            {
                "ticket_id": globex_ticket.id,
                "planned_start": f"{cls.today} 14:00:00",
                "planned_end": f"{cls.today} 15:00:00",
            }
        )
        cls.globex_visit.action_check_in()

    def sign(self, visit, name="Alice Acme", signature=None, token=None):
        url = f"/my/visits/{visit.id}/sign"
        if token:
            url += f"?access_token={token}"
        return self.make_jsonrpc_request(
            url, {"name": name, "signature": signature or signature_png()}
        )

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def test_customer_lists_their_visits_only(self):
        self.login(self.alice)
        response = self.url_open("/my/visits")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="/my/visits/{self.visit.id}"', response.text)
        self.assertNotIn(f"/my/visits/{self.globex_visit.id}", response.text)
        self.assertNotIn("Globex boiler", response.text)

    def test_home_counts_the_customers_visits(self):
        self.login(self.alice)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["service_visit_count"]}
        )
        self.assertEqual(counters["service_visit_count"], 1)
        self.assertIn('href="/my/visits"', self.url_open("/my").text)

    def test_visit_page_shows_the_work_report(self):
        self.login(self.bob)
        response = self.url_open(f"/my/visits/{self.visit.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Chiller stopped", response.text)
        self.assertIn("Compressor relay", response.text)
        self.assertIn("o_service_portal_sign_report", response.text)
        self.assertIn("portal.signature_form", response.text)

    def test_another_customers_visit_is_refused(self):
        self.login(self.gina)
        for suffix in ("", "/report.pdf"):
            response = self.url_open(
                f"/my/visits/{self.visit.id}{suffix}", allow_redirects=False
            )
            self.assertEqual(response.status_code, 403, suffix)
            self.assertNotIn("Chiller stopped", response.text)

    def test_unknown_or_huge_ids_are_not_found(self):
        self.login(self.alice)
        missing = self.globex_visit.id + 1000
        for visit_id in (missing, 2**31, 10**30):
            for suffix in ("", "/report.pdf"):
                self.assertNotFound(f"/my/visits/{visit_id}{suffix}")
        for bad in ("sortby=drop", "filterby=nothing"):
            response = self.url_open(f"/my/visits?{bad}")
            self.assertEqual(response.status_code, 400, bad)

    def test_token_opens_the_visit_without_login(self):
        self.visit._portal_ensure_token()
        response = self.url_open(
            f"/my/visits/{self.visit.id}?access_token={self.visit.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Chiller stopped", response.text)
        response = self.url_open(
            f"/my/visits/{self.visit.id}?access_token=wrong", allow_redirects=False
        )
        self.assertEqual(response.status_code, 403)

    def test_work_report_download(self):
        self.login(self.alice)
        response = self.url_open(f"/my/visits/{self.visit.id}/report.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Chiller stopped", response.text)

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    def test_customer_signs_the_work_report(self):
        self.login(self.alice)
        result = self.sign(self.visit)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn(f"/my/visits/{self.visit.id}", result["redirect_url"])
        self.assertIn("message=sign_ok", result["redirect_url"])
        self.assertEqual(self.visit.report_state, "signed")
        self.assertEqual(self.visit.signed_by, "Alice Acme")
        self.assertTrue(self.visit.signature)
        self.assertTrue(self.visit.signed_on)
        # The signed work report is on the visit and goes to the customer.
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "service.visit"),
                ("res_id", "=", self.visit.id),
            ]
        )
        self.assertTrue(attachments)
        message = self.env["mail.message"].search(
            [
                ("model", "=", "service.visit"),
                ("res_id", "=", self.visit.id),
                ("attachment_ids", "in", attachments.ids),
            ]
        )
        self.assertTrue(
            message.partner_ids & (self.customer | self.contact | self.other_contact),
            "the signed report is sent to the customer",
        )
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("visit_signature", page)
        self.assertNotIn("o_service_portal_sign_report", page)

    def test_signing_twice_is_refused(self):
        self.login(self.alice)
        self.sign(self.visit)
        signed_on = self.visit.signed_on
        result = self.sign(self.visit, name="Bob Acme")
        self.assertIn("error", result)
        self.assertEqual(self.visit.signed_by, "Alice Acme")
        self.assertEqual(self.visit.signed_on, signed_on)

    def test_another_customer_cannot_sign(self):
        self.login(self.gina)
        result = self.sign(self.visit, name="Gina Globex")
        self.assertIn("error", result)
        self.assertEqual(self.visit.report_state, "draft")
        self.assertFalse(self.visit.signed_by)
        result = self.make_jsonrpc_request(
            "/my/visits/99999999/sign", {"name": "Gina", "signature": signature_png()}
        )
        self.assertIn("error", result)

    def test_signing_needs_name_and_readable_signature(self):
        self.login(self.alice)
        self.assertIn("error", self.sign(self.visit, name="  "))
        self.assertIn("error", self.sign(self.visit, signature="not an image"))
        self.assertEqual(self.visit.report_state, "draft")

    def test_visit_not_started_cannot_be_signed(self):
        later = self.visit.copy(
            {
                "planned_start": f"{self.today} 16:00:00",
                "planned_end": f"{self.today} 17:00:00",
            }
        )
        self.login(self.alice)
        self.assertIn("error", self.sign(later))
        self.assertEqual(later.report_state, "draft")

    def test_technician_phone_link_lets_the_customer_sign(self):
        """The technician shows the visit's portal link on their phone: the
        customer signs there, with no portal account of their own."""
        self.visit._portal_ensure_token()
        result = self.sign(self.visit, name="Carl Acme", token=self.visit.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.visit.signed_by, "Carl Acme")
        self.assertIn("error", self.sign(self.globex_visit, token="guess"))
        self.assertEqual(self.globex_visit.report_state, "draft")


@tagged("post_install", "-at_install")
class TestVisitPhoneTour(ServicePortalCase):
    """The technician's day on a phone-sized screen."""

    browser_size = "400x800"

    def test_technician_visit_on_a_phone(self):
        day = self.today
        ticket = self.open_ticket(name="Tour: chiller stopped")
        self.env["product.product"].create(
            # A favourite: first in the phone's product search.
            {
                "name": "Tour relay",
                "list_price": 42.0,
                "type": "consu",
                "is_favorite": True,
            }
        )
        visit = self.env["service.visit"].create(
            {
                "ticket_id": ticket.id,
                "user_ids": [self.technician.id],
                "planned_start": f"{day} 06:00:00",
                "planned_end": f"{day} 20:00:00",
            }
        )
        self.start_tour(
            "/odoo/action-service_contract.service_visit_action_today",
            "service_portal_visit_phone",
            login="technician",
        )
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_in and visit.check_out)
        self.assertEqual(visit.report_state, "signed")
        self.assertEqual(visit.signed_by, "Alice Acme")
        self.assertTrue(visit.signature)
        self.assertEqual(
            [(c.product_id.name, c.quantity) for c in visit.charge_ids],
            [("Tour relay", 2.0)],
        )
