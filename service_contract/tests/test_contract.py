from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestContract(ServiceContractCase):
    def test_end_before_start_is_refused(self):
        with self.assertRefused(
            ValidationError, "end date .* is before the start date"
        ):
            self.create_contract(date_end=self.today - relativedelta(months=2))
        self.assertFalse(
            self.env["service.contract"].search([("partner_id", "=", self.customer.id)])
        )

    def test_negative_allowance_is_refused(self):
        with self.assertRefused(ValidationError, "allowance cannot be negative"):
            self.create_contract(allowance_qty=-5)
        contract = self.create_contract()
        with self.assertRaises(ValidationError):
            contract.allowance_qty = -1
        self.assertEqual(contract.allowance_qty, 100)

    def test_overlapping_periods_are_refused(self):
        contract = self.create_contract(
            activate=False, date_start="2026-01-01", date_end="2026-12-31"
        )
        Period = self.env["service.contract.period"]
        Period.create(
            {
                "contract_id": contract.id,
                "date_start": "2026-01-01",
                "date_end": "2026-03-31",
            }
        )
        with self.assertRefused(ValidationError, "overlap"):
            Period.create(
                {
                    "contract_id": contract.id,
                    "date_start": "2026-03-15",
                    "date_end": "2026-06-30",
                }
            )
        with self.assertRefused(ValidationError, "outside the dates"):
            Period.create(
                {
                    "contract_id": contract.id,
                    "date_start": "2026-10-01",
                    "date_end": "2027-01-31",
                }
            )
        with self.assertRefused(ValidationError, "cannot end before it starts"):
            Period.create(
                {
                    "contract_id": contract.id,
                    "date_start": "2026-05-01",
                    "date_end": "2026-04-01",
                }
            )
        self.assertEqual(len(contract.period_ids), 1)

    def test_generate_quarterly_prepaid_periods(self):
        contract = self.create_contract(
            activate=False,
            date_start="2026-01-01",
            date_end="2026-12-31",
            period_type="quarterly",
            payment_mode="prepaid",
            period_amount=3000,
            reminder_days=10,
        )
        contract.action_generate_periods()
        periods = contract.period_ids.sorted("date_start")
        self.assertEqual(
            [(str(p.date_start), str(p.date_end)) for p in periods],
            [
                ("2026-01-01", "2026-03-31"),
                ("2026-04-01", "2026-06-30"),
                ("2026-07-01", "2026-09-30"),
                ("2026-10-01", "2026-12-31"),
            ],
        )
        self.assertEqual(periods.mapped("amount"), [3000.0] * 4)
        self.assertEqual(str(periods[1].due_date), "2026-04-01")
        self.assertEqual(str(periods[1].reminder_date), "2026-03-22")
        # Generating again adds nothing: the contract is covered.
        contract.action_generate_periods()
        self.assertEqual(len(contract.period_ids), 4)

    def test_postpaid_periods_are_due_at_end_and_clipped_to_contract(self):
        contract = self.create_contract(
            activate=False,
            date_start="2026-01-15",
            date_end="2026-03-31",
            period_type="monthly",
            payment_mode="postpaid",
        )
        contract.action_generate_periods()
        periods = contract.period_ids.sorted("date_start")
        self.assertEqual(str(periods[0].date_end), "2026-02-14")
        self.assertEqual(str(periods[-1].date_end), "2026-03-31")
        self.assertEqual(periods[0].due_date, periods[0].date_end)

    def test_period_state_and_overdue(self):
        contract = self.create_contract(
            activate=False,
            date_start="2026-01-01",
            date_end="2026-12-31",
            period_type="quarterly",
            payment_mode="prepaid",
        )
        contract.action_generate_periods()
        q1, q2, q3, _q4 = contract.period_ids.sorted("date_start")
        q1.is_paid = True
        Period = self.env["service.contract.period"]
        with freeze_time("2026-05-10"):
            self.assertEqual(
                (q1.state, q2.state, q3.state), ("closed", "current", "upcoming")
            )
            self.assertTrue(q2.is_overdue)
            self.assertFalse(q1.is_overdue)
            self.assertEqual(
                Period.search(
                    [("contract_id", "=", contract.id), ("is_overdue", "=", True)]
                ),
                q2,
            )
            self.assertEqual(
                Period.search(
                    [("contract_id", "=", contract.id), ("state", "=", "current")]
                ),
                q2,
            )
            self.assertEqual(
                Period.search(
                    [("contract_id", "=", contract.id), ("state", "!=", "upcoming")]
                ),
                q1 | q2,
            )
            self.assertEqual(contract.overdue_period_count, 1)

    def test_states_and_renewal(self):
        contract = self.create_contract(
            activate=False,
            date_start="2026-01-01",
            date_end="2026-06-30",
            period_type="monthly",
            renewal_months=6,
        )
        self.assertEqual(contract.state, "draft")
        contract.action_activate()
        self.assertEqual(contract.state, "active")
        contract.action_generate_periods()
        contract.action_renew()
        self.assertEqual(str(contract.date_end), "2026-12-31")
        self.assertEqual(len(contract.period_ids), 12)
        contract.action_cancel()
        self.assertEqual(contract.state, "cancelled")
        with self.assertRefused(UserError, "cancelled"):
            contract.action_renew()

    def test_expiry_cron_expires_or_renews(self):
        ending = self.create_contract(date_start="2026-01-01", date_end="2026-03-31")
        renewing = self.create_contract(
            date_start="2026-01-01",
            date_end="2026-03-31",
            auto_renew=True,
            renewal_months=12,
        )
        with freeze_time("2026-04-02"):
            self.env["service.contract"]._cron_expire_contracts()
        self.assertEqual(ending.state, "expired")
        self.assertEqual(renewing.state, "active")
        self.assertEqual(str(renewing.date_end), "2027-03-31")

    def test_open_ended_contract_gets_a_year_of_periods(self):
        contract = self.create_contract(
            activate=False, date_start=self.today, date_end=False, period_type="monthly"
        )
        contract.action_generate_periods()
        self.assertEqual(len(contract.period_ids), 12)

    def test_computed_figures_refuse_writes(self):
        contract = self.create_contract(period_type="monthly")
        contract.action_generate_periods()
        ticket = self.open_ticket()
        for record, values in (
            (contract, {"remaining_qty": 999}),
            (contract, {"consumed_qty": 0, "consumed_percent": 0}),
            (contract.period_ids[:1], {"state": "closed"}),
            (contract.period_ids[:1], {"is_overdue": True}),
            (ticket, {"coverage_warning": False}),
        ):
            with self.assertRefused(UserError, "computed and cannot be written"):
                record.with_user(self.manager).write(values)
        self.assertEqual(contract.remaining_qty, 100)
        with self.assertRefused(UserError, "computed and cannot be written"):
            self.create_contract(remaining_qty=5)
