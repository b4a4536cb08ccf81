"""Seed scenario: a chiller breaks. The dispatcher opens a ticket, the
product suggests the technicians with the refrigeration skill who are free
tomorrow morning; the visit is planned, the technician checks in on site (the
on-site SLA is met), logs time, travel and a part, and the customer signs the
work report on the technician's phone; the back office approves it and the
next billing run invoices the part and the travel."""

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.service_billing.tests.common import BillingCase
from odoo.addons.service_contract.tests.visit_common import VisitCase

# A signature as the signature widget sends it: a 1x1 PNG.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestSeedFieldService(VisitCase, BillingCase):
    def test_chiller_breakdown_to_invoice(self):
        company = self.env.company
        company.write({"travel_rate": 45, "visit_approval_required": True})
        policy = self.env["service.sla.policy"].create(
            {
                "name": "On-site within a working day",
                "calendar_id": self.calendar.id,
                "line_ids": [
                    Command.create(
                        {
                            "priority": priority,
                            "response_hours": 2,
                            "resolution_hours": 16,
                            "arrival_hours": 8,
                        }
                    )
                    for priority in "0123"
                ],
            }
        )
        self.contract.sla_policy_id = policy
        ana = self.create_technician("Ana Frio", [self.refrigeration])
        self.create_technician("Bruno Volt", [self.electrical])
        carl = self.create_technician("Carl Kalt", [self.refrigeration])
        tuesday, monday = self.tuesday, self.tuesday - relativedelta(days=1)
        self.env["resource.calendar.leaves"].sudo().create(
            {
                "name": "Carl: day off",
                "resource_id": carl.employee_id.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": self.at(tuesday, 0),
                "date_to": self.at(tuesday, 23),
            }
        )

        # Monday 15:00: the chiller stops; the dispatcher opens a ticket.
        with freeze_time(self.at(monday, 15)):
            ticket = self.open_ticket(
                name="Chiller stopped, warehouse too warm",
                equipment_id=self.chiller.id,
            )
            self.assertEqual(ticket.contract_id, self.contract)
            visit = self.env["service.visit"].create(
                {
                    "ticket_id": ticket.id,
                    "planned_start": self.at(tuesday, 9),
                    "planned_end": self.at(tuesday, 12),
                }
            )
        # Only Ana has the skill and is free tomorrow morning.
        self.assertEqual(visit.required_skill_ids, self.refrigeration)
        self.assertEqual(visit.suggested_user_ids, ana)
        visit.user_ids = ana
        arrival = ticket.sla_clock_ids.filtered(lambda c: c.target == "arrival")
        # 15:00-17:00 on Monday, then 8:00-12:00 and 13:00-15:00 on Tuesday
        self.assertEqual(arrival.deadline, self.at(tuesday, 15))

        # Tuesday: Ana checks in, adds a part and her travel, the customer
        # signs on her phone, she checks out.
        on_site = visit.with_user(ana)
        with freeze_time(self.at(tuesday, 9, 30)):
            on_site.action_check_in()
        self.assertEqual(arrival.status, "met", "the on-site SLA is met")
        part = self.env["product.product"].create(
            {"name": "Compressor relay", "list_price": 42.0, "type": "consu"}
        )
        self.env["helpdesk.ticket.charge"].create(
            {"visit_id": visit.id, "product_id": part.id, "quantity": 1}
        )
        with freeze_time(self.at(tuesday, 11)):
            on_site.write(
                {"travel_hours": 1.0, "work_summary": "<p>Relay replaced.</p>"}
            )
            on_site.write({"signed_by": "Alice Acme", "signature": SIGNATURE})
            on_site.action_check_out()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.report_state, "signed")
        self.assertEqual(sum(visit.timesheet_ids.mapped("unit_amount")), 1.5)
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "service.visit"), ("res_id", "=", visit.id)]
            ),
            "the signed work report is attached",
        )

        # Unapproved, nothing of the visit is billed; approved, the next run
        # invoices the part and the travel.
        wednesday = tuesday + relativedelta(days=1)
        travel = self.env.ref("service_billing.product_service_travel")

        def visit_lines(run):
            return run.invoice_ids.invoice_line_ids.filtered(
                lambda line: line.product_id in (part | travel)
            )

        self.assertFalse(visit_lines(self.run_billing(wednesday)))
        back_office = new_test_user(
            self.env, login="back.office", groups="account.group_account_invoice"
        )
        visit.with_user(back_office).action_approve_report()
        lines = visit_lines(self.run_billing(wednesday))
        self.assertEqual(
            sorted((line.product_id.name, line.quantity) for line in lines),
            [("Compressor relay", 1.0), (travel.name, 1.0)],
        )
        self.assertEqual(lines.move_id.partner_id, self.customer)
