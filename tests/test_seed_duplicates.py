"""Seed scenario: the same printer failure is reported by two contacts of
one customer, by e-mail and by the portal, ten minutes apart."""

from datetime import timedelta

from odoo import fields, http
from odoo.tests import tagged

from odoo.addons.service_portal.tests.common import ServicePortalCase

EMAIL = """From: Alice Acme <{email}>
To: support@provider.example.com
Subject: HP LaserJet M404 on the 3rd floor jams paper
Message-ID: <printer-jam@acme.example.com>
Content-Type: text/plain; charset=utf-8

The printer near the kitchen jams on every page, tray 2.
"""


@tagged("post_install", "-at_install")
class TestSeedDuplicates(ServicePortalCase):
    def test_second_report_is_a_likely_duplicate_with_a_known_solution(self):
        now = fields.Datetime.now()
        Ticket = self.env["helpdesk.ticket"]
        # Last month another customer's printer jammed the same way.
        solved = Ticket.create(
            {
                "name": "HP LaserJet M404 jams paper in tray 2",
                "description": "<p>Every page jams.</p>",
                "partner_id": self.gina_contact.id,
                "team_id": self.team.id,
            }
        )
        solved.with_user(self.technician).message_post(
            body="Replaced the pickup roller of tray 2; printed 50 pages fine.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.close(solved)
        self.set_created(solved, now - timedelta(days=30))

        # Alice writes to the support address.
        by_mail = Ticket.browse(
            self.env["mail.thread"]
            .with_context(mail_create_nolog=True)
            .message_process("helpdesk.ticket", EMAIL.format(email=self.contact.email))
        )
        self.assertEqual(by_mail.partner_id, self.contact)
        self.set_created(by_mail, now - timedelta(minutes=10))

        # Ten minutes later Bob starts writing the same request in the portal:
        # the form tells him before he sends it.
        self.login(self.bob)
        subject = "Paper jam in the 3rd floor printer HP LaserJet M404"
        found = self.make_jsonrpc_request(
            "/my/tickets/similar",
            {"subject": subject, "description": "Tray 2 is stuck."},
        )
        self.assertEqual([t["id"] for t in found], [by_mail.id])
        self.assertIn(
            "Someone at your company already reported this", found[0]["message"]
        )
        self.assertNotIn("pickup roller", str(found))
        # He sends it all the same.
        self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "contract": self.contract.id,
                "subject": subject,
                "description": "Tray 2 is stuck.",
            },
        )
        by_portal = Ticket.search([("name", "=", subject)])
        self.assertEqual(len(by_portal), 1)
        self.assertEqual(by_portal.partner_id, self.other_contact)

        # The dispatcher sees it as a likely duplicate of Alice's ticket, and
        # the technician sees how the same failure was solved last month.
        by_portal = by_portal.with_user(self.technician)
        self.assertEqual(by_portal.duplicate_candidate_ids[:1], by_mail)
        self.assertEqual(by_portal.similar_solved_ids, solved)
        self.assertIn("pickup roller", by_portal.similar_solved_ids.solution_text)
        # One click makes it a duplicate; Bob follows Alice's ticket.
        by_mail.with_user(self.technician).with_context(
            duplicate_source_id=by_portal.id
        ).action_mark_as_original()
        self.assertEqual(by_portal.duplicate_id, by_mail)
        self.assertIn(self.other_contact, by_mail.message_partner_ids)

    def set_created(self, tickets, when):
        tickets.flush_recordset()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            [when, tuple(tickets.ids)],
        )
        tickets.invalidate_recordset(["create_date"])
