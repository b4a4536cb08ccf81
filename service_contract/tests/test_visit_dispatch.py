from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .visit_common import VisitCase


@tagged("post_install", "-at_install")
class TestVisitDispatch(VisitCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls.create_technician(
            "Anna Cold", [cls.refrigeration, cls.electrical]
        )
        cls.ben = cls.create_technician("Ben Frost", [cls.refrigeration])
        cls.carl = cls.create_technician("Carl Volt", [cls.electrical])

    def test_required_skills_come_from_the_product_category_and_plan(self):
        category = self.env["helpdesk.ticket.category"].create(
            {"name": "Wiring", "required_skill_ids": [Command.set(self.electrical.ids)]}
        )
        ticket = self.open_ticket(equipment_id=self.chiller.id, category_id=category.id)
        visit = self.plan_visit(ticket)
        self.assertEqual(visit.equipment_ids, self.chiller)
        self.assertEqual(visit.required_skill_ids, self.refrigeration | self.electrical)

    def test_the_chiller_suggests_free_refrigeration_technicians(self):
        visit = self.plan_visit()
        self.assertEqual(visit.required_skill_ids, self.refrigeration)
        # Carl has no refrigeration skill; Anna and Ben are both free all
        # morning and match the one skill: by name.
        self.assertEqual(visit.suggested_user_ids.ids, [self.anna.id, self.ben.id])

    def test_more_skills_matched_rank_first(self):
        visit = self.plan_visit(
            required_skill_ids=[Command.set((self.refrigeration | self.electrical).ids)]
        )
        self.assertEqual(
            visit.suggested_user_ids.ids, [self.anna.id, self.ben.id, self.carl.id]
        )

    def test_time_off_ranks_lower_or_removes(self):
        resource = self.anna.employee_ids.resource_id
        # Anna is off the first hour of the slot: Ben, free all of it, comes first.
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": resource.id,
                "calendar_id": self.calendar.id,
                "date_from": self.at(self.tuesday, 8),
                "date_to": self.at(self.tuesday, 10),
            }
        )
        visit = self.plan_visit()
        self.assertEqual(visit.suggested_user_ids.ids, [self.ben.id, self.anna.id])
        # Off the whole day: not suggested at all.
        leave.date_to = self.at(self.tuesday, 18)
        visit.invalidate_recordset(["suggested_user_ids"])
        self.assertEqual(visit.suggested_user_ids, self.ben)

    def test_outside_working_hours_nobody_is_free(self):
        visit = self.plan_visit(start=18, end=20)
        self.assertFalse(visit.suggested_user_ids)
        with self.assertRefused(UserError, "No technician"):
            visit.action_assign_suggested()

    def test_other_visits_take_the_time_and_are_warned_about(self):
        first = self.plan_visit(user_ids=[Command.set(self.anna.ids)])
        self.assertFalse(first.overlap_warning)
        # Anna is busy 9-12. For the slot 11-14 (lunch 12-13 is no working
        # time), Ben is free 2 hours, Anna only 1: Ben ranks first.
        second = self.plan_visit(start=11, end=14)
        self.assertEqual(second.suggested_user_ids.ids, [self.ben.id, self.anna.id])
        # Her own visit does not count against her.
        self.assertEqual(first.suggested_user_ids.ids, [self.anna.id, self.ben.id])
        # Booking her anyway is allowed, with a warning on both visits.
        second.user_ids = self.anna
        self.assertIn(
            "Anna Cold has another visit at that time", second.overlap_warning
        )
        self.assertIn(first.name, second.overlap_warning)
        first.invalidate_recordset(["overlap_warning"])
        self.assertIn(second.name, first.overlap_warning)
        # A cancelled visit frees the slot.
        first.action_cancel()
        second.invalidate_recordset(["overlap_warning", "suggested_user_ids"])
        self.assertFalse(second.overlap_warning)

    def test_dispatcher_picks_from_the_suggestions_in_the_form(self):
        ticket = self.open_ticket(equipment_id=self.chiller.id)
        with Form(self.env["service.visit"]) as form:
            form.ticket_id = ticket
            form.planned_start = self.at(self.tuesday, 9)
            form.planned_end = self.at(self.tuesday, 12)
            self.assertEqual(
                [u.id for u in form.suggested_user_ids], [self.anna.id, self.ben.id]
            )
            # The suggestions follow the slot as the dispatcher moves it.
            form.planned_start = self.at(self.tuesday, 18)
            form.planned_end = self.at(self.tuesday, 19)
            self.assertFalse(len(form.suggested_user_ids))
            form.planned_start = self.at(self.tuesday, 9)
            form.planned_end = self.at(self.tuesday, 12)
        visit = form.record
        visit.action_assign_suggested()
        self.assertEqual(visit.user_ids, self.anna)

    def test_suggestions_are_read_only(self):
        visit = self.plan_visit()
        with self.assertRefused(UserError, "computed and cannot be written"):
            visit.write({"suggested_user_ids": [Command.set(self.carl.ids)]})

    def test_a_visit_ends_after_it_starts(self):
        with self.assertRefused(ValidationError, "must end after it starts"):
            self.plan_visit(start=12, end=9)
