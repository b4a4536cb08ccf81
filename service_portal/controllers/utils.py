"""Checks of what portal requests carry: ids and dates from forms and URLs
are refused with a 4xx before they reach the database."""

from datetime import datetime

from werkzeug.exceptions import BadRequest, NotFound

from odoo.tools import DEFAULT_SERVER_DATE_FORMAT, DEFAULT_SERVER_DATETIME_FORMAT

# Record ids are PostgreSQL integers: no record has a larger one.
MAX_ID = 2**31 - 1


def to_id(value):
    """An id from a form or request parameter; 0 when empty; 400 when it is
    no id at all (garbage, negative, beyond any id)."""
    if not value:
        return 0
    try:
        record_id = int(value)
    except (TypeError, ValueError) as error:
        raise BadRequest() from error
    if not 0 < record_id <= MAX_ID:
        raise BadRequest()
    return record_id


def check_path_id(record_id):
    """An id from the URL path (an ``<int:>`` converter, never negative):
    404 beyond any id, as for an id that names no record."""
    if record_id > MAX_ID:
        raise NotFound()
    return record_id


def check_choices(*pairs):
    """400 unless each ``(value, options)`` pair has an empty value or one
    of the options offered (sort keys, filters, groupings, search fields)."""
    if any(value and value not in options for value, options in pairs):
        raise BadRequest()


def check_datetime(value):
    """A whole date (YYYY-MM-DD), or date and time, from a request
    parameter; 400 for anything else (a bare number would pass Odoo's own
    parsing as a year, and fail in the database)."""
    if value:
        for date_format in (DEFAULT_SERVER_DATETIME_FORMAT, DEFAULT_SERVER_DATE_FORMAT):
            try:
                datetime.strptime(value, date_format)
            except (TypeError, ValueError):
                continue
            return value
        raise BadRequest()
    return value
