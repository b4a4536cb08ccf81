"""The anchored calendar every schedule of the product follows.

The n-th date of a schedule is its anchor + n x its step, never the previous
date + one step: on the month's last day where the anchor's day does not
exist (from 31 January monthly: 31 Jan, 28 or 29 Feb, 31 Mar, 30 Apr, ...),
so that month ends never drift. Service periods, maintenance plans and
contract renewals all count this way.
"""

from dateutil.relativedelta import relativedelta

ONE_DAY = relativedelta(days=1)


def anchored_date(anchor, index, months=0, days=0):
    """The ``index``-th date of the schedule of ``months`` months or ``days``
    days anchored on ``anchor`` (index 0 is the anchor itself)."""
    return anchor + relativedelta(months=index * months, days=index * days)


def first_index_after(anchor, day, months=0, days=0):
    """The smallest index whose date falls strictly after ``day``."""
    if day < anchor:
        return 0
    if months:
        index = ((day.year - anchor.year) * 12 + day.month - anchor.month) // months
    else:
        index = (day - anchor).days // days
    while anchored_date(anchor, index, months, days) <= day:
        index += 1
    return index


def next_anchored_date(anchor, day, months=0, days=0):
    """The first date of the schedule strictly after ``day``."""
    return anchored_date(
        anchor, first_index_after(anchor, day, months, days), months, days
    )


def anchored_periods(anchor, start, until, months, end_limit=None):
    """``(start, end)`` of the periods of ``months`` months anchored on
    ``anchor``, from the one beginning on ``start`` while they begin on or
    before ``until``; each ends the day before the next begins, or on
    ``end_limit`` (the contract's end) where that comes first."""
    periods = []
    while start <= until:
        end = next_anchored_date(anchor, start, months) - ONE_DAY
        if end_limit:
            end = min(end, end_limit)
        periods.append((start, end))
        start = end + ONE_DAY
    return periods


def anchored_term_end(anchor, end, months):
    """The new end of a term ending on ``end`` extended by ``months``: the
    day before the anchored date ``months`` later (a contract from 31 January
    ending on 29 April and renewed for three months ends on 30 July, so that
    its next term begins on 31 July); a term that did not end on the anchor's
    grid is extended from the day after its end."""
    next_start = end + ONE_DAY
    index = first_index_after(anchor, end, months=1)
    if anchored_date(anchor, index, months=1) == next_start:
        return anchored_date(anchor, index + months, months=1) - ONE_DAY
    return next_start + relativedelta(months=months) - ONE_DAY
