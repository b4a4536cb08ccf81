from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .visit_common import TZ, VisitCase

# Queries to rank every technician for every visit of a batch: the visits,
# the technicians (employees, resources, skills), the calendars, their
# attendances and the leaves read at once, the other visits, the users
# suggested; then two searches per working calendar (its attendances and
# leaves). The number does not grow with the technicians or the visits.
BASE_QUERIES = 14
QUERIES_PER_CALENDAR = 2


@tagged("post_install", "-at_install")
class TestVisitSuggestionQueries(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_calendar = cls.env["resource.calendar"].create(
            {"name": "Part-time technicians", "tz": TZ}
        )
        groups = [
            Command.link(cls.env.ref("helpdesk_mgmt.group_helpdesk_user_own").id),
        ]
        users = cls.env["res.users"].create(
            [
                {"name": f"Tech {i:03d}", "login": f"tech{i:03d}", "groups_id": groups}
                for i in range(200)
            ]
        )
        skills = cls.skill_type.skill_ids
        cls.employees = cls.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "resource_calendar_id": (
                        cls.calendar if i % 2 else cls.other_calendar
                    ).id,
                    "employee_skill_ids": [
                        Command.create(
                            {
                                "skill_id": skills[i % 3].id,
                                "skill_type_id": cls.skill_type.id,
                                "skill_level_id": cls.skill_type.skill_level_ids.id,
                            }
                        )
                    ],
                }
                for i, user in enumerate(users)
            ]
        )
        cls.users = users
        # Time off for a tenth of them.
        cls.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Time off",
                    "resource_id": employee.resource_id.id,
                    "date_from": cls.at(cls.tuesday, 8),
                    "date_to": cls.at(cls.tuesday, 18),
                }
                for employee in cls.employees[::10]
            ]
        )

    def plan_week(self, technicians):
        """Five visits a day, Monday to Friday, each booking a technician."""
        monday = self.tuesday - timedelta(days=1)
        ticket = self.open_ticket(equipment_id=self.chiller.id)
        visits = self.env["service.visit"]
        for day in range(5):
            for slot, start in enumerate((8, 10, 13, 15, 16)):
                visits |= self.plan_visit(
                    ticket,
                    day=monday + timedelta(days=day),
                    start=start,
                    end=start + 2,
                    user_ids=[Command.set(technicians[day * 5 + slot].ids)],
                )
        return visits

    def suggestions(self, visits):
        # Once to warm the caches of the registry (groups, xml ids), then
        # counted from an empty record cache.
        visits.mapped("suggested_user_ids")
        self.env.invalidate_all()
        calendars = (
            self.env["hr.employee"]
            .search(self.env["service.visit"]._technician_domain(self.env.company))
            .resource_calendar_id
        )
        with self.assertQueryCount(
            BASE_QUERIES + QUERIES_PER_CALENDAR * len(calendars)
        ):
            return {visit: visit.suggested_user_ids for visit in visits}

    def test_a_week_for_200_technicians_in_a_bounded_number_of_queries(self):
        visits = self.plan_week(self.users)
        self.env.flush_all()
        suggested = self.suggestions(visits)
        # The queries found the work: refrigeration technicians only, those
        # off on Tuesday not on Tuesday, a booked one not at their own slot's
        # time elsewhere.
        refrigeration = self.employees.filtered(
            lambda e: self.refrigeration in e.skill_ids
        ).user_id
        tuesday_visit = visits.filtered(
            lambda v: v.planned_start.date() == self.tuesday
        )[:1]
        off = self.employees[::10].user_id
        for users in suggested.values():
            self.assertLessEqual(users, refrigeration)
            self.assertTrue(users)
        self.assertFalse(suggested[tuesday_visit] & off)
        self.assertTrue(suggested[visits[0]] & off)

    def test_the_count_does_not_grow_with_the_batch(self):
        # Fewer visits and technicians: the same queries.
        visits = self.plan_week(self.users[:25])[:3]
        self.env.flush_all()
        self.suggestions(visits)
