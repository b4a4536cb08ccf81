"""Property-based tests of the SLA working-time arithmetic: deadlines and
elapsed working hours of random calendars (attendances per weekday, split
days, time zones with and without daylight saving time), public holidays and
holds, against a brute-force reference that walks the time minute by minute.
"""

from datetime import datetime, time, timedelta

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from pytz import timezone, utc

from odoo import Command
from odoo.tests import TransactionCase, tagged

ZONES = [
    "UTC",
    "Europe/Brussels",
    "Europe/Warsaw",
    "Europe/Moscow",
    "America/New_York",
    "Asia/Kolkata",
]
MINUTE = timedelta(minutes=1)
DAY_MINUTES = 24 * 60
FIRST = datetime(2000, 1, 8)
LAST = datetime(2099, 12, 20)
# the longest walk of the reference (about six weeks)
WALK_LIMIT = 60000
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _changes(name):
    """The moments (naive UTC) at which the zone's offset changes."""
    moments = getattr(timezone(name), "_utc_transition_times", [])
    return [moment for moment in moments if FIRST <= moment <= LAST]


CHANGES = {name: _changes(name) for name in ZONES}


@st.composite
def weeks(draw):
    """Attendances per weekday as ``(from, to)`` minutes of the local day on
    a quarter-hour grid: none to three a day, touching ones included (a
    split day 8-12, 12-17), up to midnight (24:00)."""
    week = {}
    for day in range(7):
        bounds = sorted(draw(st.lists(st.integers(0, 96), max_size=6)))
        week[day] = [
            (15 * begin, 15 * end)
            for begin, end in zip(bounds[::2], bounds[1::2], strict=False)
            if begin < end
        ]
    # enough working time in a week for the brute force to stay short
    assume(_weekly_minutes(week) >= 8 * 60)
    return week


def _weekly_minutes(week):
    return sum(end - begin for day in week.values() for begin, end in day)


@st.composite
def moments(draw, zone):
    """A naive UTC moment on a whole minute from 2000 to 2100; half of them
    within days of a change of the zone's offset (daylight saving time)."""
    if CHANGES[zone] and draw(st.booleans()):
        change = draw(st.sampled_from(CHANGES[zone]))
        return change + MINUTE * draw(st.integers(-3 * DAY_MINUTES, 2 * DAY_MINUTES))
    span = int((LAST - FIRST) / MINUTE)
    return FIRST + MINUTE * draw(st.integers(0, span))


@st.composite
def holidays(draw, zone, start):
    """A public holiday near ``start``: a whole local day, or any stretch of
    minutes; as naive UTC ``(date_from, date_to)``."""
    if draw(st.booleans()):
        tz = timezone(zone)
        day = utc.localize(start).astimezone(tz).date() + timedelta(
            days=draw(st.integers(-1, 8))
        )
        midnights = (datetime.combine(day + timedelta(days=n), time()) for n in (0, 1))
        return tuple(
            tz.localize(midnight).astimezone(utc).replace(tzinfo=None)
            for midnight in midnights
        )
    begin = start + MINUTE * draw(st.integers(-2 * DAY_MINUTES, 8 * DAY_MINUTES))
    return begin, begin + MINUTE * draw(st.integers(1, 3 * DAY_MINUTES))


@st.composite
def holds(draw, start):
    """A pause of the clock near ``start``, possibly empty or overlapping
    others, as naive UTC ``(start, stop)``."""
    begin = start + MINUTE * draw(st.integers(-DAY_MINUTES, 7 * DAY_MINUTES))
    return begin, begin + MINUTE * draw(st.integers(0, 2 * DAY_MINUTES))


@st.composite
def cases(draw):
    zone = draw(st.sampled_from(ZONES))
    week = draw(weeks())
    start = draw(moments(zone))
    return {
        "zone": zone,
        "week": week,
        "start": start,
        "holidays": draw(st.lists(holidays(zone, start), max_size=3)),
        "holds": draw(st.lists(holds(start), max_size=3)),
    }


