"""Resilience of the billing job at scale: many due contracts billed by the
daily cron (batches, each posted and committed), one contract failing in
the middle of the run; then the same work shared by two worker processes,
on a copy of the same database."""

import json
import os
import signal
import subprocess
import sys
import time

import psycopg2
from billing import FEE, OVERAGE_HOURS, RATE, build_due_contracts
from harness import Row, commit_and_analyze, copy_database, environment, say

from odoo import fields

MAX_CALLS = 500


def build(env, count):
    """``count`` due contracts of a company that posts automatically; the
    middle one's fee product has a deprecated income account, which the
    accounting refuses. Returns that contract's id."""
    env.company.service_auto_post = True
    contracts = build_due_contracts(env, count, tag="resilience")
    failing = contracts.sorted("partner_id")[count // 2]
    income = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", env.company.id)],
        limit=1,
    )
    deprecated = income.copy({"code": f"{income.code}9", "deprecated": True})
    failing.product_id = env["product.product"].create(
        {
            "name": "Fee on a closed account",
            "type": "service",
            "property_account_income_id": deprecated.id,
        }
    )
    return failing.id


def worker(args):
    """One cron worker: calls the billing job the way the scheduler does
    (again while work remains; again after a failure) until the day's run
    is posted or a call finds nothing left to invoice; prints its start and
    end times, in JSON."""
    with environment(args.db) as env:
        Run = env["service.billing.run"]
        pending = [
            ("auto_post", "=", True),
            ("date", "=", fields.Date.context_today(Run)),
            ("state", "!=", "posted"),
        ]
        start, failures, calls = time.time(), 0, 0
        while calls < MAX_CALLS:
            calls += 1
            invoices = count_invoices(env)
            try:
                Run._cron_bill()
                env.cr.commit()
            except psycopg2.errors.SerializationFailure:
                env.cr.rollback()
                failures += 1
                continue
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
                # The connection dropped under the worker (the database
                # restarted, the backend was terminated): the scheduler's
                # next call would start again on a new one.
                report = {"start": start, "end": time.time(), "lost": str(error)}
                print(json.dumps(report | {"failures": failures, "calls": calls}))
                sys.stdout.flush()
                os._exit(0)  # the cursor cannot even be closed any more
            if not Run.search_count(pending) or count_invoices(env) == invoices:
                break
        report = {"start": start, "end": time.time(), "failures": failures}
        print(json.dumps(report | {"calls": calls}))


def count_invoices(env):
    env.cr.execute("SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'")
    return env.cr.fetchone()[0]


def run_workers(args, db, count, disrupt=None):
    """Wall time of ``count`` worker processes billing ``db`` together, from
    the first start to the last end (Odoo's start-up left out), and the
    calls that failed on concurrent updates. ``disrupt(processes)``, if
    given, runs while they work; a worker it kills reports nothing."""
    command = [
        sys.executable,
        sys.argv[0],
        "--config",
        args.config,
        "--db",
        db,
        "--vanilla-db",
        args.vanilla_db,
        "--worker",
    ]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        for _n in range(count)
    ]
    if disrupt:
        disrupt(processes)
    reports = []
    for process in processes:
        out, _err = process.communicate()
        if process.returncode == -signal.SIGKILL:
            continue
        if process.returncode:
            raise RuntimeError(f"a billing worker failed (exit {process.returncode})")
        reports.append(json.loads(out.strip().splitlines()[-1]))
        say("Billing worker: %s", reports[-1])
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return wall, sum(r["failures"] for r in reports)


def outcome(db, failing_id):
    """(invoices posted, items invoiced twice, whether the failing contract
    stayed unbilled with its failure on its chatter)."""
    with environment(db) as env:
        cr = env.cr
        cr.execute(
            "SELECT COUNT(*) FROM account_move "
            "WHERE move_type = 'out_invoice' AND state = 'posted'"
        )
        posted = cr.fetchone()[0]
        cr.execute(
            """
            SELECT COUNT(*) FROM (
                SELECT service_period_id FROM account_move_line
                 WHERE service_period_id IS NOT NULL AND display_type = 'product'
                 GROUP BY service_period_id, product_id HAVING COUNT(*) > 1
            ) AS twice
            """
        )
        twice = cr.fetchone()[0]
        cr.execute(
            """
            SELECT NOT EXISTS (
                       SELECT 1 FROM service_contract_period
                        WHERE contract_id = %(id)s AND invoice_id IS NOT NULL)
               AND EXISTS (
                       SELECT 1 FROM mail_message
                        WHERE model = 'service.contract' AND res_id = %(id)s
                          AND body::text ILIKE '%%failed%%')
            """,
            {"id": failing_id},
        )
        reported = cr.fetchone()[0]
        cr.execute(
            "SELECT COALESCE(SUM(amount_untaxed), 0) FROM account_move "
            "WHERE move_type = 'out_invoice' AND state = 'posted'"
        )
        total = float(cr.fetchone()[0])
    return posted, twice, reported, total


def run(args, table):
    count = args.resilience_contracts
    one_db = copy_database(args.db, "resilience")
    with environment(one_db) as env:
        say("Resilience: %s due contracts, one failing", count)
        failing_id = build(env, count)
        commit_and_analyze(env)
    two_db = copy_database(one_db, "two")

    say("Resilience: one cron worker")
    one_wall, one_failures = run_workers(args, one_db, 1)
    say("Resilience: two cron workers")
    two_wall, two_failures = run_workers(args, two_db, 2)

    expected = count - 1
    what = f"Billing cron, {count:,} due contracts, one failing"
    for label, db, failures in (
        ("one worker", one_db, one_failures),
        ("two workers", two_db, two_failures),
    ):
        posted, twice, reported, total = outcome(db, failing_id)
        table.add(
            Row(
                f"{what}, {label}: invoices posted (the failing one reported: "
                f"{'yes' if reported else 'no'})",
                posted,
                "",
                target=f"{expected:,}, none twice",
                passed=posted == expected and not twice and reported,
            )
        )
        if twice or failures or total != expected * (FEE + OVERAGE_HOURS * RATE):
            table.note(
                f"Billing cron, {label}: {twice} items invoiced twice, {failures} "
                f"calls failed on concurrent updates, {total:,.2f} invoiced."
            )
    table.add(
        Row(
            f"{what}: time per invoice, one worker (draft, post, queue sending)",
            1000 * one_wall / expected,
            "ms",
        )
    )
    table.add(
        Row(
            f"{what}: wall time, two workers",
            two_wall,
            "s",
            one_wall,
            "one worker",
            "<= 0.65x",
            two_wall <= 0.65 * one_wall,
        )
    )
