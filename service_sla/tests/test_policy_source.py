from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestPolicySource(SlaCase):
    """The policy of a ticket comes from one place (the contract's, else the
    team's) and its changes reach the running clocks at once."""

    def test_clearing_the_contract_policy_gives_the_team_policy(self):
        gold = self.make_policy(self.calendar, "Gold", p1=(1, 4))
        with freeze_time(self.utc("2024-03-04 08:00")):
            contract = self.create_contract(
                date_start="2024-01-01", date_end="2024-12-31", sla_policy_id=gold.id
            )
        ticket = self.ticket_at("2024-03-04 09:00")
        closed = self.ticket_at("2024-03-04 09:00")
        self.move(closed, self.stage_done, "2024-03-04 09:20")
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-04 10:00"))
        with self.at("2024-03-04 09:30"):
            contract.with_user(self.manager).sla_policy_id = False
            self.env.flush_all()  # as at the end of the request
        self.assertEqual(ticket.sla_policy_id, self.policy, "the team's policy")
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-04 11:00"))
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-05 09:00"))
        self.assertEqual(self.clock(ticket, "response").policy_id, self.policy)
        self.assertEqual(closed.sla_policy_id, gold, "closed tickets keep theirs")
        self.assertEqual(closed.sla_resolution_status, "met")

    def test_a_new_team_policy_moves_the_open_tickets(self):
        relaxed = self.make_policy(self.calendar, "Relaxed", p1=(8, 40))
        ticket = self.ticket_at("2024-03-04 09:00")
        with self.at("2024-03-04 10:00"):
            self.team.sla_policy_id = relaxed
            self.env.flush_all()  # as at the end of the request
        self.assertEqual(ticket.sla_policy_id, relaxed)
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-05 09:00"))
        with self.at("2024-03-04 10:30"):
            self.team.sla_policy_id = False
            self.env.flush_all()  # as at the end of the request
        self.assertFalse(ticket.sla_policy_id)
        self.assertFalse(ticket.sla_clock_ids, "no target, no running clock")
        self.assertFalse(ticket.sla_response_status)

    def test_a_new_pause_stage_stops_the_clocks_at_once(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.move(ticket, self.stage_progress, "2024-03-04 09:30")
        self.assertFalse(ticket.sla_paused)
        with self.at("2024-03-04 10:00"):
            self.policy.pause_stage_ids = [Command.link(self.stage_progress.id)]
        self.assertTrue(ticket.sla_paused)
        self.assertEqual(ticket.sla_pause_ids.date_start, self.utc("2024-03-04 10:00"))
        self.assertFalse(ticket.sla_next_event_date, "a paused clock has no event")
        self.escalate("2024-03-04 11:30")
        self.assertEqual(ticket.sla_response_status, "ongoing", "paused: no breach")
        with self.at("2024-03-04 11:30"):
            self.policy.pause_stage_ids = [Command.unlink(self.stage_progress.id)]
        self.assertFalse(ticket.sla_paused)
        # one hour used before the pause, one left after it
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-04 13:30"))
        self.assertEqual(ticket.sla_pause_ids.date_end, self.utc("2024-03-04 11:30"))

    def test_clocks_are_records_nobody_writes(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.assertEqual(
            ticket.sla_clock_ids.mapped("target"), ["response", "resolution"]
        )
        ticket.sla_clock_ids.invalidate_recordset()
        self.assertEqual(ticket.sla_clock_ids.company_id, ticket.company_id)
        response = self.clock(ticket, "response")
        self.assertEqual(response.deadline, ticket.sla_response_deadline)
        self.assertEqual(response.status, ticket.sla_response_status)
        for user in (self.manager, self.technician):
            self.assertTrue(response.with_user(user).read(["deadline", "status"]))
        with self.assertRaises(UserError):
            response.status = "met"
        with self.assertRaises(UserError):
            self.env["service.sla.clock"].create(
                {"ticket_id": ticket.id, "target": "arrival"}
            )

    def test_portal_users_read_the_clocks_of_their_tickets(self):
        portal = self.env["res.users"].create(
            {
                "name": "Alice Acme",
                "login": "alice_portal",
                "partner_id": self.contact.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        own = self.ticket_at("2024-03-04 09:00")
        other = self.env["res.partner"].create(
            {"name": "Other Ltd", "is_company": True}
        )
        foreign = self.ticket_at("2024-03-04 09:00", partner=other)
        visible = self.env["service.sla.clock"].with_user(portal).search([])
        self.assertEqual(visible.ticket_id, own)
        self.assertTrue(foreign.sla_clock_ids)
