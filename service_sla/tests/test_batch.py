from odoo import fields
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestBatch(SlaCase):
    def ticket_values(self, count):
        return [
            {
                "name": f"Request {index}",
                "description": "<p>Help</p>",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
                "priority": str(index % 4),
            }
            for index in range(count)
        ]

    def create_queries(self, count, policy):
        """Queries to create ``count`` tickets in one call."""
        self.team.sla_policy_id = policy
        self.env.flush_all()
        self.env.invalidate_all()
        with self.at("2024-03-04 09:00"):
            start = self.cr.sql_log_count
            tickets = self.env["helpdesk.ticket"].create(self.ticket_values(count))
            self.env.flush_all()
            return self.cr.sql_log_count - start, tickets

    def test_batch_creation_plans_without_per_ticket_queries(self):
        """Creating tickets in one call plans all their clocks with a fixed
        number of queries, however many tickets there are."""
        for policy in (self.policy, False):  # warms the caches
            self.create_queries(2, policy)
        extra = {}
        for count in (5, 25):
            with_sla, tickets = self.create_queries(count, self.policy)
            self.assertTrue(all(tickets.mapped("sla_response_deadline")))
            self.assertEqual(set(tickets.mapped("sla_response_status")), {"ongoing"})
            # (the team's policy removed next: these tickets' clocks go)
            without_sla, _tickets = self.create_queries(count, False)
            extra[count] = with_sla - without_sla
        self.assertEqual(extra[5], extra[25])

    def test_planning_query_count(self):
        with self.at("2024-03-04 09:00"):
            tickets = self.env["helpdesk.ticket"].create(self.ticket_values(40))
        for batch in (tickets[:10], tickets):
            self.env.invalidate_all()
            # the tickets, their pauses, clocks and visits (the arrival
            # target), the policy and its lines, the calendar, its
            # attendances and leaves, one update of the clocks and of the
            # tickets' summary: as many queries for 10 tickets as for 40
            with self.at("2024-03-05 09:00"), self.assertQueryCount(16):
                batch._sla_plan(fields.Datetime.now())

    def test_tickets_made_one_by_one(self):
        """Tickets made one at a time, as the mail gateway makes them: a
        policy costs each new ticket the insert of its clocks and nothing
        more (its former policy is not read back, the clocks are not
        updated after their insert), and no environment is left behind per
        ticket (Odoo looks an environment up among all the live ones)."""

        def queries_per_ticket(policy):
            self.team.sla_policy_id = policy
            counts, environments = [], []
            for vals in self.ticket_values(12):
                self.env.flush_all()
                start = self.cr.sql_log_count
                self.env["helpdesk.ticket"].create(vals)
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
                environments.append(len(self.env.transaction.envs))
            # the first of each priority warms the caches
            self.assertEqual(len(set(counts[4:])), 1, counts)
            self.assertLessEqual(environments[-1], environments[4] + 1)
            return counts[-1]

        with self.at("2024-03-04 09:00"):
            without_policy = queries_per_ticket(False)
            with_policy = queries_per_ticket(self.policy)
        self.assertEqual(with_policy, without_policy + 1)
