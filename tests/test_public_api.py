"""The public data model and methods of the product, used as an integrator
uses them: from an outside XML-RPC client, by their public names."""

import xmlrpc.client

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.service_billing.tests.common import BillingCase

# The public names of each model, as the data model reference lists them.
PUBLIC_FIELDS = {
    "service.contract": [
        "name",
        "code",
        "partner_id",
        "company_id",
        "currency_id",
        "state",
        "date_start",
        "date_end",
        "allowance_type",
        "allowance_qty",
        "allowance_scope",
        "consumed_qty",
        "remaining_qty",
        "consumed_percent",
        "in_progress_qty",
        "hourly_rate",
        "time_rounding_minutes",
        "min_ticket_minutes",
        "user_id",
        "team_id",
        "authorized_partner_ids",
        "category_ids",
        "equipment_ids",
        "period_ids",
        "ticket_ids",
        "usage_ids",
        "ticket_count",
        "alert_threshold_percent",
        "alert_days_before_end",
        "auto_renew",
        "renewal_months",
        "rollover_percent",
        "rollover_max_qty",
        "enforcement",
        "sla_policy_id",
        "overage_price",
        "invoice_ids",
        "margin",
    ],
    "service.contract.period": [
        "contract_id",
        "date_start",
        "date_end",
        "amount",
        "payment_mode",
        "is_paid",
        "reminder_date",
        "invoice_id",
        "state",
        "is_overdue",
    ],
    "service.contract.usage": [
        "contract_id",
        "partner_id",
        "period_id",
        "ticket_id",
        "date",
        "quantity",
        "hours",
        "amount",
        "is_overage",
        "invoice_line_id",
    ],
    "service.equipment": [
        "name",
        "serial_number",
        "product_id",
        "partner_id",
        "location",
        "warranty_end_date",
        "contract_ids",
    ],
    "service.maintenance.plan": [
        "contract_id",
        "name",
        "description",
        "category_id",
        "team_id",
        "user_id",
        "planned_hours",
        "equipment_ids",
        "interval_number",
        "interval_type",
        "date_start",
        "date_next",
        "lead_days",
        "notice_days",
        "ticket_ids",
    ],
    "helpdesk.ticket": [
        "contract_id",
        "billing_mode",
        "equipment_id",
        "usage_ids",
        "coverage_warning",
        "maintenance_plan_id",
        "maintenance_date",
        "is_preventive",
        "sla_policy_id",
        "sla_response_deadline",
        "sla_resolution_deadline",
        "sla_first_response_date",
        "sla_response_status",
        "sla_resolution_status",
    ],
    "service.sla.policy": [
        "name",
        "calendar_id",
        "line_ids",
        "pause_stage_ids",
        "at_risk_percent",
    ],
    "service.billing.run": ["date", "contract_ids", "invoice_ids", "state"],
    "service.sla.clock": [
        "ticket_id",
        "target",
        "deadline",
        "status",
        "decided_at",
        "working_hours_used",
    ],
}

# Computed figures: a write is refused, whoever sends it.
COMPUTED_FIGURES = {
    "service.contract": {
        "consumed_qty": 1.0,
        "remaining_qty": 999.0,
        "consumed_percent": 1.0,
        "in_progress_qty": 1.0,
        "margin": 1.0,
    },
    "service.contract.period": {"state": "closed", "is_overdue": True},
    "helpdesk.ticket": {
        "coverage_warning": "Covered.",
        "sla_response_deadline": "2030-01-01 00:00:00",
        "sla_resolution_deadline": "2030-01-01 00:00:00",
        "sla_response_status": "met",
        "sla_resolution_status": "met",
    },
}


