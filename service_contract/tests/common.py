import os
from contextlib import contextmanager
from datetime import datetime, time
from unittest.mock import patch

import freezegun
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.sql_db import Cursor
from odoo.tests.common import TransactionCase, new_test_user

# The day every test runs on: an ordinary day, or the one SERVICE_TEST_TODAY
# names (the calendar pass of `make test` replays the date-sensitive tests on
# month ends, leap days and DST changes).
TEST_TODAY = fields.Date.to_date(os.environ.get("SERVICE_TEST_TODAY") or "2026-06-10")


def freeze_test_clock():
    """The clock of the tests: TEST_TODAY at 09:00 UTC, ticking from there."""
    return freezegun.freeze_time(datetime.combine(TEST_TODAY, time(9)), tick=True)


class ServiceContractCase(TransactionCase):
    """Customers, a timesheet-enabled helpdesk team and helpers to open,
    log time on and close tickets, on the tests' clock."""

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_test_clock())
        # Records are dated by the tests' clock too (create_date, write_date),
        # not by the database server's.
        cls.startClassPatcher(patch.object(Cursor, "now", lambda cr: datetime.now()))
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls.today = fields.Date.context_today(cls.env["service.contract"])
        cls.manager = new_test_user(
            cls.env,
            login="contract_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager,hr_timesheet.group_hr_timesheet_user",
            email="manager@example.com",
        )
        cls.technician = new_test_user(
            cls.env,
            login="technician",
            groups="helpdesk_mgmt.group_helpdesk_user,hr_timesheet.group_hr_timesheet_user",
        )
        cls.env["hr.employee"].create(
            [
                {"name": "Manager", "user_id": cls.manager.id},
                {"name": "Technician", "user_id": cls.technician.id},
            ]
        )
        cls.project = cls.env["project.project"].create({"name": "Support"})
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Corp", "is_company": True, "email": "it@acme.example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Alice Acme",
                "parent_id": cls.customer.id,
                "email": "alice@acme.example.com",
            }
        )
        cls.other_contact = cls.env["res.partner"].create(
            {
                "name": "Bob Acme",
                "parent_id": cls.customer.id,
                "email": "bob@acme.example.com",
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    @classmethod
    def create_contract(cls, activate=True, **values):
        vals = {
            "name": "Support bag",
            "partner_id": cls.customer.id,
            "date_start": cls.today - relativedelta(months=1),
            "date_end": cls.today + relativedelta(months=11),
            "allowance_type": "hours",
            "allowance_qty": 100,
            "hourly_rate": 80,
            "time_rounding_minutes": 0,
            "user_id": cls.manager.id,
            "team_id": cls.team.id,
        }
        vals.update(values)
        contract = cls.env["service.contract"].create(vals)
        if activate:
            contract.action_activate()
        return contract

    def open_ticket(self, partner=None, **values):
        vals = {
            "name": "Printer broken",
            "description": "<p>It does not print.</p>",
            "partner_id": (partner or self.contact).id,
            "team_id": self.team.id,
            "project_id": self.project.id,
        }
        vals.update(values)
        return self.env["helpdesk.ticket"].create(vals)

    def log_time(self, ticket, hours, user=None):
        return (
            self.env["account.analytic.line"]
            .with_user(user or self.technician)
            .create(
                {
                    "name": "Work",
                    "ticket_id": ticket.id,
                    "project_id": ticket.project_id.id,
                    "unit_amount": hours,
                }
            )
        )

    def close(self, ticket, user=None):
        ticket.with_user(user or self.technician).write(
            {"stage_id": self.stage_done.id}
        )

    def reopen(self, ticket):
        ticket.with_user(self.technician).write({"stage_id": self.stage_progress.id})

    @contextmanager
    def assertRefused(self, exception, pattern):
        """Like assertRaisesRegex, inside a savepoint: what the refused call
        wrote is rolled back, as a user's request would be."""
        with self.assertRaises(exception) as context:
            yield context
        self.assertRegex(str(context.exception), pattern)

    def add_groups(self, user, *xmlids):
        user.groups_id = [Command.link(self.env.ref(x).id) for x in xmlids]
