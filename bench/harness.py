"""Measuring tools shared by the benchmarks: Odoo start-up, environments,
time and query counts, side-by-side comparisons and the result table."""

import contextlib
import logging
import os
import shutil
import time
from dataclasses import dataclass

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

_logger = logging.getLogger("bench")


def start_odoo(config_file):
    odoo.tools.config.parse_config(
        ["-c", config_file, "--log-level=warn"], setup_logging=True
    )
    logging.getLogger("bench").setLevel(logging.INFO)


@contextlib.contextmanager
def environment(db):
    """A superuser environment on ``db``; commits when the block ends
    without error (like Odoo's own cursors)."""
    with Registry(db).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def copy_database(source, name):
    """A copy of the product database for one section, so that the data of
    one section never weighs on another's figures. Returns its name."""
    target = f"{source}_{name}"
    odoo.sql_db.close_db(source)
    with contextlib.closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(target),
                SQL.identifier(source),
            )
        )
    filestore = odoo.tools.config.filestore(source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, odoo.tools.config.filestore(target))
    return target


def say(message, *args):
    _logger.info(message, *args)


def commit_and_analyze(env):
    """Bulk data changes PostgreSQL's statistics a lot: without ANALYZE the
    planner keeps the plans of an empty database."""
    env.flush_all()
    env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.commit()


@dataclass
class Measure:
    seconds: float
    queries: int
    outcome: object = None

    def per(self, count):
        """(ms, queries) per unit of work."""
        return 1000.0 * self.seconds / count, self.queries / count


def measure(env, function):
    """Runs ``function()``, with every pending write flushed to the database
    before and after, and returns its wall time and SQL query count."""
    env.flush_all()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    function()
    env.flush_all()
    return Measure(time.perf_counter() - start, cr.sql_log_count - queries)


def best_of(rounds, contenders):
    """Runs each contender ``rounds`` times, alternating them so that a
    busy moment of the machine hits all alike, and keeps the fastest run of
    each. ``contenders``: ``{name: function returning a Measure}``."""
    best = {}
    for _round in range(rounds):
        for name, function in contenders.items():
            result = function()
            if name not in best or result.seconds < best[name].seconds:
                best[name] = result
    return best


@dataclass
class Row:
    name: str
    value: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    target: str = ""
    passed: bool | None = None

    @property
    def ratio(self):
        if self.reference:
            return self.value / self.reference
        return None


def fmt(value):
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


class Table:
    """The result table, printed in Markdown (it goes to the README)."""

    header = ("Measurement", "Product", "Reference", "Ratio", "Target", "")

    def __init__(self):
        self.rows = []
        self.notes = []

    def add(self, row):
        self.rows.append(row)
        mark = {True: "ok", False: "MISSED", None: ""}[row.passed]
        say(
            "%s: %s %s%s %s",
            row.name,
            fmt(row.value),
            row.unit,
            f" (reference {fmt(row.reference)}, {fmt(row.ratio)}x)"
            if row.reference
            else "",
            mark,
        )
        return row

    def note(self, text):
        self.notes.append(text)
        say(text)

    def lines(self):
        cells = [self.header]
        for row in self.rows:
            reference = (
                f"{fmt(row.reference)} {row.unit} ({row.reference_name})"
                if row.reference is not None
                else ""
            )
            ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
            mark = {True: "ok", False: "**missed**", None: ""}[row.passed]
            cells.append(
                (
                    row.name,
                    f"{fmt(row.value)} {row.unit}",
                    reference,
                    ratio,
                    row.target,
                    mark,
                )
            )
        widths = [max(len(c[i]) for c in cells) for i in range(len(self.header))]
        out = []
        for index, line in enumerate(cells):
            out.append(
                "| "
                + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
                + " |"
            )
            if index == 0:
                out.append("| " + " | ".join("-" * w for w in widths) + " |")
        out += [""] + [f"- {text}" for text in self.notes]
        return out


def insert_without_indexes(env, tables, query):
    """Runs ``query`` (a bulk INSERT into the tables named ``tables``) with
    their secondary indexes dropped, then builds them again: building an
    index once is far faster than updating it for each of a million rows."""
    env.cr.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.tablename = ANY(%s) AND NOT EXISTS (
               SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(tables)],
    )
    indexes = env.cr.fetchall()
    for name, _definition in indexes:
        env.cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    env.cr.execute(query)
    inserted = env.cr.rowcount
    env.cr.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        env.cr.execute(definition)
    return inserted
