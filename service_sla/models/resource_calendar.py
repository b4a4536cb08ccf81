import math
from bisect import bisect_left, bisect_right
from datetime import datetime, time, timedelta
from itertools import islice
from operator import itemgetter

from pytz import timezone, utc

from odoo import models, tools
from odoo.exceptions import UserError

from odoo.addons.resource.models.utils import Intervals

# A calendar with no working time at all within this many days cannot
# carry an SLA target.
MAX_PLANNING_DAYS = 3 * 366


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if {"attendance_ids", "tz", "two_weeks_calendar"} & vals.keys():
            self._sla_replan()
        return result

    def _sla_forget_work(self):
        """Drops the working time ``_sla_weeks_work`` keeps: the
        attendances, the time zone or the public holidays of these calendars
        changed."""
        if self:
            self.env.registry.clear_cache()

    def _sla_replan(self):
        """Moves the clocks still running on policies counting in these
        calendars, after their working time changed."""
        if self:
            self._sla_forget_work()
            self.env["service.sla.policy"].with_context(active_test=False).search(
                [("calendar_id", "in", self.ids)]
            )._replan_running_tickets()

    def _sla_work_intervals(self, start, stop):
        """Working time of the calendar between two naive UTC datetimes, as
        sorted ``(start, stop, attendances)`` triples in naive UTC (the
        attendances are an empty recordset): the attendances in the
        calendar's time zone minus its leaves (the public holidays)."""
        self.ensure_one()
        weeks = self._sla_weeks_work(_monday(start), _monday(stop) + timedelta(days=7))
        no_work = self.env["resource.calendar.attendance"]
        intervals = []
        for begin, end in islice(
            weeks, bisect_right(weeks, start, key=itemgetter(1)), None
        ):
            if begin >= stop:
                break
            intervals.append((max(begin, start), min(end, stop), no_work))
        return intervals

    @tools.ormcache("self.id", "first", "last")
    def _sla_weeks_work(self, first, last):
        """The working time of ``_sla_work_intervals`` from one Monday to
        another, as ``(start, stop)`` pairs. Kept in the registry's cache:
        tickets are planned and their badges counted in the same weeks over
        and over. The calendar is read as superuser, for every user shares
        the cache (its public holidays are the same for all).

        A moment works when its local time lies in an attendance of its
        local day: on the days the clocks change, an attendance over the
        skipped hour is an hour shorter and one over the repeated hour an
        hour longer (Odoo's own intervals move such bounds by an hour)."""
        calendar = self.sudo()
        tz = timezone(calendar.tz or "UTC")
        # the attendances in local wall-clock time (given as UTC), enough
        # days around the bounds for any offset
        margin = timedelta(days=1)
        local = calendar._attendance_intervals_batch(
            utc.localize(first - margin), utc.localize(last + margin), tz=utc
        )[False]
        attendances = Intervals(
            [
                (begin, end, meta)
                for local_begin, local_end, meta in local
                for begin, end in _utc_stretches(
                    tz,
                    local_begin.replace(tzinfo=None),
                    _midnight(local_end.replace(tzinfo=None)),
                )
            ]
        )
        leaves = calendar._leave_intervals_batch(
            utc.localize(first), utc.localize(last)
        )[False]
        no_work = calendar.env["resource.calendar.attendance"]
        bounds = Intervals([(first, last, no_work)]) - Intervals(
            [(_naive_utc(begin), _naive_utc(end), no_work) for begin, end, _ in leaves]
        )
        return tuple((begin, end) for begin, end, _meta in attendances & bounds)

    def _sla_plan_hours(self, requests):
        """Deadlines of ``requests``, a list of ``(start, hours, holds)``:
        the moment ``hours`` of working time have passed since ``start``,
        not counting the ``holds`` (``(start, stop)`` pairs during which the
        clock stops). Naive UTC datetimes in and out; one read of the
        calendar for all requests."""
        self.ensure_one()
        if not requests:
            return []
        first = min(start for start, _hours, _holds in requests)
        last = max(
            max([start] + [stop for _begin, stop in holds])
            for start, _hours, holds in requests
        )
        longest = max(hours for _start, hours, _holds in requests)
        # Enough calendar days for the longest target, doubled until every
        # deadline falls inside (leaves can push them further).
        days = 7 + 2 * math.ceil(longest / (self.hours_per_day or 8))
        results = [None] * len(requests)
        todo = range(len(requests))
        while todo:
            if days > MAX_PLANNING_DAYS:
                raise UserError(
                    self.env._(
                        "The working hours %s have no working time left to "
                        "count an SLA target; add attendances to them.",
                        self.display_name,
                    )
                )
            work = _Work(self._sla_work_intervals(first, last + timedelta(days=days)))
            for index in todo:
                results[index] = work.add_hours(*requests[index])
            todo = [index for index in todo if results[index] is None]
            days *= 2
        return results

    def _sla_count_hours(self, requests):
        """Working hours of ``requests``, a list of ``(start, stop, holds)``,
        between ``start`` and ``stop`` without the ``holds``; one read of
        the calendar for all requests."""
        self.ensure_one()
        if not requests:
            return []
        work = _Work(
            self._sla_work_intervals(
                min(start for start, _stop, _holds in requests),
                max(stop for _start, stop, _holds in requests),
            )
        )
        return [work.count_hours(*request) for request in requests]


