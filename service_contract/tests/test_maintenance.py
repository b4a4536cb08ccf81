from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_equipment import EquipmentCase


@tagged("post_install", "-at_install")
class TestMaintenancePlan(EquipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.create_contract(
            name="Yearly maintenance",
            allowance_type="time",
            date_start=date(2025, 1, 1),
            date_end=date(2025, 12, 31),
            equipment_ids=[cls.copier.id, cls.server.id],
        )

    def create_plan(self, **values):
        return self.env["service.maintenance.plan"].create(
            {
                "contract_id": self.contract.id,
                "name": "Quarterly inspection",
                "description": "<p>Clean, test, report.</p>",
                "contact_id": self.contact.id,
                "planned_hours": 1.5,
                "interval_number": 3,
                "interval_type": "month",
                "date_start": date(2025, 3, 15),
                "lead_days": 14,
                "notice_days": 7,
                "equipment_ids": [self.copier.id, self.server.id],
                **values,
            }
        )

    def run_cron(self, day):
        with freeze_time(day):
            self.env["service.maintenance.plan"]._cron_generate_tickets()
            self.env.flush_all()  # computed as the job would, that day

    def notices(self, plan):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "service.maintenance.occurrence"),
                ("res_id", "in", plan.occurrence_ids.ids),
            ]
        )

    def test_due_dates_keep_the_day_across_month_ends(self):
        plan = self.create_plan(
            interval_number=1, date_start=date(2025, 1, 31), equipment_ids=[]
        )
        dates = [plan.date_start]
        for _i in range(4):
            dates.append(plan._due_date_after(dates[-1]))
        self.assertEqual(
            dates,
            [
                date(2025, 1, 31),
                date(2025, 2, 28),
                date(2025, 3, 31),
                date(2025, 4, 30),
                date(2025, 5, 31),
            ],
        )
        # Generation follows the same dates, and the plan moves on.
        self.run_cron("2025-03-20")
        self.assertEqual(
            plan.occurrence_ids.mapped("date"),
            [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)],
        )
        self.assertEqual(plan.date_next, date(2025, 4, 30))

    def test_weekly_and_daily_intervals(self):
        weekly = self.create_plan(interval_number=2, interval_type="week")
        self.assertEqual(weekly._due_date_after(date(2025, 3, 15)), date(2025, 3, 29))
        self.assertEqual(weekly._due_date_after(date(2025, 3, 20)), date(2025, 3, 29))
        daily = self.create_plan(interval_number=10, interval_type="day")
        self.assertEqual(daily._due_date_after(date(2025, 3, 24)), date(2025, 3, 25))
        self.assertEqual(daily._due_date_after(date(2025, 3, 25)), date(2025, 4, 4))

    def test_tickets_are_created_lead_days_ahead(self):
        plan = self.create_plan()
        self.assertEqual(plan.date_generate, date(2025, 3, 1))
        self.run_cron("2025-02-28")
        self.assertFalse(plan.ticket_ids, "15 days before the visit: too early")

        self.run_cron("2025-03-01")
        tickets = plan.ticket_ids
        self.assertEqual(len(tickets), 2, "one ticket per equipment")
        self.assertEqual(tickets.equipment_id, self.copier | self.server)
        for ticket in tickets:
            self.assertTrue(ticket.is_preventive)
            self.assertEqual(ticket.maintenance_plan_id, plan)
            self.assertEqual(ticket.maintenance_date, date(2025, 3, 15))
            self.assertEqual(ticket.name, "Quarterly inspection")
            self.assertEqual(ticket.contract_id, self.contract)
            self.assertEqual(ticket.partner_id, self.contact)
            self.assertEqual(ticket.user_id, self.manager, "the account manager")
            self.assertEqual(ticket.team_id, self.team)
            self.assertEqual(ticket.project_id, self.project)
            self.assertEqual(ticket.planned_hours, 1.5)
            self.assertIn("Clean, test, report.", ticket.description)
        # Covered on the day the job created them (read by a request that day).
        tickets.invalidate_recordset(["coverage_warning"])
        with freeze_time("2025-03-01"):
            self.assertFalse(any(tickets.mapped("coverage_warning")))
        self.assertEqual(tickets.maintenance_occurrence_id, plan.occurrence_ids)
        self.assertEqual(plan.date_next, date(2025, 6, 15))
        self.assertEqual(plan.date_generate, date(2025, 6, 1))
        self.assertEqual(plan.occurrence_ids.equipment_ids, self.copier | self.server)

    def test_rerunning_creates_nothing_twice(self):
        plan = self.create_plan()
        self.run_cron("2025-03-05")
        self.run_cron("2025-03-05")
        self.run_cron("2025-03-10")
        self.assertEqual(len(plan.occurrence_ids), 1)
        self.assertEqual(len(plan.ticket_ids), 2)
        # The manual button refuses with a reason rather than duplicate.
        with freeze_time("2025-03-10"), self.assertRaisesRegex(UserError, "2025-06-01"):
            plan.action_generate()
        # The visit itself is unique per plan and date.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["service.maintenance.occurrence"].create(
                    {"plan_id": plan.id, "date": date(2025, 3, 15)}
                )

    def test_missed_runs_catch_up_and_stop_at_contract_end(self):
        plan = self.create_plan(equipment_ids=[])
        self.run_cron("2025-12-20")
        self.assertEqual(
            plan.occurrence_ids.mapped("date"),
            [
                date(2025, 3, 15),
                date(2025, 6, 15),
                date(2025, 9, 15),
                date(2025, 12, 15),
            ],
        )
        self.assertEqual(len(plan.ticket_ids), 4)
        self.assertFalse(plan.ticket_ids.equipment_id, "the contract as a whole")
        self.assertEqual(plan.date_next, date(2026, 3, 15))
        self.assertFalse(plan.date_generate, "nothing left within the contract")
        # Renewing the contract brings the plan back.
        self.contract.action_renew(months=12)
        self.assertEqual(plan.date_generate, date(2026, 3, 1))

    def test_only_active_contracts_generate(self):
        plan = self.create_plan()
        self.contract.action_cancel()
        self.run_cron("2025-03-10")
        self.assertFalse(plan.ticket_ids)
        with freeze_time("2025-03-10"), self.assertRaisesRegex(UserError, "not active"):
            plan.action_generate()

    def test_customer_is_told_once_before_the_visit(self):
        plan = self.create_plan()
        self.run_cron("2025-03-01")
        visit = plan.occurrence_ids
        self.assertEqual(visit.notice_date, date(2025, 3, 8))
        self.assertFalse(self.notices(plan), "told 7 days before, not 14")

        self.run_cron("2025-03-08")
        mail = self.notices(plan)
        self.assertEqual(len(mail), 1, "one notice for the visit, not per equipment")
        self.assertTrue(visit.notice_sent)
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertIn("maintenance visit on", mail.subject)
        self.assertIn("Quarterly inspection", mail.body_html)
        self.assertIn("CP-1001", mail.body_html)
        self.assertIn("SRV-2002", mail.body_html)
        self.assertIn(", ".join(plan.ticket_ids.mapped("number")), mail.body_html)

        self.run_cron("2025-03-09")
        self.assertEqual(len(self.notices(plan)), 1, "never twice")

    def test_no_notice_for_past_visits_or_when_disabled(self):
        late = self.create_plan(lead_days=0, notice_days=0, equipment_ids=[])
        caught_up = self.create_plan(date_start=date(2025, 1, 10), equipment_ids=[])
        self.run_cron("2025-03-15")
        self.assertTrue(late.ticket_ids)
        self.assertFalse(late.occurrence_ids.notice_date)
        self.assertFalse(self.notices(late))
        self.assertEqual(len(caught_up.occurrence_ids), 1)
        self.assertFalse(self.notices(caught_up), "the 2025-01-10 visit is past")

    def test_preventive_tickets_are_planned_on_blocking_contracts(self):
        blocking = self.create_contract(
            name="Blocked",
            allowance_type="hours",
            allowance_qty=1,
            enforcement="block",
            date_start=date(2025, 1, 1),
            date_end=date(2025, 12, 31),
        )
        with freeze_time("2025-02-01"):
            ticket = self.open_ticket(contract_id=blocking.id)
            self.log_time(ticket, 2)
            self.close(ticket)
            with self.assertRaisesRegex(UserError, "cannot be accepted"):
                self.open_ticket(contract_id=blocking.id)
        plan = self.create_plan(contract_id=blocking.id, equipment_ids=[])
        self.run_cron("2025-03-10")
        self.assertEqual(len(plan.ticket_ids), 1)
        self.assertIn("used up", plan.ticket_ids.coverage_warning)

    def test_visit_is_done_when_its_tickets_are_closed(self):
        plan = self.create_plan()
        self.run_cron("2025-03-10")
        visit = plan.occurrence_ids
        first, second = plan.ticket_ids
        self.close(first)
        self.assertEqual(visit.state, "planned")
        self.close(second)
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.copier.maintenance_ticket_ids.maintenance_plan_id, plan)

    def test_moving_the_first_visit_moves_the_schedule(self):
        plan = self.create_plan()
        self.run_cron("2025-03-10")
        self.assertEqual(plan.date_next, date(2025, 6, 15))
        plan.date_start = date(2025, 4, 1)
        self.assertEqual(plan.date_next, date(2025, 4, 1))
        plan.date_start = date(2025, 2, 1)
        self.assertEqual(
            plan.date_next, date(2025, 5, 1), "the first date after the last visit"
        )

    def test_schedule_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "lead time of at least 20 days"):
            self.create_plan(notice_days=20)
        with self.assertRaisesRegex(ValidationError, "within the dates"):
            self.create_plan(date_start=date(2024, 12, 1))
        with self.assertRaisesRegex(ValidationError, "at least every 1 day"):
            self.create_plan(interval_number=0)
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "is_company": True}
        )
        foreign = self.create_equipment("Foreign copier", "FX-1", partner=stranger)
        with self.assertRaisesRegex(ValidationError, "does not belong to Acme Corp"):
            self.create_plan(equipment_ids=[foreign.id])

    def test_archived_equipment_gets_no_ticket(self):
        plan = self.create_plan()
        self.server.active = False
        self.run_cron("2025-03-10")
        self.assertEqual(plan.ticket_ids.equipment_id, self.copier)

    def test_generation_adds_no_query_per_plan(self):
        """Plans are generated in batch: each more plan costs no more queries
        than creating its ticket and its provisional visit directly
        (numbering, creation message)."""

        def count(create):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time("2025-03-10"):
                create()
                self.env.flush_all()
            return self.env.cr.sql_log_count - before

        def generate(n):
            plans = self.env["service.maintenance.plan"].create(
                [
                    {
                        "contract_id": self.contract.id,
                        "name": f"Check {i}",
                        "date_start": date(2025, 3, 15),
                        "equipment_ids": [self.copier.id],
                    }
                    for i in range(n)
                ]
            )
            return count(lambda: plans._generate(date(2025, 3, 10)))

        def create_directly(n):
            vals = {
                "name": "Check",
                "description": "<p>Check</p>",
                "partner_id": self.contact.id,
                "contract_id": self.contract.id,
                "team_id": self.team.id,
                "equipment_id": self.copier.id,
            }

            def create():
                tickets = self.env["helpdesk.ticket"].create(
                    [dict(vals) for _i in range(n)]
                )
                self.env["service.visit"].create(
                    [
                        {
                            "ticket_id": ticket.id,
                            "state": "provisional",
                            "planned_start": datetime(2025, 3, 15, 8),
                            "planned_end": datetime(2025, 3, 15, 10),
                        }
                        for ticket in tickets
                    ]
                )

            return count(create)

        generate(2)  # warm the caches
        create_directly(2)
        self.assertLessEqual(
            generate(9) - generate(3), create_directly(9) - create_directly(3)
        )

    def test_coordinators_see_visits(self):
        plan = self.create_plan()
        self.run_cron("2025-03-10")
        Visit = self.env["service.maintenance.occurrence"].with_user(self.technician)
        self.assertEqual(Visit.search([("plan_id", "=", plan.id)]), plan.occurrence_ids)
        self.assertFalse(Visit.has_access("write"))
        action = self.env.ref("service_contract.service_maintenance_occurrence_action")
        self.assertEqual(action.view_mode, "list,calendar,form")