def targets(week):
    """Target minutes up to 40 h (and a week of the calendar's working
    time): whole half hours, where deadlines meet the ends of attendances
    most often, or any number of minutes (fractional hours)."""
    longest = min(40 * 60, _weekly_minutes(week))
    return st.one_of(
        st.integers(1, longest // 30).map(lambda halves: 30 * halves),
        st.integers(1, longest),
    )


class Reference:
    """Working time by brute force: a minute (naive UTC) works when its
    local time in the zone lies in an attendance of its local weekday and
    the minute lies in no public holiday and no hold."""

    def __init__(self, zone, week, off):
        self.tz = timezone(zone)
        self.week = week
        self.off = off

    def works(self, moment):
        if any(begin <= moment < end for begin, end in self.off):
            return False
        local = utc.localize(moment).astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return any(begin <= minute < end for begin, end in self.week[local.weekday()])

    def deadline(self, start, minutes):
        """The end of the minute that completes ``minutes`` working
        minutes from ``start``."""
        moment, counted = start, 0
        for _step in range(WALK_LIMIT):
            if self.works(moment):
                counted += 1
                if counted == minutes:
                    return moment + MINUTE
            moment += MINUTE
        raise AssertionError("the reference found no deadline")

    def count(self, start, stop):
        """Working minutes from ``start`` to ``stop``."""
        steps = int((stop - start) / MINUTE)
        return sum(self.works(start + MINUTE * step) for step in range(steps))


@tagged("post_install", "-at_install")
class TestWorkingTimeProperties(TransactionCase):
    """The deadlines and elapsed hours of ``resource.calendar`` equal the
    minute-by-minute reference on random calendars, time zones, public
    holidays (leaves without a resource) and holds."""

    def make_calendar(self, case):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Random hours",
                "tz": case["zone"],
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {begin}-{end}",
                            "dayofweek": str(day),
                            "hour_from": begin / 60,
                            "hour_to": end / 60,
                            "day_period": "morning",
                        }
                    )
                    for day, attendances in case["week"].items()
                    for begin, end in attendances
                ],
            }
        )
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Public holiday",
                    "calendar_id": calendar.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for date_from, date_to in case["holidays"]
            ]
        )
        return calendar

    def reference(self, case, calendar):
        """The reference with the public holidays as stored (those of no
        calendar in particular count in every calendar)."""
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("resource_id", "=", False),
                ("calendar_id", "in", [False, calendar.id]),
                ("time_type", "=", "leave"),
            ]
        )
        off = [(leave.date_from, leave.date_to) for leave in leaves] + case["holds"]
        return Reference(case["zone"], case["week"], off)

    @SETTINGS
    @given(data=st.data())
    def test_deadline(self, data):
        case = data.draw(cases(), label="case")
        minutes = data.draw(targets(case["week"]), label="target minutes")
        calendar = self.make_calendar(case)
        start, holds = case["start"], case["holds"]
        expected = self.reference(case, calendar).deadline(start, minutes)
        note(f"expected deadline {expected} (UTC)")
        [deadline] = calendar._sla_plan_hours([(start, minutes / 60, holds)])
        self.assertEqual(deadline, expected, f"{minutes / 60} h from {start} (UTC)")
        # and the working time from the start to the deadline is the target
        [hours] = calendar._sla_count_hours([(start, deadline, holds)])
        self.assertAlmostEqual(hours * 60, minutes, places=6)

    @SETTINGS
    @given(data=st.data())
    def test_elapsed_hours(self, data):
        case = data.draw(cases(), label="case")
        stop = case["start"] + MINUTE * data.draw(
            st.integers(0, 8 * DAY_MINUTES), label="minutes to the stop"
        )
        calendar = self.make_calendar(case)
        expected = self.reference(case, calendar).count(case["start"], stop)
        [hours] = calendar._sla_count_hours([(case["start"], stop, case["holds"])])
        self.assertAlmostEqual(
            hours * 60, expected, places=6, msg=f"from {case['start']} to {stop} (UTC)"
        )
