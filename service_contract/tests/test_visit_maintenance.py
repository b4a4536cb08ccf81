from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .visit_common import VisitCase


@tagged("post_install", "-at_install")
class TestVisitMaintenance(VisitCase):
    """A chiller contract's plan creates its tickets with provisional visits;
    the coordinator is asked to confirm each one a few days before; the
    customer is told the confirmed slot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager.tz = "Europe/Brussels"
        cls.visit_day = cls.tuesday + relativedelta(weeks=2)
        cls.plan = cls.env["service.maintenance.plan"].create(
            {
                "contract_id": cls.contract.id,
                "name": "Chiller inspection",
                "contact_id": cls.contact.id,
                "user_id": cls.manager.id,
                "planned_hours": 2,
                "interval_number": 3,
                "interval_type": "month",
                "date_start": cls.visit_day,
                "lead_days": 14,
                "notice_days": 0,
                "confirm_days": 3,
                "equipment_ids": [Command.set(cls.chiller.ids)],
                "required_skill_ids": [Command.set(cls.electrical.ids)],
            }
        )

    def generate(self):
        with freeze_time(self.visit_day - relativedelta(days=14)):
            self.plan.action_generate()
        return self.plan.visit_ids

    def remind(self, day):
        with freeze_time(day):
            self.env["service.visit"]._cron_remind_provisional()

    def reminders(self, visit):
        return visit.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def test_the_plan_creates_a_provisional_visit_per_ticket(self):
        visit = self.generate()
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.ticket_id, self.plan.ticket_ids)
        self.assertEqual(visit.state, "provisional")
        self.assertEqual(visit.equipment_ids, self.chiller)
        # At 8:00 on the due day, in the coordinator's time zone, for the
        # plan's hours.
        self.assertEqual(visit.planned_start, self.at(self.visit_day, 8))
        self.assertEqual(visit.planned_end, self.at(self.visit_day, 10))
        # The chiller's skill and the plan's.
        self.assertEqual(visit.required_skill_ids, self.refrigeration | self.electrical)
        self.assertEqual(visit.reminder_date, self.visit_day - relativedelta(days=3))

    def test_the_coordinator_is_reminded_once_before_the_visit(self):
        visit = self.generate()
        self.remind(self.visit_day - relativedelta(days=4))
        self.assertFalse(self.reminders(visit))
        self.remind(self.visit_day - relativedelta(days=3))
        activity = self.reminders(visit)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.date_deadline, self.visit_day)
        # The next day's run does not ask again.
        self.remind(self.visit_day - relativedelta(days=2))
        self.assertEqual(self.reminders(visit), activity)

    def test_confirming_tells_the_customer_and_closes_the_reminder(self):
        visit = self.generate()
        self.remind(self.visit_day - relativedelta(days=3))
        visit.with_user(self.manager).action_confirm()
        self.assertEqual(visit.state, "confirmed")
        self.assertFalse(self.reminders(visit))
        self.assertFalse(visit.reminder_date)
        message = visit.message_ids.filtered(
            lambda m: m.subject and "confirmed" in m.subject
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.contact)
        self.assertIn(visit.name, str(message.body))
        with self.assertRefused(UserError, "only a provisional visit is confirmed"):
            visit.action_confirm()

    def test_a_confirmed_visit_is_not_reminded(self):
        visit = self.generate()
        visit.action_confirm()
        self.remind(self.visit_day - relativedelta(days=1))
        self.assertFalse(self.reminders(visit))

    def test_a_reminder_due_before_the_tickets_comes_with_them(self):
        self.plan.confirm_days = 20
        visit = self.generate()
        self.remind(self.visit_day - relativedelta(days=14))
        self.assertEqual(len(self.reminders(visit)), 1)
        with self.assertRefused(ValidationError, "cannot be negative"):
            self.plan.confirm_days = -1
