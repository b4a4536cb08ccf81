from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.service_contract.tests.common import ServiceContractCase


class ServicePortalCase(HttpCase, ServiceContractCase):
    """Two customers, each with a contract and portal contacts: Alice and
    Bob of Acme, Gina of Globex."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls._portal_user("alice", cls.contact)
        cls.bob = cls._portal_user("bob", cls.other_contact)
        cls.contract = cls.create_contract(name="Acme support bag")
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "email": "it@globex.example.com"}
        )
        cls.gina_contact = cls.env["res.partner"].create(
            {
                "name": "Gina Globex",
                "parent_id": cls.other_customer.id,
                "email": "gina@globex.example.com",
            }
        )
        cls.gina = cls._portal_user("gina", cls.gina_contact)
        cls.other_contract = cls.create_contract(
            name="Globex secret plan", partner_id=cls.other_customer.id
        )

    @classmethod
    def _portal_user(cls, login, partner):
        return new_test_user(
            cls.env,
            login=login,
            name=partner.name,
            password=f"{login}-pass",
            groups="base.group_portal",
            partner_id=partner.id,
        )

    @classmethod
    def make_sla_policy(cls):
        """Gold support: 4 h to answer, 24 h to solve, counted around the
        clock."""
        calendar = cls.env["resource.calendar"].create(
            {
                "name": "Around the clock",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        return cls.env["service.sla.policy"].create(
            {
                "name": "Gold support",
                "calendar_id": calendar.id,
                "line_ids": [
                    Command.create(
                        {
                            "priority": priority,
                            "response_hours": 4,
                            "resolution_hours": 24,
                        }
                    )
                    for priority in ("0", "1", "2", "3")
                ],
            }
        )

    def login(self, user):
        self.authenticate(user.login, f"{user.login}-pass")

    def assertNotFound(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404, url)
        return response

    def assertLoginRedirect(self, url):
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303), url)
        self.assertIn("/web/login", response.headers["Location"], url)
