"""The billing job disrupted: two worker processes bill the due contracts
of the resilience section; in the middle of a batch (invoices made, not
committed) one worker is killed with SIGKILL, or, on another copy, its
database connection is terminated (``pg_terminate_backend``); then the job
runs again, as the scheduler would, until all is billed. Counted: invoices
expected, made, items invoiced twice, customers missing, drafts left, and
how long the disrupted batch's locks outlived it."""

import contextlib
import os
import signal
import time

from billing import FEE, OVERAGE_HOURS, RATE
from harness import Row, commit_and_analyze, copy_database, environment, say
from resilience import build, outcome, run_workers

import odoo

# Wait this long inside a batch before striking, so that it has made
# invoices.
INSIDE_BATCH = 1.0
TIMEOUT = 900


@contextlib.contextmanager
def monitor(db):
    """An autocommit cursor on ``db``, apart from the workers."""
    with contextlib.closing(odoo.sql_db.db_connect(db).cursor()) as cr:
        cr._cnx.autocommit = True
        yield cr


def backend_in_batch(cr, pid):
    """(backend pid, transaction start) of worker process ``pid`` when it is
    inside a batch: its transaction has written invoices not committed."""
    cr.execute(
        """
        SELECT a.pid, a.xact_start FROM pg_stat_activity a
          JOIN pg_locks l ON l.pid = a.pid
         WHERE a.application_name = %s
           AND l.relation = 'account_move'::regclass
           AND l.mode = 'RowExclusiveLock'
         LIMIT 1
        """,
        [f"odoo-{pid}"],
    )
    return cr.fetchone()


def posted(cr):
    cr.execute(
        "SELECT COUNT(*) FROM account_move "
        "WHERE move_type = 'out_invoice' AND state = 'posted'"
    )
    return cr.fetchone()[0]


def striker(db, how, report):
    """``disrupt`` for ``run_workers``: once invoices are posted, waits for
    a worker inside a batch and kills it (``how`` "kill") or terminates its
    database connection ("terminate"); then measures how long its locks
    last. Fills ``report``."""

    def disrupt(processes):
        with monitor(db) as cr:
            deadline = time.time() + TIMEOUT
            while time.time() < deadline:
                if all(p.poll() is not None for p in processes):
                    report["missed"] = True
                    return
                for process in processes:
                    found = posted(cr) and backend_in_batch(cr, process.pid)
                    if not found:
                        continue
                    time.sleep(INSIDE_BATCH)
                    if backend_in_batch(cr, process.pid) != found:
                        continue
                    backend = found[0]
                    struck = time.time()
                    if how == "kill":
                        os.kill(process.pid, signal.SIGKILL)
                    else:
                        cr.execute("SELECT pg_terminate_backend(%s)", [backend])
                    report["locks_released"] = locks_gone(cr, backend) - struck
                    say(
                        "Disruption (%s): locks released in %.2f s",
                        how,
                        report["locks_released"],
                    )
                    return
                time.sleep(0.05)
            report["missed"] = True

    return disrupt


def locks_gone(cr, backend):
    """The moment the backend ``backend`` holds no lock any more."""
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        cr.execute("SELECT COUNT(*) FROM pg_locks WHERE pid = %s", [backend])
        if not cr.fetchone()[0]:
            return time.time()
        time.sleep(0.01)
    raise RuntimeError(f"backend {backend} still holds locks after {TIMEOUT} s")


def figures(db, failing_id, expected):
    """(made, twice, missing, drafts) after the runs."""
    made, twice, _reported, _total = outcome(db, failing_id)
    with environment(db) as env:
        env.cr.execute(
            """
            SELECT COUNT(*) FROM service_contract c
             WHERE c.id != %s AND NOT EXISTS (
                   SELECT 1 FROM account_move m
                    WHERE m.partner_id = c.partner_id AND m.state = 'posted'
                      AND m.move_type = 'out_invoice')
            """,
            [failing_id],
        )
        missing = env.cr.fetchone()[0]
        env.cr.execute(
            "SELECT COUNT(*) FROM account_move "
            "WHERE move_type = 'out_invoice' AND state = 'draft'"
        )
        drafts = env.cr.fetchone()[0]
    return made, twice, missing, drafts


def run(args, table):
    count = args.resilience_contracts
    base = copy_database(args.db, "disrupt")
    with environment(base) as env:
        say("Disruption: %s due contracts, one failing", count)
        failing_id = build(env, count)
        commit_and_analyze(env)
    expected = count - 1
    for how, label in (
        ("kill", "a worker killed (SIGKILL) mid-batch"),
        ("terminate", "a worker's connection terminated mid-batch"),
    ):
        db = copy_database(base, how)
        report = {}
        say("Disruption: two workers, %s", label)
        run_workers(args, db, 2, striker(db, how, report))
        say("Disruption: the job again")
        run_workers(args, db, 1)
        made, twice, missing, drafts = figures(db, failing_id, expected)
        _made, _twice, _reported, total = outcome(db, failing_id)
        passed = (
            not report.get("missed")
            and made == expected
            and not twice
            and not missing
            and not drafts
            and total == expected * (FEE + OVERAGE_HOURS * RATE)
        )
        table.add(
            Row(
                f"Billing cron, {count:,} due contracts, two workers, {label}, "
                f"then run again: invoices made (expected {expected:,}; "
                f"{twice} items invoiced twice, {missing} customers missing, "
                f"{drafts} drafts left)",
                made,
                "",
                target=f"{expected:,}, none twice, none missing",
                passed=passed,
            )
        )
        if "locks_released" in report:
            table.add(
                Row(
                    f"Billing cron, {label}: its batch's locks released after",
                    report["locks_released"],
                    "s",
                )
            )
        else:
            table.note(f"Disruption ({how}): no worker was found inside a batch.")
