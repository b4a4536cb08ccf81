import base64
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .visit_common import VisitCase

# A tiny PNG: what the signature widget sends.
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)


@tagged("post_install", "-at_install")
class TestVisitOnSite(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls.create_technician("Anna Cold", [cls.refrigeration])

    def setUp(self):
        super().setUp()
        self.visit = self.plan_visit(user_ids=[Command.set(self.anna.ids)])

    def on_site(self, hours):
        """Anna checks in at the planned start and out ``hours`` later."""
        visit = self.visit.with_user(self.anna)
        with freeze_time(self.visit.planned_start):
            visit.action_check_in()
        with freeze_time(self.visit.planned_start + timedelta(hours=hours)):
            visit.action_check_out()
        return visit

    def test_check_in_and_out_fill_the_timesheet_of_the_visit(self):
        visit = self.on_site(2.5)
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.check_in, self.visit.planned_start)
        self.assertAlmostEqual(visit.worked_hours, 2.5)
        line = visit.timesheet_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.ticket_id, visit.ticket_id)
        self.assertEqual(line.user_id, self.anna)
        self.assertAlmostEqual(line.unit_amount, 2.5)
        self.assertEqual(line.date, self.tuesday)
        self.assertEqual(visit.ticket_id.timesheet_ids, line)

    def test_checking_in_twice_or_out_first_is_refused(self):
        visit = self.visit.with_user(self.anna)
        with self.assertRefused(UserError, "cannot be checked out"):
            visit.action_check_out()
        visit.action_check_in()
        with self.assertRefused(UserError, "cannot be checked in"):
            visit.action_check_in()

    def test_a_colleague_who_checks_in_joins_the_visit(self):
        ben = self.create_technician("Ben Frost")
        self.visit.ticket_id.user_id = ben
        self.visit.with_user(ben).action_check_in()
        self.assertEqual(self.visit.user_ids, self.anna | ben)

    def test_technician_records_travel_and_summary_on_the_phone_form(self):
        self.visit.with_user(self.anna).action_check_in()
        with Form(self.visit.with_user(self.anna)) as form:
            form.travel_hours = 0.75
            form.work_summary = "<p>Refilled the refrigerant.</p>"
        self.assertEqual(self.visit.travel_hours, 0.75)
        self.assertIn("refrigerant", self.visit.work_summary)

    def test_technicians_see_only_their_visits(self):
        ben = self.create_technician("Ben Frost")
        with self.assertRaises(AccessError):
            self.visit.with_user(ben).read(["name"])
        self.assertEqual(
            self.env["service.visit"].with_user(ben).search([]),
            self.env["service.visit"],
        )
        self.assertEqual(
            self.env["service.visit"].with_user(self.anna).search([]), self.visit
        )

    def test_customer_signs_in_the_backend(self):
        visit = self.on_site(1)
        with Form(visit) as form:
            form.signed_by = "Alice Acme"
            form.signature = SIGNATURE
        self.assertEqual(visit.report_state, "signed")
        self.assertEqual(visit.signed_by, "Alice Acme")
        self.assertEqual(visit.signed_on.date(), datetime.now().date())
        report = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "service.visit"),
                ("res_id", "=", visit.id),
                ("mimetype", "=", "application/pdf"),
            ]
        )
        self.assertEqual(len(report), 1)
        self.assertIn(visit.name, report.name)
        message = visit.message_ids.filtered(lambda m: m.attachment_ids == report)
        self.assertEqual(message.partner_ids, self.contact)
        self.assertIn("signed work report", message.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.contact)
        # The signed report is final: the back office approves it.
        with self.assertRefused(UserError, "not signed"):
            self.plan_visit().action_approve_report()
        visit.with_user(self.manager).action_approve_report()
        self.assertEqual(visit.report_state, "approved")

    def test_the_work_report_shows_the_visit(self):
        visit = self.on_site(1)
        visit.write(
            {"travel_hours": 0.5, "work_summary": "<p>Replaced the fan motor.</p>"}
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "service_contract.action_report_service_visit", visit.ids
            )[0]
            .decode()
        )
        for text in (visit.name, "Acme Corp", "CH-40-7", "Replaced the fan motor"):
            self.assertIn(text, html)

    def test_the_ticket_lists_its_visits(self):
        ticket = self.visit.ticket_id
        self.plan_visit(ticket, start=14, end=16)
        self.assertEqual(ticket.visit_count, 2)
        action = ticket.action_view_visits()
        self.assertEqual(
            self.env["service.visit"].search(action["domain"]), ticket.visit_ids
        )
        self.assertEqual(action["context"]["default_ticket_id"], ticket.id)
