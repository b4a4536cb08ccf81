from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestEscalation(SlaCase):
    """A ticket of a contract (account manager: ``manager``) assigned to the
    technician, in a team led by ``team_leader``. Opened Monday 9:00 with
    priority "1": response at risk 10:36, due 11:00; resolution at risk
    16:24, due Tuesday 9:00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_ids = [Command.link(cls.technician.id)]
        with freeze_time("2024-03-01"):
            cls.contract = cls.create_contract(
                date_start="2024-01-01", date_end="2024-12-31"
            )

    def open_assigned(self, local="2024-03-04 09:00", **values):
        return self.ticket_at(local, user_id=self.technician.id, **values)

    def activities(self, ticket):
        return ticket.activity_ids.sorted("id")

    def mails(self, ticket):
        return self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)], order="id"
        )

    def test_at_risk_then_breached_each_notice_once(self):
        ticket = self.open_assigned()
        self.assertEqual(ticket.contract_id, self.contract)
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-04 10:36"))
        self.escalate("2024-03-04 10:30")
        self.assertFalse(self.activities(ticket))

        self.escalate("2024-03-04 10:37")
        self.assertEqual(ticket.sla_response_status, "at_risk")
        activity = self.activities(ticket)
        self.assertEqual(activity.user_id, self.technician)
        self.assertIn("Response at risk", activity.summary)
        self.assertEqual(len(self.mails(ticket)), 1)
        self.assertEqual(self.mails(ticket).recipient_ids, self.technician.partner_id)
        self.assertIn("Response at risk", self.mails(ticket).subject)
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-04 11:00"))

        self.escalate("2024-03-04 10:45")
        self.assertEqual(len(self.activities(ticket)), 1, "no second notice")

        self.escalate("2024-03-04 11:01")
        self.assertEqual(ticket.sla_response_status, "breached")
        breach = self.activities(ticket)[1:]
        self.assertEqual(breach.user_id, self.manager | self.team.user_id)
        self.assertTrue(all("Response breached" in s for s in breach.mapped("summary")))
        self.assertEqual(
            self.mails(ticket)[1].recipient_ids,
            self.manager.partner_id | self.team.user_id.partner_id,
        )
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-04 16:24"))

        self.escalate("2024-03-04 11:30")
        self.escalate("2024-03-04 12:00")
        self.assertEqual(len(self.activities(ticket)), 3)
        self.assertEqual(len(self.mails(ticket)), 2)

        self.escalate("2024-03-04 16:25")
        self.assertEqual(ticket.sla_resolution_status, "at_risk")
        self.assertEqual(self.activities(ticket)[-1].user_id, self.technician)
        self.assertIn("Resolution at risk", self.activities(ticket)[-1].summary)
        self.assertEqual(len(self.mails(ticket)), 3)

    def test_a_late_sweep_sends_only_the_breach(self):
        ticket = self.open_assigned()
        self.escalate("2024-03-04 11:30")
        self.assertEqual(ticket.sla_response_status, "breached")
        summaries = self.activities(ticket).mapped("summary")
        self.assertEqual(len(summaries), 2)
        self.assertTrue(all("breached" in summary for summary in summaries))

    def test_no_second_notice_after_falling_back(self):
        ticket = self.open_assigned()
        self.escalate("2024-03-04 10:40")
        self.assertEqual(len(self.activities(ticket)), 1)
        with self.at("2024-03-04 10:41"):
            ticket.priority = "0"  # 8 h to respond: ongoing again
        self.assertEqual(ticket.sla_response_status, "ongoing")
        # at risk again after 6.4 h, on Monday 16:24
        self.escalate("2024-03-04 16:30")
        self.assertEqual(ticket.sla_response_status, "at_risk")
        self.assertEqual(len(self.activities(ticket)), 1, "never the same notice twice")

    def test_breach_decided_by_a_user_change_is_notified_by_the_next_sweep(self):
        ticket = self.open_assigned(priority="0")
        with self.at("2024-03-04 15:30"):
            ticket.priority = "2"
        self.assertEqual(ticket.sla_resolution_status, "breached")
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-04 15:30"))
        self.escalate("2024-03-04 15:31")
        # the response and the resolution breaches, to two people each
        self.assertEqual(len(self.activities(ticket)), 4)
        self.assertFalse(ticket.sla_next_event_date)

    def test_paused_and_met_clocks_have_no_event(self):
        ticket = self.open_assigned()
        self.reply(ticket, "2024-03-04 09:10")
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-04 16:24"))
        self.move(ticket, self.stage_awaiting, "2024-03-04 09:20")
        self.assertFalse(ticket.sla_next_event_date)
        self.escalate("2024-03-06 09:00")
        self.assertEqual(ticket.sla_resolution_status, "ongoing")
        self.assertFalse(self.activities(ticket))
        self.move(ticket, self.stage_progress, "2024-03-06 09:00")
        self.assertTrue(ticket.sla_next_event_date)
        self.move(ticket, self.stage_done, "2024-03-06 10:00")
        self.assertFalse(ticket.sla_next_event_date)

    def test_the_sweep_reads_only_due_tickets(self):
        """A sweep costs the same whatever the number of tickets whose clocks
        run with nothing due."""

        def sweep_one_due_ticket(others):
            due = self.open_assigned()  # at risk from 10:36
            with self.at("2024-03-04 10:30"):
                self.env["helpdesk.ticket"].create(
                    [
                        {"name": f"Ticket {i}", "description": "-", "priority": "0"}
                        | {"team_id": self.team.id, "partner_id": self.contact.id}
                        for i in range(others)
                    ]
                )
            self.env.invalidate_all()
            with self.at("2024-03-04 10:37"):
                start = self.cr.sql_log_count
                self.env["helpdesk.ticket"]._cron_sla_escalate()
                self.env.flush_all()
                queries = self.cr.sql_log_count - start
            self.assertEqual(due.sla_response_status, "at_risk")
            return queries

        sweep_one_due_ticket(0)  # warms the caches
        self.assertEqual(sweep_one_due_ticket(5), sweep_one_due_ticket(40))

    def test_notices_are_sent_in_batch(self):
        """A sweep sending 40 notices costs as many queries as one sending 5:
        the activities and the e-mails are made in batch."""

        def sweep(count):
            """``count`` tickets swept at 11:10: half of them opened at 9:00,
            breached (two recipients), the others opened at 9:30, at risk
            (the assignee)."""
            tickets = self.env["helpdesk.ticket"]
            for local, number in (("09:00", count // 2), ("09:30", count - count // 2)):
                with self.at(f"2024-03-04 {local}"):
                    tickets += self.env["helpdesk.ticket"].create(
                        [
                            {"name": f"Ticket {i}", "description": "-", "priority": "1"}
                            | {"team_id": self.team.id, "partner_id": self.contact.id}
                            | {"user_id": self.technician.id}
                            for i in range(number)
                        ]
                    )
            self.env.flush_all()
            self.env.invalidate_all()
            with self.at("2024-03-04 11:10"):
                start = self.cr.sql_log_count
                self.env["helpdesk.ticket"]._cron_sla_escalate()
                self.env.flush_all()
                queries = self.cr.sql_log_count - start
            breached = tickets.filtered(lambda t: t.sla_response_status == "breached")
            self.assertEqual(len(breached), count // 2)
            self.assertEqual(
                set((tickets - breached).mapped("sla_response_status")), {"at_risk"}
            )
            for ticket in tickets:
                leaders = ticket in breached and self.manager | self.team.user_id
                users = leaders or self.technician
                self.assertEqual(self.activities(ticket).user_id, users)
                mail = self.mails(ticket)
                self.assertEqual(len(mail), 1)
                self.assertEqual(mail.recipient_ids, users.partner_id)
                self.assertIn(ticket.name, mail.subject)
                self.assertIn(self.activities(ticket)[0].summary, mail.subject)
                self.assertIn(ticket.display_name, mail.body_html)
            responses = tickets.sla_clock_ids.filtered(lambda c: c.target == "response")
            self.assertTrue(all(responses.mapped("risk_sent")))
            self.assertEqual(
                set(responses.filtered("breach_sent").ticket_id), set(breached)
            )
            return queries

        sweep(2)  # warms the caches
        self.assertEqual(sweep(5), sweep(40))
