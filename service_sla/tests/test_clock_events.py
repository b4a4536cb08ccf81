from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestClockEvents(SlaCase):
    """First response, closing and reopening, pauses, priority and policy
    changes. Priority "1": 2 h to respond, 8 h to resolve; a ticket opened
    Monday 9:00 is due 11:00 and Tuesday 9:00."""

    def test_first_response_is_an_employee_public_reply(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.reply(ticket, "2024-03-04 09:10", subtype_xmlid="mail.mt_note")
        with self.at("2024-03-04 09:15"):
            ticket.message_post(
                body="Same problem on the second printer.",
                author_id=self.contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.reply(ticket, "2024-03-04 09:20", message_type="notification")
        self.reply(ticket, "2024-03-04 09:25", message_type="auto_comment")
        self.assertFalse(ticket.sla_first_response_date)
        self.assertEqual(ticket.sla_response_status, "ongoing")

        self.reply(ticket, "2024-03-04 09:30")
        self.assertEqual(ticket.sla_first_response_date, self.utc("2024-03-04 09:30"))
        self.assertEqual(ticket.sla_response_status, "met")
        self.assertEqual(
            self.clock(ticket, "response").decided_at, self.utc("2024-03-04 09:30")
        )
        self.assertEqual(self.clock(ticket, "response").working_hours_used, 0.5)
        self.reply(ticket, "2024-03-04 10:00", user=self.manager)
        self.assertEqual(ticket.sla_first_response_date, self.utc("2024-03-04 09:30"))
        self.assertEqual(ticket.sla_resolution_status, "ongoing")

    def test_late_reply_keeps_the_breach(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.escalate("2024-03-04 11:01")
        self.assertEqual(ticket.sla_response_status, "breached")
        self.assertEqual(
            self.clock(ticket, "response").decided_at, self.utc("2024-03-04 11:00")
        )
        self.reply(ticket, "2024-03-04 13:30")
        self.assertEqual(ticket.sla_response_status, "breached")
        self.assertEqual(ticket.sla_first_response_date, self.utc("2024-03-04 13:30"))
        self.assertEqual(
            self.clock(ticket, "response").working_hours_used, 3.5
        )  # 9-12 and 13-13:30

    def test_late_reply_before_the_sweep_is_a_breach(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.reply(ticket, "2024-03-04 11:01")
        self.assertEqual(ticket.sla_response_status, "breached")
        self.assertEqual(
            self.clock(ticket, "response").decided_at, self.utc("2024-03-04 11:00")
        )

    def test_closing_meets_resolution_and_reopening_resumes_it(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.reply(ticket, "2024-03-04 09:30")
        self.move(ticket, self.stage_done, "2024-03-04 15:00")
        self.assertEqual(ticket.sla_resolution_status, "met")
        self.assertEqual(
            self.clock(ticket, "resolution").decided_at, self.utc("2024-03-04 15:00")
        )
        self.assertEqual(self.clock(ticket, "resolution").working_hours_used, 5)
        self.assertFalse(ticket.sla_next_event_date)
        self.assertEqual(ticket.sla_badge, "SLA met")

        self.move(ticket, self.stage_progress, "2024-03-05 09:00")
        self.assertEqual(ticket.sla_resolution_status, "ongoing")
        self.assertEqual(ticket.sla_response_status, "met", "the response stays")
        # closed 2 h on Monday and 1 h on Tuesday: Tuesday 9:00 + 3 h
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-05 12:00"))
        self.move(ticket, self.stage_done, "2024-03-05 10:00")
        self.assertEqual(ticket.sla_resolution_status, "met")
        self.assertEqual(self.clock(ticket, "resolution").working_hours_used, 6)

    def test_reopening_a_breached_ticket_keeps_the_breach(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.move(ticket, self.stage_done, "2024-03-05 10:00")
        self.assertEqual(ticket.sla_resolution_status, "breached")
        self.assertEqual(ticket.sla_response_status, "breached")
        self.move(ticket, self.stage_progress, "2024-03-05 11:00")
        self.assertEqual(ticket.sla_resolution_status, "breached")
        self.assertEqual(
            self.clock(ticket, "resolution").decided_at, self.utc("2024-03-05 09:00")
        )

    def test_closing_without_reply_meets_the_response(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.move(ticket, self.stage_done, "2024-03-04 10:00")
        self.assertEqual(ticket.sla_response_status, "met")
        self.assertFalse(ticket.sla_first_response_date)
        self.assertEqual(ticket.sla_resolution_status, "met")

    def test_pause_and_resume(self):
        ticket = self.ticket_at("2024-03-04 09:00", priority="2")  # 1 h, 4 h
        self.move(ticket, self.stage_awaiting, "2024-03-04 09:30")
        self.assertEqual(ticket.sla_badge, "Response paused")
        self.escalate("2024-03-05 10:00")
        self.assertEqual(ticket.sla_response_status, "ongoing", "paused: no breach")
        self.move(ticket, self.stage_progress, "2024-03-05 10:00")
        # 30 minutes were left
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-05 10:30"))
        self.assertEqual(
            self.clock(ticket, "response").risk_date, self.utc("2024-03-05 10:18")
        )
        self.assertEqual(ticket.sla_next_event_date, self.utc("2024-03-05 10:18"))
        self.assertEqual(ticket.sla_pause_ids.date_end, self.utc("2024-03-05 10:00"))
        self.assertEqual(ticket.sla_pause_ids.stage_id, self.stage_awaiting)
        with self.at("2024-03-05 10:10"):
            ticket.invalidate_recordset(["sla_badge"])
            self.assertEqual(ticket.sla_badge, "Response: 20m left")
        with self.at("2024-03-05 13:30"):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
            ticket.invalidate_recordset(["sla_badge"])
            # 10:30-12:00 and 13:00-13:30
            self.assertEqual(ticket.sla_badge, "Response: 2h 00m overdue")
            self.assertEqual(ticket.sla_badge_status, "breached")

    def test_moving_between_pause_stages_keeps_one_pause(self):
        other_pause = self.stage_awaiting.copy({"name": "Waiting for parts"})
        self.policy.pause_stage_ids = [Command.link(other_pause.id)]
        ticket = self.ticket_at("2024-03-04 09:00")
        self.move(ticket, self.stage_awaiting, "2024-03-04 10:00")
        self.move(ticket, other_pause, "2024-03-04 11:00")
        self.move(ticket, self.stage_progress, "2024-03-04 14:00")
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        # 1 h before the pause; 1 h left from 14:00
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-04 15:00"))

    def test_priority_change_moves_running_clocks(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.reply(ticket, "2024-03-04 09:30")
        with self.at("2024-03-04 10:00"):
            ticket.priority = "2"  # 1 h, 4 h
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-04 14:00"))
        self.assertEqual(ticket.sla_response_status, "met")
        self.assertEqual(
            self.clock(ticket, "response").decided_at, self.utc("2024-03-04 09:30")
        )
        with self.at("2024-03-04 10:30"):
            ticket.priority = "0"  # 8 h, 40 h
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-11 09:00"))

    def test_priority_raised_past_the_deadline_breaches_at_once(self):
        ticket = self.ticket_at("2024-03-04 09:00", priority="0")
        with self.at("2024-03-04 15:30"):
            ticket.priority = "2"
        self.assertEqual(ticket.sla_resolution_status, "breached")
        self.assertEqual(
            self.clock(ticket, "resolution").decided_at, self.utc("2024-03-04 14:00")
        )
        self.assertEqual(ticket.sla_response_status, "breached")

    def test_policy_change_keeps_decided_results(self):
        replied = self.ticket_at("2024-03-04 09:00")
        self.reply(replied, "2024-03-04 09:30")
        late = self.ticket_at("2024-03-04 09:00")
        self.escalate("2024-03-04 11:05")
        self.assertEqual(late.sla_response_status, "breached")
        with self.at("2024-03-04 12:00"):
            self.policy.line_ids.filtered(lambda line: line.priority == "1").write(
                {"response_hours": 4, "resolution_hours": 16}
            )
        for ticket in replied | late:
            # 16 h from Monday 9:00: Monday 7 h, Tuesday 8 h, Wednesday 1 h
            self.assertEqual(
                ticket.sla_resolution_deadline, self.utc("2024-03-06 09:00")
            )
        self.assertEqual(replied.sla_response_status, "met")
        self.assertEqual(replied.sla_response_deadline, self.utc("2024-03-04 11:00"))
        self.assertEqual(late.sla_response_status, "breached")
        self.assertEqual(
            self.clock(late, "response").decided_at, self.utc("2024-03-04 11:00")
        )

        # A new public holiday on Tuesday moves the running clocks a day on.
        with self.at("2024-03-04 12:30"):
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Strike",
                    "calendar_id": self.calendar.id,
                    "date_from": self.utc("2024-03-05 00:00"),
                    "date_to": self.utc("2024-03-05 23:59"),
                }
            )
        self.assertEqual(late.sla_resolution_deadline, self.utc("2024-03-07 09:00"))
        self.assertEqual(late.sla_response_status, "breached")

        # Another calendar: Brussels hours counted in New York time.
        with self.at("2024-03-04 13:00"):
            self.policy.calendar_id = self.make_calendar("America/New_York")
        # Monday 9:00 in Brussels is 3:00 in New York: 16 h from Monday 8:00
        # there end on Tuesday at 17:00 (the holiday was the old calendar's)
        self.assertEqual(
            late.sla_resolution_deadline,
            self.utc("2024-03-05 17:00", "America/New_York"),
        )
        self.assertEqual(replied.sla_response_status, "met")

    def test_ticket_policy_change_replans(self):
        relaxed = self.make_policy(self.calendar, "Relaxed", p1=(8, 40))
        ticket = self.ticket_at("2024-03-04 09:00")
        with self.at("2024-03-04 10:00"):
            ticket.sla_policy_id = relaxed
        self.assertEqual(ticket.sla_response_deadline, self.utc("2024-03-05 09:00"))
        with self.at("2024-03-04 10:30"):
            ticket.sla_policy_id = False
        self.assertFalse(ticket.sla_response_status)
        self.assertFalse(ticket.sla_response_deadline)
        self.assertFalse(ticket.sla_badge)

    def test_results_stay_when_the_policy_is_removed(self):
        ticket = self.ticket_at("2024-03-04 09:00")
        self.escalate("2024-03-04 11:05")
        with self.at("2024-03-04 11:10"):
            ticket.sla_policy_id = False
        self.reply(ticket, "2024-03-04 11:15")
        self.move(ticket, self.stage_done, "2024-03-04 11:20")
        self.assertEqual(ticket.sla_response_status, "breached")
        self.assertEqual(ticket.sla_first_response_date, self.utc("2024-03-04 11:15"))
        self.assertFalse(ticket.sla_resolution_status, "no target any more")
        self.assertEqual(ticket.sla_badge, "SLA breached")

    def test_contract_policy_and_team_default(self):
        gold = self.make_policy(self.calendar, "Gold", p1=(1, 4))
        with freeze_time(self.utc("2024-03-04 08:00")):
            contract = self.create_contract(
                date_start="2024-01-01", date_end="2024-12-31", sla_policy_id=gold.id
            )
        covered = self.ticket_at("2024-03-04 09:00")
        self.assertEqual(covered.contract_id, contract)
        self.assertEqual(covered.sla_policy_id, gold)
        self.assertEqual(covered.sla_response_deadline, self.utc("2024-03-04 10:00"))
        other = self.env["res.partner"].create(
            {"name": "Other Ltd", "is_company": True}
        )
        uncovered = self.ticket_at("2024-03-04 09:00", partner=other)
        self.assertEqual(uncovered.sla_policy_id, self.policy, "team default")
        closed = self.ticket_at("2024-03-04 09:00")
        self.move(closed, self.stage_done, "2024-03-04 09:30")

        with self.at("2024-03-04 09:45"):
            contract.sla_policy_id = self.policy
            self.env.flush_all()  # as at the end of the request
        self.assertEqual(covered.sla_policy_id, self.policy)
        self.assertEqual(covered.sla_response_deadline, self.utc("2024-03-04 11:00"))
        self.assertEqual(closed.sla_policy_id, gold, "closed tickets keep theirs")
