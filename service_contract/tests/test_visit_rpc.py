"""Visits as integrators and portal users reach them: over XML-RPC, with
each one's access."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .visit_common import VisitCase


@tagged("post_install", "-at_install")
class TestVisitRpc(HttpCase, VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls.create_technician("Anna Cold", [cls.refrigeration])
        cls.dispatcher = new_test_user(
            cls.env,
            login="dispatcher",
            password="dispatcher-secret",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="alice.portal",
            password="alice-secret",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        other = cls.env["res.partner"].create(
            {"name": "Other Corp", "is_company": True}
        )
        cls.other_ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Elsewhere", "description": "<p>x</p>", "partner_id": other.id}
        )

    def call(self, login, password, model, method, *args, **kwargs):
        uid = self.env["res.users"].search([("login", "=", login)]).id
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, model, method, list(args), kwargs
        )

    def test_dispatcher_reads_suggestions_and_cannot_write_them(self):
        visit = self.plan_visit()
        [read] = self.call(
            "dispatcher",
            "dispatcher-secret",
            "service.visit",
            "read",
            visit.ids,
            ["name", "state", "required_skill_ids", "suggested_user_ids"],
        )
        self.assertEqual(read["state"], "confirmed")
        self.assertEqual(read["required_skill_ids"], self.refrigeration.ids)
        self.assertEqual(read["suggested_user_ids"], self.anna.ids)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "computed"):
            self.call(
                "dispatcher",
                "dispatcher-secret",
                "service.visit",
                "write",
                visit.ids,
                {"suggested_user_ids": [(6, 0, [self.dispatcher.id])]},
            )
        self.assertIs(
            self.call(
                "dispatcher",
                "dispatcher-secret",
                "service.visit",
                "action_assign_suggested",
                visit.ids,
            ),
            True,
        )
        self.assertEqual(visit.user_ids, self.anna)

    def test_portal_users_read_their_customers_visits_only(self):
        visit = self.plan_visit()
        elsewhere = self.plan_visit(self.other_ticket)
        found = self.call(
            "alice.portal",
            "alice-secret",
            "service.visit",
            "search_read",
            [],
            ["name", "planned_start", "state"],
        )
        self.assertEqual([row["id"] for row in found], visit.ids)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "AccessError|access"):
            self.call(
                "alice.portal",
                "alice-secret",
                "service.visit",
                "read",
                elsewhere.ids,
                ["name"],
            )
        with self.assertRaisesRegex(xmlrpc.client.Fault, "AccessError|access"):
            self.call(
                "alice.portal",
                "alice-secret",
                "service.visit",
                "write",
                visit.ids,
                {"work_summary": "<p>Nothing done</p>"},
            )
