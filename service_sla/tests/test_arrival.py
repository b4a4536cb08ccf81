from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestArrival(SlaCase):
    """The on-site arrival target: a ticket that needs a field visit gets an
    arrival clock, counted in working time from the ticket's start and met
    at the first check-in of its visits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.line_ids.filtered(lambda line: line.priority == "1").write(
            {"arrival_hours": 4}
        )

    def plan_visit(self, ticket, local):
        with self.at(local):
            return self.env["service.visit"].create(
                {
                    "ticket_id": ticket.id,
                    "planned_start": self.utc("2024-03-05 09:00"),
                    "planned_end": self.utc("2024-03-05 11:00"),
                }
            )

    def check_in(self, visit, local):
        with self.at(local):
            visit.with_user(self.technician).action_check_in()

    def test_a_ticket_without_visit_has_no_arrival_clock(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.assertFalse(self.clock(ticket, "arrival"))

    def test_arrival_met_at_the_first_check_in(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        visit = self.plan_visit(ticket, "2024-03-04 09:30")
        arrival = self.clock(ticket, "arrival")
        # 9:00-12:00 and 13:00-14:00: four working hours from the ticket
        self.assertEqual(arrival.deadline, self.utc("2024-03-04 14:00"))
        self.assertEqual(arrival.status, "ongoing")
        self.check_in(visit, "2024-03-04 11:00")
        self.assertEqual(arrival.status, "met")
        self.assertEqual(arrival.decided_at, self.utc("2024-03-04 11:00"))
        self.assertEqual(ticket.sla_resolution_status, "ongoing", "others run on")

    def test_a_late_arrival_stays_breached(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        visit = self.plan_visit(ticket, "2024-03-04 09:30")
        self.escalate("2024-03-04 14:30")
        arrival = self.clock(ticket, "arrival")
        self.assertEqual(arrival.status, "breached")
        self.check_in(visit, "2024-03-05 09:10")
        self.assertEqual(arrival.status, "breached", "a breach is history")

    def test_cancelling_the_only_visit_drops_the_clock(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        visit = self.plan_visit(ticket, "2024-03-04 09:30")
        self.assertTrue(self.clock(ticket, "arrival"))
        with self.at("2024-03-04 10:00"):
            visit.action_cancel()
        self.assertFalse(self.clock(ticket, "arrival"))
