"""Checks of what portal requests carry: ids and dates from forms and URLs
are refused with a 4xx before they reach the database."""

from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields

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
    """A date (and time) from a request parameter; 400 when it is none."""
    if value:
        try:
            fields.Datetime.to_datetime(value)
        except (TypeError, ValueError, OverflowError) as error:
            raise BadRequest() from error
    return value