@tagged("post_install", "-at_install")
class TestPublicApi(HttpCase, BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integrator = new_test_user(
            cls.env,
            login="integrator",
            password="integrator-secret",
            groups="service_contract.group_service_contract_manager,"
            "helpdesk_mgmt.group_helpdesk_manager,"
            "hr_timesheet.group_hr_timesheet_user,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def call(self, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.integrator.id,
            "integrator-secret",
            model,
            method,
            list(args),
            kwargs,
        )

    def create_over_rpc(self, model, vals):
        return self.call(model, "create", [vals])[0]

    def ticket_over_rpc(self):
        """A ticket of the customer's contact, created over XML-RPC."""
        return self.create_over_rpc(
            "helpdesk.ticket",
            {
                "name": "Printer broken",
                "description": "<p>It does not print.</p>",
                "partner_id": self.contact.id,
                "team_id": self.team.id,
            },
        )

    def contract_over_rpc(self, **values):
        return self.create_over_rpc(
            "service.contract",
            {
                "name": "Bag of hours",
                "partner_id": self.customer.id,
                "date_start": str(self.this_month),
                "date_end": str(self.this_month + relativedelta(years=1, days=-1)),
                "allowance_type": "hours",
                "allowance_qty": 100,
                "allowance_scope": "contract",
                "hourly_rate": 80,
                "period_type": "monthly",
                "period_amount": 500,
                "payment_mode": "prepaid",
                **values,
            },
        )

    def test_every_public_name_exists_and_reads(self):
        for model, names in PUBLIC_FIELDS.items():
            described = self.call(model, "fields_get", names, attributes=["type"])
            self.assertEqual(sorted(described), sorted(names), model)
        contract_id = self.contract_over_rpc()
        self.call("service.contract", "action_generate_periods", [contract_id])
        self.call("service.contract", "action_activate", [contract_id])
        [contract] = self.call(
            "service.contract", "read", [contract_id], PUBLIC_FIELDS["service.contract"]
        )
        self.assertEqual(contract["remaining_qty"], 100)
        self.assertEqual(contract["state"], "active")
        self.assertEqual(len(contract["period_ids"]), 12)
        periods = self.call(
            "service.contract.period",
            "read",
            contract["period_ids"],
            PUBLIC_FIELDS["service.contract.period"],
        )
        self.assertEqual(periods[0]["date_start"], str(self.this_month))
        self.assertEqual(periods[0]["state"], "current")

    def test_public_methods_answer_over_rpc(self):
        contract_id = self.contract_over_rpc(date_end=False, allowance_type="time")
        self.assertIs(
            self.call("service.contract", "action_generate_periods", [contract_id]),
            True,
        )
        self.assertIs(
            self.call("service.contract", "action_activate", [contract_id]), True
        )
        bounded = self.contract_over_rpc(allowance_type="time")
        self.assertIs(
            self.call("service.contract", "action_renew", [bounded], months=6), True
        )
        [renewed] = self.call("service.contract", "read", [bounded], ["date_end"])
        self.assertEqual(
            renewed["date_end"],
            str(self.this_month + relativedelta(months=18, days=-1)),
        )
        run_id = self.create_over_rpc(
            "service.billing.run",
            {"date": str(self.today), "contract_ids": [(6, 0, [contract_id])]},
        )
        self.assertIs(
            self.call("service.billing.run", "action_preview", [run_id]), True
        )
        [run] = self.call(
            "service.billing.run", "read", [run_id], ["invoice_ids", "state"]
        )
        self.assertEqual(run["state"], "preview")
        self.assertEqual(len(run["invoice_ids"]), 1)
        self.assertIs(self.call("service.billing.run", "action_post", [run_id]), True)
        self.assertIs(
            self.call("service.contract", "action_cancel", [contract_id]), True
        )

    def test_computed_figures_refuse_writes(self):
        contract_id = self.contract_over_rpc()
        self.call("service.contract", "action_generate_periods", [contract_id])
        self.call("service.contract", "action_activate", [contract_id])
        [period_id] = self.call(
            "service.contract.period",
            "search",
            [("contract_id", "=", contract_id)],
            limit=1,
        )
        ticket_id = self.ticket_over_rpc()
        records = {
            "service.contract": contract_id,
            "service.contract.period": period_id,
            "helpdesk.ticket": ticket_id,
        }
        for model, figures in COMPUTED_FIGURES.items():
            for name, value in figures.items():
                with self.subTest(model=model, field=name):
                    before = self.call(model, "read", [records[model]], [name])
                    with self.assertRaisesRegex(
                        xmlrpc.client.Fault, "computed and cannot be written"
                    ):
                        self.call(model, "write", [records[model]], {name: value})
                    after = self.call(model, "read", [records[model]], [name])
                    self.assertEqual(after, before)
        with self.assertRaisesRegex(
            xmlrpc.client.Fault, "computed and cannot be written"
        ):
            self.contract_over_rpc(remaining_qty=999)

    def test_sla_clocks_read_and_refuse_writes(self):
        self.team.sla_policy_id = self.env["service.sla.policy"].create(
            {
                "name": "Standard",
                "company_id": self.company.id,
                "calendar_id": self.company.resource_calendar_id.id,
                "line_ids": [
                    Command.create(
                        {
                            "priority": priority,
                            "response_hours": 2,
                            "resolution_hours": 8,
                        }
                    )
                    for priority in "0123"
                ],
            }
        )
        self.env.flush_all()
        ticket_id = self.ticket_over_rpc()
        clock_ids = self.call(
            "service.sla.clock", "search", [("ticket_id", "=", ticket_id)]
        )
        clocks = self.call(
            "service.sla.clock", "read", clock_ids, PUBLIC_FIELDS["service.sla.clock"]
        )
        self.assertEqual(
            sorted(clock["target"] for clock in clocks), ["resolution", "response"]
        )
        [ticket] = self.call(
            "helpdesk.ticket", "read", [ticket_id], ["sla_response_deadline"]
        )
        [response] = [clock for clock in clocks if clock["target"] == "response"]
        self.assertEqual(response["deadline"], ticket["sla_response_deadline"])
        with self.assertRaisesRegex(
            xmlrpc.client.Fault, "computed and cannot be written"
        ):
            self.call("service.sla.clock", "write", clock_ids, {"status": "met"})

    def test_maintenance_plan_keeps_its_next_visit(self):
        contract_id = self.contract_over_rpc(allowance_type="time")
        self.call("service.contract", "action_activate", [contract_id])
        next_visit = self.this_month + relativedelta(months=6)
        plan_id = self.create_over_rpc(
            "service.maintenance.plan",
            {
                "contract_id": contract_id,
                "name": "Half-yearly inspection",
                "interval_number": 6,
                "interval_type": "month",
                "date_next": str(next_visit),
            },
        )
        [plan] = self.call(
            "service.maintenance.plan",
            "read",
            [plan_id],
            ["date_start", "date_next", "ticket_ids"],
        )
        self.assertEqual(plan["date_next"], str(next_visit))
        self.assertEqual(plan["date_start"], str(next_visit))
        self.assertFalse(plan["ticket_ids"])