def _monday(moment):
    """The Monday at midnight starting the week of a naive datetime."""
    return datetime.combine(moment.date() - timedelta(days=moment.weekday()), time())


def _naive_utc(moment):
    return moment.astimezone(utc).replace(tzinfo=None)


def _midnight(moment):
    """An attendance to 24:00 ends at midnight, not at the last
    microsecond of the day (where Odoo ends it)."""
    if moment.time() == time.max:
        return moment + timedelta(microseconds=1)
    return moment


def _utc_stretches(tz, begin, end):
    """The naive UTC stretches whose local time in ``tz`` lies from the
    naive local time ``begin`` to ``end``: one, or one per offset where the
    offset changes in between (a skipped local hour is no time, a repeated
    one counts twice)."""
    low, high = begin - timedelta(days=1), end + timedelta(days=1)
    changes = getattr(tz, "_utc_transition_times", [])
    bounds = [
        low,
        *changes[bisect_right(changes, low) : bisect_left(changes, high)],
        high,
    ]
    stretches = []
    for piece_start, piece_stop in zip(bounds, bounds[1:], strict=False):
        offset = utc.localize(piece_start).astimezone(tz).utcoffset()
        first = max(begin - offset, piece_start)
        last = min(end - offset, piece_stop)
        if first < last:
            stretches.append((first, last))
    return stretches


class _Work:
    """Walks the working intervals of a calendar (naive UTC triples)."""

    def __init__(self, intervals):
        self.intervals = intervals
        self.ends = [stop for _start, stop, _meta in intervals]

    def _from(self, start, holds):
        """The working intervals ending after ``start``, minus the holds."""
        first = bisect_right(self.ends, start)
        if not holds or first == len(self.intervals):
            return islice(self.intervals, first, None)
        no_work = self.intervals[first][2].browse()
        return Intervals(self.intervals[first:]) - Intervals(
            [(begin, stop, no_work) for begin, stop in holds]
        )

    def add_hours(self, start, hours, holds):
        remaining = timedelta(hours=hours)
        for begin, stop, _meta in self._from(start, holds):
            counted_from = max(begin, start)
            if stop - counted_from >= remaining:
                deadline = counted_from + remaining
                # to the nearest second, as datetimes are stored
                return (deadline + timedelta(microseconds=500000)).replace(
                    microsecond=0
                )
            remaining -= stop - counted_from
        return None

    def count_hours(self, start, stop, holds):
        total = timedelta()
        for begin, end, _meta in self._from(start, holds):
            if begin >= stop:
                break
            total += min(end, stop) - max(begin, start)
        return total.total_seconds() / 3600
