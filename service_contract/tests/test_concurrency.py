import threading

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

from .common import freeze_test_clock


@tagged("post_install", "-at_install")
class TestConcurrentClosing(BaseCase):
    """Two tickets of one contract closed at the same moment by two
    transactions. The contract row lock serialises them: the second waits,
    then retries as Odoo retries a serialization failure. Nothing is lost
    or doubled, and the allowance is split correctly."""

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_test_clock())
        self.registry = api.Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {"name": "Concurrent Ltd", "is_company": True}
            )
            employee = env["hr.employee"].create({"name": "Concurrent technician"})
            project = env["project.project"].create({"name": "Concurrent support"})
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Concurrent",
                    "allow_timesheet": True,
                    "default_project_id": project.id,
                }
            )
            contract = env["service.contract"].create(
                {
                    "name": "Three hours",
                    "partner_id": partner.id,
                    "allowance_qty": 3,
                    "time_rounding_minutes": 0,
                }
            )
            contract.action_activate()
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Request {i}",
                        "description": "<p>Help</p>",
                        "partner_id": partner.id,
                        "team_id": team.id,
                        "project_id": project.id,
                    }
                    for i in range(2)
                ]
            )
            env["account.analytic.line"].create(
                [
                    {
                        "name": "Work",
                        "ticket_id": t.id,
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "unit_amount": 2,
                    }
                    for t in tickets
                ]
            )
            self.contract_id, self.ticket_ids = contract.id, tickets.ids
            self.employee_id = employee.id
            self.done_id = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id
        self.addCleanup(self.delete_data)

    def delete_data(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM service_contract_usage WHERE contract_id = %s",
                [self.contract_id],
            )
            cr.execute(
                "DELETE FROM account_analytic_line WHERE ticket_id IN %s",
                [tuple(self.ticket_ids)],
            )
            cr.execute(
                "DELETE FROM helpdesk_ticket WHERE id IN %s", [tuple(self.ticket_ids)]
            )
            cr.execute("DELETE FROM service_contract WHERE id = %s", [self.contract_id])
            cr.execute("DELETE FROM hr_employee WHERE id = %s", [self.employee_id])

    def close(self, ticket_id, holding=None, release=None, retries=None):
        for _attempt in range(5):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["helpdesk.ticket"].browse(ticket_id).write(
                        {"stage_id": self.done_id}
                    )
                    env.flush_all()
                    if holding:
                        holding.set()
                        release.wait(30)
                return
            except errors.SerializationFailure:
                if retries is not None:
                    retries.append(ticket_id)

    def test_two_closings_at_once(self):
        holding, release = threading.Event(), threading.Event()
        retries = []
        first = threading.Thread(
            target=self.close, args=(self.ticket_ids[0], holding, release)
        )
        second = threading.Thread(
            target=self.close, args=(self.ticket_ids[1],), kwargs={"retries": retries}
        )
        first.start()
        self.assertTrue(holding.wait(30), "the first closing holds the contract")
        second.start()
        second.join(1)
        self.assertTrue(
            second.is_alive(), "the second closing waits for the contract lock"
        )
        release.set()
        first.join(30)
        second.join(30)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            contract = env["service.contract"].browse(self.contract_id)
            usage = contract.usage_ids
            self.assertEqual(sum(usage.mapped("quantity")), 4)
            self.assertEqual(sum(usage.filtered("is_overage").mapped("quantity")), 1)
            self.assertEqual(contract.consumed_qty, 4)
            self.assertEqual(contract.remaining_qty, 0)
        self.assertEqual(retries, [self.ticket_ids[1]])
