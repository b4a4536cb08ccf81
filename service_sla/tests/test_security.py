from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSecurity(SlaCase):
    def test_access_rights(self):
        Policy = self.env["service.sla.policy"]
        self.assertTrue(Policy.with_user(self.technician).has_access("read"))
        self.assertFalse(Policy.with_user(self.technician).has_access("create"))
        self.assertTrue(Policy.with_user(self.manager).has_access("create"))
        self.assertTrue(
            self.env["service.sla.report"].with_user(self.technician).has_access("read")
        )
        with self.assertRaises(AccessError):
            self.policy.with_user(self.technician).at_risk_percent = 50

    def test_a_technician_moves_and_answers_tickets(self):
        """Pauses and clocks are bookkeeping: a technician without rights on
        policies or pauses still works the ticket."""
        ticket = self.ticket_at("2024-03-04 09:00")
        self.reply(ticket, "2024-03-04 09:15")
        self.move(ticket, self.stage_awaiting, "2024-03-04 10:00")
        self.move(ticket, self.stage_progress, "2024-03-04 11:00")
        self.move(ticket, self.stage_done, "2024-03-04 12:00")
        ticket = ticket.with_user(self.technician)
        self.assertEqual(ticket.sla_resolution_status, "met")
        self.assertEqual(len(ticket.sla_pause_ids), 2)
        self.assertEqual(self.clock(ticket, "resolution").working_hours_used, 2)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        hidden = self.make_policy(
            self.make_calendar("UTC", "Other hours"), "Other company"
        )
        hidden.calendar_id.company_id = other_company
        hidden.company_id = other_company
        shared = self.make_policy(self.make_calendar("UTC", "Shared hours"), "Shared")
        shared.calendar_id.company_id = shared.company_id = False
        visible = self.env["service.sla.policy"].with_user(self.technician).search([])
        self.assertIn(self.policy, visible)
        self.assertIn(shared, visible)
        self.assertNotIn(hidden, visible)
        # A team shared between companies does not hand one company's policy
        # to another company's tickets.
        shared_team = self.team.copy({"company_id": False})
        ticket = self.ticket_at(
            "2024-03-04 09:00", team_id=shared_team.id, company_id=other_company.id
        )
        self.assertEqual(ticket.company_id, other_company)
        self.assertFalse(ticket.sla_policy_id)
        self.assertFalse(ticket.sla_response_status)

    def test_invalid_settings_are_refused(self):
        with self.assertRaises(ValidationError):
            self.policy.at_risk_percent = 120
        line = self.policy.line_ids[:1]
        with self.assertRaises(ValidationError):
            line.response_hours = -1
        with self.assertRaises(ValidationError):
            line.write({"response_hours": 0, "resolution_hours": 0})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.policy.line_ids = [
                Command.create({"priority": line.priority, "response_hours": 1})
            ]


@tagged("post_install", "-at_install")
class TestDemo(SlaCase):
    def test_demo_contracts_carry_the_business_hours_policy(self):
        policy = self.env.ref("service_sla.sla_policy_business_8x5")
        self.assertEqual(policy.calendar_id.tz, "Europe/Brussels")
        self.assertEqual(len(policy.line_ids), 4)
        for xmlid in (
            "service_contract.contract_bag_100h",
            "service_contract.contract_yearly_quarterly",
            "service_contract.contract_monthly_10h",
        ):
            self.assertEqual(self.env.ref(xmlid).sla_policy_id, policy)
        open_tickets = self.env.ref("service_contract.contract_bag_100h").ticket_ids
        open_tickets = open_tickets.filtered(lambda t: not t.stage_id.closed)
        self.assertTrue(open_tickets)
        for ticket in open_tickets:
            self.assertEqual(ticket.sla_policy_id, policy)
            self.assertTrue(ticket.sla_response_status)
            self.assertTrue(ticket.sla_resolution_deadline)
