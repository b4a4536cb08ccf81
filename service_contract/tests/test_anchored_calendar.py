from datetime import date

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from ..tools.anchored_calendar import anchored_date
from .common import ServiceContractCase

PERIODICITIES = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
ONE_DAY = relativedelta(days=1)

# Each example creates records in the test's transaction: no deadline (the
# database's speed varies), no example database written into the repository.
PROPERTIES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
start_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
# Month ends and leap days are what break calendars: drawn often.
hard_start_dates = st.one_of(
    start_dates,
    start_dates.map(lambda d: d + relativedelta(day=31)),
    st.integers(2000, 2100).map(lambda year: date(year, 2, 28) + relativedelta(day=31)),
)


@tagged("post_install", "-at_install")
class TestAnchoredPeriods(ServiceContractCase):
    """Service periods are anchored on the contract's start: the n-th starts
    on the start + n x the periodicity, on the month's last day where that
    day does not exist, and ends the day before the next one."""

    def contract_of_a_year(self, date_start, period_type, **values):
        date_start = fields.Date.to_date(date_start)
        contract = self.create_contract(
            **{
                "activate": False,
                "date_start": date_start,
                "date_end": anchored_date(date_start, 12, months=1) - ONE_DAY,
                "allowance_type": "time",
                "period_type": period_type,
                **values,
            }
        )
        contract.action_generate_periods()
        return contract

    def assertAnchored(self, contract, months):
        periods = contract.period_ids.sorted("date_start")
        self.assertEqual(periods[0].date_start, contract.date_start)
        for index, period in enumerate(periods):
            self.assertEqual(
                period.date_start, anchored_date(contract.date_start, index, months)
            )
            self.assertLessEqual(period.date_start, period.date_end)
        for before, after in zip(periods, periods[1:], strict=False):
            self.assertEqual(after.date_start, before.date_end + ONE_DAY, "no gap")
        return periods

    def period_dates(self, contract):
        return [
            (str(p.date_start), str(p.date_end))
            for p in contract.period_ids.sorted("date_start")
        ]

    @PROPERTIES
    @given(
        date_start=hard_start_dates, period_type=st.sampled_from(list(PERIODICITIES))
    )
    def test_a_year_is_covered_exactly_by_anchored_periods(
        self, date_start, period_type
    ):
        months = PERIODICITIES[period_type]
        contract = self.contract_of_a_year(date_start, period_type)
        periods = self.assertAnchored(contract, months)
        self.assertEqual(len(periods), 12 // months)
        self.assertEqual(periods[-1].date_end, contract.date_end)
        # Generating again adds nothing.
        contract.action_generate_periods()
        self.assertEqual(len(contract.period_ids), 12 // months)

    @PROPERTIES
    @given(
        date_start=hard_start_dates,
        period_type=st.sampled_from(list(PERIODICITIES)),
        renewals=st.lists(st.integers(1, 24), min_size=1, max_size=3),
    )
    def test_renewals_keep_the_anchor(self, date_start, period_type, renewals):
        months = PERIODICITIES[period_type]
        contract = self.contract_of_a_year(date_start, period_type)
        total = 12
        for added in renewals:
            contract.action_renew(months=added)
            total += added
        self.assertEqual(
            contract.date_end, anchored_date(date_start, total, 1) - ONE_DAY
        )
        periods = self.assertAnchored(contract, months)
        self.assertEqual(periods[-1].date_end, contract.date_end)

    @PROPERTIES
    @given(
        date_start=hard_start_dates,
        period_type=st.sampled_from(list(PERIODICITIES)),
        today=start_dates,
    )
    def test_open_ended_contracts_keep_a_year_ahead(
        self, date_start, period_type, today
    ):
        months = PERIODICITIES[period_type]
        with freeze_time(today):
            contract = self.contract_of_a_year(date_start, period_type, date_end=False)
            periods = self.assertAnchored(contract, months)
            horizon = max(date_start, today) + relativedelta(years=1) - ONE_DAY
            self.assertLessEqual(periods[-1].date_start, horizon)
            self.assertGreaterEqual(periods[-1].date_end, horizon)
            if today <= date_start:
                self.assertEqual(len(periods), 12 // months)

    def test_month_ends_do_not_drift(self):
        contract = self.contract_of_a_year("2027-01-31", "monthly")
        self.assertEqual(
            self.period_dates(contract)[:5],
            [
                ("2027-01-31", "2027-02-27"),
                ("2027-02-28", "2027-03-30"),
                ("2027-03-31", "2027-04-29"),
                ("2027-04-30", "2027-05-30"),
                ("2027-05-31", "2027-06-29"),
            ],
        )

    def test_open_ended_contract_from_a_month_end_gets_twelve_periods(self):
        with freeze_time("2026-11-30"):
            contract = self.create_contract(
                activate=False,
                date_start="2026-11-30",
                date_end=False,
                period_type="monthly",
            )
            contract.action_generate_periods()
        dates = self.period_dates(contract)
        self.assertEqual(len(dates), 12)
        self.assertEqual(
            dates[2:4], [("2027-01-30", "2027-02-27"), ("2027-02-28", "2027-03-29")]
        )
        self.assertEqual(dates[-1], ("2027-10-30", "2027-11-29"))

    def test_quarters_from_a_leap_day_have_no_one_day_period(self):
        contract = self.contract_of_a_year("2028-02-29", "quarterly")
        self.assertEqual(
            self.period_dates(contract),
            [
                ("2028-02-29", "2028-05-28"),
                ("2028-05-29", "2028-08-28"),
                ("2028-08-29", "2028-11-28"),
                ("2028-11-29", "2029-02-27"),
            ],
        )

    def test_renewal_from_a_month_end(self):
        contract = self.create_contract(
            activate=False, date_start="2027-01-31", date_end="2027-04-29"
        )
        contract.action_renew(months=3)
        self.assertEqual(str(contract.date_end), "2027-07-30")

    def test_generate_periods_answers_true(self):
        """A public method: its answer travels over XML-RPC."""
        contract = self.create_contract(activate=False, period_type="monthly")
        self.assertIs(contract.action_generate_periods(), True)
        self.assertTrue(contract.period_ids)


@tagged("post_install", "-at_install")
class TestAnchoredPlans(ServiceContractCase):
    """Maintenance plans follow the same calendar from their first visit;
    their next visit can be written, which moves the schedule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.create_contract(
            allowance_type="time", date_start="2000-01-01", date_end=False
        )

    def create_plan(self, **values):
        return self.env["service.maintenance.plan"].create(
            {
                "contract_id": self.contract.id,
                "name": "Inspection",
                "lead_days": 0,
                "notice_days": 0,
                **values,
            }
        )

    @PROPERTIES
    @given(
        date_start=hard_start_dates,
        interval_number=st.integers(1, 12),
        interval_type=st.sampled_from(["day", "week", "month"]),
        visits=st.integers(1, 8),
    )
    def test_visits_fall_on_anchored_dates(
        self, date_start, interval_number, interval_type, visits
    ):
        plan = self.create_plan(
            date_start=date_start,
            interval_number=interval_number,
            interval_type=interval_type,
        )
        step = {"day": (0, 1), "week": (0, 7), "month": (1, 0)}[interval_type]
        months, days = (n * interval_number for n in step)
        expected = [anchored_date(date_start, i, months, days) for i in range(visits)]
        plan._generate(expected[-1])
        self.assertEqual(plan.occurrence_ids.sorted("date").mapped("date"), expected)
        self.assertEqual(
            plan.date_next, anchored_date(date_start, visits, months, days)
        )

    def test_next_visit_given_at_creation_is_kept(self):
        with freeze_time("2026-01-10"):
            plan = self.create_plan(
                date_next="2026-03-31", interval_number=1, interval_type="month"
            )
            self.assertEqual(str(plan.date_start), "2026-03-31")
            self.assertEqual(str(plan.date_next), "2026-03-31")
            self.assertEqual(str(plan.date_generate), "2026-03-31")
            self.env["service.maintenance.plan"]._cron_generate_tickets()
        self.assertFalse(plan.ticket_ids, "nothing is due before the given date")

    def test_writing_next_visit_moves_the_schedule(self):
        plan = self.create_plan(
            date_start="2026-01-31", interval_number=1, interval_type="month"
        )
        plan._generate(date(2026, 2, 28))
        self.assertEqual(str(plan.date_next), "2026-03-31")
        plan.date_next = "2026-03-15"
        self.assertEqual(str(plan.date_next), "2026-03-15")
        plan._generate(date(2026, 4, 15))
        self.assertEqual(
            [str(d) for d in plan.occurrence_ids.sorted("date").mapped("date")],
            ["2026-01-31", "2026-02-28", "2026-03-15", "2026-04-15"],
        )
        with self.assertRaisesRegex(ValidationError, "after its last visit"):
            plan.date_next = "2026-04-01"
