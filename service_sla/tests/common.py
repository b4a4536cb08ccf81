from datetime import datetime

from freezegun import freeze_time
from pytz import timezone, utc

from odoo import Command

from odoo.addons.service_contract.tests.common import ServiceContractCase

# Monday 4 March 2024, Brussels (UTC+1, CET): a week of plain working days.
MONDAY = "2024-03-04"


class SlaCase(ServiceContractCase):
    """A policy counting Monday to Friday, 8:00-12:00 and 13:00-17:00 in
    Brussels, with the "Awaiting" stage pausing the clocks; the support team
    takes it as its default policy."""

    TZ = "Europe/Brussels"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.make_calendar(cls.TZ)
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.policy = cls.make_policy(cls.calendar)
        cls.team.sla_policy_id = cls.policy
        cls.team.user_id = cls.env["res.users"].create(
            {
                "name": "Team Leader",
                "login": "team_leader",
                "email": "leader@example.com",
                "groups_id": [
                    Command.link(cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id)
                ],
            }
        )
        cls.technician.email = "technician@example.com"

    @classmethod
    def make_calendar(cls, tz, name="Office hours"):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": day,
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        }
                    )
                    for day in "01234"
                    for start, stop, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )

    @classmethod
    def make_policy(cls, calendar, name="Standard", **targets):
        """Targets per priority as (response hours, resolution hours)."""
        targets = targets or {
            "p0": (8, 40),
            "p1": (2, 8),
            "p2": (1, 4),
            "p3": (1.5, 6),
        }
        return cls.env["service.sla.policy"].create(
            {
                "name": name,
                "calendar_id": calendar.id,
                "pause_stage_ids": [Command.link(cls.stage_awaiting.id)],
                "line_ids": [
                    Command.create(
                        {
                            "priority": key[1:],
                            "response_hours": response,
                            "resolution_hours": resolution,
                        }
                    )
                    for key, (response, resolution) in targets.items()
                ],
            }
        )

    def clock(self, ticket, target):
        """The ticket's SLA clock of ``target`` (response, resolution)."""
        clock = ticket.sla_clock_ids.filtered(lambda c: c.target == target)
        self.assertLessEqual(len(clock), 1)
        return clock

    def utc(self, local, tz=None):
        """Naive UTC datetime of a wall-clock time in the calendar's zone."""
        moment = datetime.strptime(local, "%Y-%m-%d %H:%M")
        return (
            timezone(tz or self.TZ)
            .localize(moment)
            .astimezone(utc)
            .replace(tzinfo=None)
        )

    def ticket_at(self, local, priority="1", **values):
        with freeze_time(self.utc(local)):
            return self.open_ticket(priority=priority, **values)

    def at(self, local):
        return freeze_time(self.utc(local))

    def reply(self, ticket, local, user=None, **kwargs):
        values = {"message_type": "comment", "subtype_xmlid": "mail.mt_comment"}
        values.update(kwargs)
        with self.at(local):
            return ticket.with_user(user or self.technician).message_post(
                body="We are on it.", **values
            )

    def move(self, ticket, stage, local):
        with self.at(local):
            ticket.with_user(self.technician).write({"stage_id": stage.id})

    def escalate(self, local):
        with self.at(local):
            self.env["helpdesk.ticket"]._cron_sla_escalate()
