from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestWorkingTime(SlaCase):
    """Deadlines computed by hand on the calendar Monday to Friday,
    8:00-12:00 and 13:00-17:00 (Brussels unless said otherwise). Priority
    "1" targets 2 h to respond and 8 h to resolve, "2" 1 h and 4 h, "3"
    1.5 h and 6 h, "0" 8 h and 40 h; at risk at 80 %."""

    def assertDeadlines(self, ticket, response, resolution, tz=None):
        self.assertEqual(ticket.sla_response_deadline, self.utc(response, tz))
        self.assertEqual(ticket.sla_resolution_deadline, self.utc(resolution, tz))

    def test_working_day(self):
        ticket = self.ticket_at("2024-03-04 09:00")  # Monday
        self.assertEqual(ticket.sla_policy_id, self.policy)
        # 2 h: 9-11; 8 h: 9-12, 13-17, then Tuesday 8-9
        self.assertDeadlines(ticket, "2024-03-04 11:00", "2024-03-05 09:00")
        self.assertEqual(ticket.sla_response_status, "ongoing")
        self.assertEqual(ticket.sla_resolution_status, "ongoing")
        # at risk after 1.6 h and 6.4 h
        self.assertEqual(
            self.clock(ticket, "response").risk_date, self.utc("2024-03-04 10:36")
        )
        self.assertEqual(
            self.clock(ticket, "resolution").risk_date, self.utc("2024-03-04 16:24")
        )

    def test_weekend(self):
        ticket = self.ticket_at("2024-03-08 16:00")  # Friday
        # Friday 16-17 (1 h), then Monday from 8:00
        self.assertDeadlines(ticket, "2024-03-11 09:00", "2024-03-11 16:00")
        self.assertEqual(
            self.clock(ticket, "response").risk_date, self.utc("2024-03-11 08:36")
        )

    def test_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": self.utc("2024-03-11 00:00"),
                "date_to": self.utc("2024-03-11 23:59"),
            }
        )
        ticket = self.ticket_at("2024-03-08 16:00")  # Friday, Monday off
        self.assertDeadlines(ticket, "2024-03-12 09:00", "2024-03-12 16:00")

    def test_created_outside_working_hours(self):
        saturday = self.ticket_at("2024-03-09 10:00")
        self.assertDeadlines(saturday, "2024-03-11 10:00", "2024-03-11 17:00")
        evening = self.ticket_at("2024-03-05 19:30", priority="2")  # Tuesday
        self.assertDeadlines(evening, "2024-03-06 09:00", "2024-03-06 12:00")
        early = self.ticket_at("2024-03-06 06:00", priority="2")
        self.assertDeadlines(early, "2024-03-06 09:00", "2024-03-06 12:00")
        lunch = self.ticket_at("2024-03-06 12:30", priority="2")
        # 4 h from 13:00 ends at 17:00 that day
        self.assertDeadlines(lunch, "2024-03-06 14:00", "2024-03-06 17:00")

    def test_fractional_hours(self):
        ticket = self.ticket_at("2024-03-04 11:15", priority="3")
        # 1.5 h: 11:15-12:00 (45 min), 13:00-13:45; 6 h: 45 min, 4 h in the
        # afternoon, 1 h 15 on Tuesday
        self.assertDeadlines(ticket, "2024-03-04 13:45", "2024-03-05 09:15")
        # at risk after 1.2 h = 72 min: 45 min, then 27 min after lunch
        self.assertEqual(
            self.clock(ticket, "response").risk_date, self.utc("2024-03-04 13:27")
        )

    def test_daylight_saving_change(self):
        # Friday 29 March 2024, 16:00 CET (15:00 UTC); summer time from the
        # Sunday: Monday 1 April 16:00 CEST is 14:00 UTC.
        ticket = self.ticket_at("2024-03-29 16:00", priority="0")
        self.assertEqual(ticket.sla_start_date, datetime(2024, 3, 29, 15, 0))
        self.assertEqual(ticket.sla_response_deadline, datetime(2024, 4, 1, 14, 0))

    def test_other_time_zone_and_its_daylight_saving_change(self):
        new_york = self.make_policy(
            self.make_calendar("America/New_York", "New York office"), "New York"
        )
        # 13:30 UTC is 8:30 in New York (EST): 2 h later is 10:30 EST
        ticket = self.ticket_at("2024-03-04 14:30", sla_policy_id=new_york.id)
        self.assertEqual(ticket.sla_start_date, datetime(2024, 3, 4, 13, 30))
        self.assertEqual(ticket.sla_response_deadline, datetime(2024, 3, 4, 15, 30))
        # Friday 8 March 16:00 EST (21:00 UTC); New York moves to summer time
        # on Sunday 10 March: Monday 9:00 EDT is 13:00 UTC.
        friday = self.ticket_at("2024-03-08 22:00", sla_policy_id=new_york.id)
        self.assertEqual(friday.sla_start_date, datetime(2024, 3, 8, 21, 0))
        self.assertEqual(friday.sla_response_deadline, datetime(2024, 3, 11, 13, 0))

    def test_pause_over_a_night(self):
        ticket = self.ticket_at("2024-03-04 09:00")  # Monday
        self.reply(ticket, "2024-03-04 09:30")
        self.move(ticket, self.stage_awaiting, "2024-03-04 16:00")
        self.assertTrue(ticket.sla_paused)
        self.assertFalse(ticket.sla_next_event_date, "a paused clock has no event")
        self.move(ticket, self.stage_progress, "2024-03-05 10:00")
        self.assertFalse(ticket.sla_paused)
        # paused 1 h on Monday and 2 h on Tuesday: Tuesday 9:00 + 3 h
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-05 12:00"))
        self.assertEqual(
            ticket.sla_pause_ids.mapped("date_start"), [self.utc("2024-03-04 16:00")]
        )
        self.move(ticket, self.stage_done, "2024-03-05 11:00")
        # Monday 9-12, 13-16 and Tuesday 10-11
        self.assertEqual(self.clock(ticket, "resolution").working_hours_used, 7)
        self.assertEqual(ticket.sla_resolution_status, "met")

    def test_pause_over_a_weekend(self):
        ticket = self.ticket_at("2024-03-08 09:00", priority="0")  # Friday
        self.move(ticket, self.stage_awaiting, "2024-03-08 16:00")
        self.move(ticket, self.stage_progress, "2024-03-11 10:00")
        # 40 h from Friday 9:00 end the next Friday 9:00, plus 1 h + 2 h paused
        self.assertEqual(ticket.sla_resolution_deadline, self.utc("2024-03-15 12:00"))

    def test_several_requests_read_the_calendar_once(self):
        requests = [
            (self.utc("2024-03-04 09:00"), 2, []),
            (self.utc("2024-03-08 16:00"), 8, []),
            (self.utc("2024-03-04 09:00"), 1000, []),
        ]
        # the calendar, its attendances (search and read), its leaves
        with self.assertQueryCount(4):
            deadlines = self.calendar._sla_plan_hours(requests)
        self.assertEqual(
            deadlines,
            [
                self.utc("2024-03-04 11:00"),
                self.utc("2024-03-11 16:00"),
                # 25 weeks of 40 h, through summer time
                self.utc("2024-08-26 09:00"),
            ],
        )
        # the weeks read are kept: asked again, nothing is read
        with self.assertQueryCount(0):
            self.assertEqual(self.calendar._sla_plan_hours(requests), deadlines)

    def test_kept_working_time_follows_its_changes(self):
        monday, saturday = self.utc("2024-03-04 00:00"), self.utc("2024-03-09 00:00")

        def week_hours():
            return self.calendar._sla_count_hours([(monday, saturday, [])])

        self.assertEqual(week_hours(), [40])
        # an attendance changed on its own, not through its calendar
        self.calendar.attendance_ids.filtered(
            lambda attendance: attendance.dayofweek == "0" and attendance.hour_from == 8
        ).hour_to = 10
        self.assertEqual(week_hours(), [38])
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": self.utc("2024-03-05 00:00"),
                "date_to": self.utc("2024-03-05 23:59"),
            }
        )
        self.assertEqual(week_hours(), [30])
        holiday.unlink()
        self.assertEqual(week_hours(), [38])
        # Monday's work starts at 8:00 in Moscow: 5:00 UTC, not 7:00 (Brussels)
        self.calendar.tz = "Europe/Moscow"
        self.assertEqual(
            self.calendar._sla_plan_hours([(monday, 1, [])]),
            [datetime(2024, 3, 4, 6, 0)],
        )

    def calendar_of(self, *attendances, tz=None):
        """A calendar of the ``(weekday, hour_from, hour_to)`` attendances."""
        return self.env["resource.calendar"].create(
            {
                "name": "Shifts",
                "tz": tz or self.TZ,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {start}-{stop}",
                            "dayofweek": day,
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": "morning",
                        }
                    )
                    for day, start, stop in attendances
                ],
            }
        )

    def test_attendance_over_the_skipped_hour(self):
        # Sunday 31 March 2024, Brussels: 2:00 CET is 3:00 CEST (1:00 UTC).
        # Sunday 2:30-4:00 is one hour of work, from 3:00 to 4:00 CEST.
        calendar = self.calendar_of(("6", 2.5, 4))
        saturday = self.utc("2024-03-30 12:00")
        sunday = self.utc("2024-03-31 12:00")
        self.assertEqual(calendar._sla_count_hours([(saturday, sunday, [])]), [1])
        self.assertEqual(
            calendar._sla_plan_hours([(saturday, 0.5, []), (saturday, 1, [])]),
            [datetime(2024, 3, 31, 1, 30), datetime(2024, 3, 31, 2, 0)],
        )

    def test_attendance_over_the_repeated_hour(self):
        # Sunday 27 October 2024, Brussels: 3:00 CEST is 2:00 CET (1:00 UTC).
        # Sunday 2:00-3:00 is two hours of work, 0:00 to 2:00 UTC.
        calendar = self.calendar_of(("6", 2, 3))
        saturday = self.utc("2024-10-26 12:00")
        sunday = self.utc("2024-10-27 12:00")
        self.assertEqual(calendar._sla_count_hours([(saturday, sunday, [])]), [2])
        self.assertEqual(
            calendar._sla_plan_hours([(saturday, 2, [])]),
            [datetime(2024, 10, 27, 2, 0)],
        )

    def test_attendance_to_midnight(self):
        # Monday 16:00-24:00, Tuesday 8:00-12:00: 8 h from Monday 16:00 end
        # at midnight, not on Tuesday morning
        calendar = self.calendar_of(("0", 16, 24), ("1", 8, 12))
        monday = self.utc("2024-03-04 16:00")
        self.assertEqual(
            calendar._sla_plan_hours([(monday, 8, []), (monday, 9, [])]),
            [self.utc("2024-03-05 00:00"), self.utc("2024-03-05 09:00")],
        )
        tuesday = self.utc("2024-03-05 12:00")
        self.assertEqual(calendar._sla_count_hours([(monday, tuesday, [])]), [12])
