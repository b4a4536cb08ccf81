"""Portal under concurrent load: Odoo served as shops run it (``--workers=2``,
on 127.0.0.1 only), 20 portal users for 60 s (locust, headless) mixing the
contract page, the ticket list, a ticket page and a ticket submission;
against the same load on plain ``helpdesk_mgmt``'s portal (ticket list,
ticket page, submission) in the database without the product. Two rounds
of each, alternating; the figures are those of each one's round of best
p95."""

import csv
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import Row, commit_and_analyze, copy_database, environment, say
from portal import portal_client
from world import build_contracts, build_helpdesk, build_portal_users, build_sla_policy

HERE = pathlib.Path(__file__).parent
USERS = 20
TICKETS = 50
ROUNDS = 2
# Seconds the server may take to answer its first request (a worker loads
# the registry then; on a busy machine that takes minutes).
STARTUP = 600


def build(env, product):
    """USERS customers, each with a portal user (a contact), TICKETS tickets
    (half of them closed) and, with the product, a contract. Returns the
    accounts of the load test, without their sessions."""
    world = build_helpdesk(env, USERS, contacts_per_customer=1, tag="load")
    # The dispatcher is the contracts' account manager, and the tickets are
    # theirs in both databases: the ticket pages show the same contact card.
    dispatcher = world["dispatcher"]
    contracts = (
        build_contracts(
            env,
            world["companies"],
            world["team"],
            build_sla_policy(env),
            user_id=dispatcher.id,
        )
        if product
        else None
    )
    users = build_portal_users(env, world["contacts"], "load")
    tickets = env["helpdesk.ticket"].create(
        [
            {
                "name": f"Request {index}",
                "description": "<p>The printer jams.</p>",
                "partner_id": contact.id,
                "team_id": world["team"].id,
                "category_id": world["categories"][0].id,
                "user_id": dispatcher.id,
            }
            for contact in world["contacts"]
            for index in range(TICKETS)
        ]
    )
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    tickets[::2].write({"stage_id": done.id})
    return [
        {
            "user": user,
            "tickets": tickets.filtered(
                lambda t, u=user: t.partner_id == u.partner_id
            ).ids,
            "contract": contracts[index].id if product else None,
            "category": world["categories"][0].id,
        }
        for index, user in enumerate(users)
    ]


def serve(args, db, log):
    """Odoo with two worker processes on ``db``, once it answers."""
    port = args.port
    # Odoo's own script, not ``python -m odoo``: the multi-process server
    # starts its websocket process again from the script it was started by.
    script = pathlib.Path(sys.executable).with_name("odoo")
    command = [
        sys.executable,
        str(script if script.exists() else shutil.which("odoo")),
        "-c",
        args.config,
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--workers=2",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={args.gevent_port}",
        "--limit-time-real=300",
        "--log-level=warn",
    ]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + STARTUP
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Odoo server stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/web/login", timeout=5
            ):
                return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise RuntimeError(f"the Odoo server did not answer within {STARTUP} s")


def warm_up(port, accounts):
    """Each page a few times, so that both workers have loaded the
    templates and the caches before the measure."""
    account = accounts[0]
    urls = ["/my/tickets", f"/my/ticket/{account['tickets'][0]}", "/new/ticket"]
    if account["contract"]:
        urls.append(f"/my/contracts/{account['contract']}")
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"session_id={account['session']}")]
    for _round in range(4):
        for url in urls:
            opener.open(f"http://127.0.0.1:{port}{url}", timeout=120).read()


def load(args, db, accounts, workdir, label):
    """Runs the load test against ``db``: locust's aggregated figures and
    per-page p95 (ms)."""
    users_file = workdir / f"{label}-users.json"
    users_file.write_text(json.dumps(accounts))
    with open(workdir / f"{label}-server.log", "w") as log:
        server = serve(args, db, log)
        try:
            warm_up(args.port, accounts)
            say("Portal load: %s users for %s s on %s", USERS, args.load_seconds, label)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(HERE / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(USERS),
                    "--run-time",
                    f"{args.load_seconds}s",
                    "--stop-timeout",
                    "30",
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(workdir / label),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=dict(os.environ, BENCH_PORTAL_USERS=str(users_file)),
                check=False,
                timeout=args.load_seconds + 120,
                stdout=subprocess.DEVNULL,
            )
        finally:
            server.terminate()
            server.wait(timeout=60)
    with open(workdir / f"{label}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows.pop("Aggregated")
    figures = {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        **{p: float(total[f"{p}%"]) for p in ("50", "95", "99")},
    }
    pages = {name: float(row["95%"]) for name, row in rows.items()}
    return figures, pages


def sessions(db, accounts):
    """The accounts with a logged-in session each (the server's session
    store is the one of this process: same configuration)."""
    with environment(db) as env:
        for account in accounts:
            user = account.pop("user").with_env(env)
            client = portal_client(env, user)
            account["session"] = client.get_cookie("session_id").value
    return accounts


def run(args, table):
    db = copy_database(args.db, "load")
    with environment(db) as env, environment(args.vanilla_db) as vanilla:
        say("Portal load: %s portal users with %s tickets each", USERS, TICKETS)
        ours = build(env, product=True)
        plain = build(vanilla, product=False)
        commit_and_analyze(env)
        commit_and_analyze(vanilla)
    ours, plain = sessions(db, ours), sessions(args.vanilla_db, plain)
    # The two loads alternate, and each keeps its round of best p95: on a
    # shared machine a minute may be slower than the next for both.
    runs = {"product": [], "reference": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        for index in range(ROUNDS):
            runs["product"].append(load(args, db, ours, workdir, f"product{index}"))
            runs["reference"].append(
                load(args, args.vanilla_db, plain, workdir, f"reference{index}")
            )
    requests = sum(figures["requests"] for figures, _pages in runs["product"])
    errors = sum(figures["errors"] for figures, _pages in runs["product"])
    reference_errors = sum(figures["errors"] for figures, _p in runs["reference"])
    (product, product_pages), (reference, reference_pages) = (
        min(rounds, key=lambda run: run[0]["95"]) for rounds in runs.values()
    )

    what = f"Portal, {USERS} users for {args.load_seconds} s, --workers=2"
    table.add(
        Row(
            f"{what}: requests per second",
            product["rps"],
            "req/s",
            reference["rps"],
            "helpdesk_mgmt portal",
        )
    )
    for p in ("50", "99"):
        table.add(
            Row(
                f"{what}: p{p} latency",
                product[p],
                "ms",
                reference[p],
                "helpdesk_mgmt portal",
            )
        )
    table.add(
        Row(
            f"{what}: p95 latency",
            product["95"],
            "ms",
            reference["95"],
            "helpdesk_mgmt portal",
            "<= 1.5x",
            product["95"] <= 1.5 * reference["95"],
        )
    )
    table.add(
        Row(
            f"{what}: errors of {requests:,} requests ({ROUNDS} rounds)",
            errors,
            "",
            reference_errors,
            "helpdesk_mgmt portal",
            "0",
            errors == 0,
        )
    )
    table.note(
        "Portal load, p95 per page (ms), product: "
        + ", ".join(f"{name} {value:,.0f}" for name, value in product_pages.items())
        + "; reference: "
        + ", ".join(f"{name} {value:,.0f}" for name, value in reference_pages.items())
        + "."
    )
