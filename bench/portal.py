"""Portal contract page: ``/my/contracts/<id>`` as the customer's portal
user, for contracts with 10, 200 and 1,000 tickets (half of them closed,
every one with time logged), served in-process by Odoo's WSGI application.
The queries must not grow with the tickets; the time grows only with the
rows shown, up to the page's limits (50 open and 10 closed tickets)."""

import threading
import time

from harness import Row, commit_and_analyze, copy_database, environment, say
from werkzeug.test import Client
from world import build_contracts, build_helpdesk, build_portal_users, build_sla_policy

import odoo
from odoo import Command
from odoo.service import security

SIZES = (10, 200, 1000)
ROUNDS = 5


def build(env):
    """A customer for each of SIZES, with a contract, a portal user and as
    many tickets
    with a quarter of an hour logged; every other ticket closed."""
    world = build_helpdesk(env, len(SIZES), contacts_per_customer=1, tag="portal")
    technician = world["dispatcher"]
    technician.groups_id = [
        Command.link(env.ref("hr_timesheet.group_hr_timesheet_user").id)
    ]
    env["hr.employee"].create({"name": technician.name, "user_id": technician.id})
    project = env["project.project"].create({"name": "Portal Support"})
    world["team"].write({"allow_timesheet": True, "default_project_id": project.id})
    contracts = build_contracts(
        env, world["companies"], world["team"], build_sla_policy(env)
    )
    users = build_portal_users(env, world["contacts"], "portal")
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    for contact, size in zip(world["contacts"], SIZES, strict=True):
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Request {index}",
                    "description": "<p>Request</p>",
                    "partner_id": contact.id,
                    "team_id": world["team"].id,
                    "project_id": project.id,
                }
                for index in range(size)
            ]
        )
        env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "ticket_id": ticket.id,
                    "project_id": project.id,
                    "unit_amount": 0.25,
                    "user_id": technician.id,
                }
                for ticket in tickets
            ]
        )
        tickets[::2].write({"stage_id": done.id})
    return list(zip(users, contracts, strict=True))


def portal_client(env, user):
    """A browser session of ``user``, logged in."""
    root = odoo.http.root
    session = root.session_store.new()
    session.update(odoo.http.get_default_session(), db=env.cr.dbname)
    session.uid = user.id
    session.login = user.login
    session.context = dict(env["res.users"].with_user(user).context_get())
    session.session_token = security.compute_session_token(session, env)
    root.session_store.save(session)
    client = Client(root)
    client.set_cookie("session_id", session.sid)
    return client


def fetch(client, url):
    """(seconds, queries) of one request."""
    thread = threading.current_thread()
    thread.query_count = 0
    start = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return seconds, thread.query_count


def run(args, table):
    db = copy_database(args.db, "portal")
    odoo.tools.config["db_name"] = db
    odoo.tools.config["dbfilter"] = f"^{db}$"
    with environment(db) as env:
        say("Portal: contract pages with %s tickets", ", ".join(map(str, SIZES)))
        pages = build(env)
        commit_and_analyze(env)
        clients = [
            (portal_client(env, user), f"/my/contracts/{contract.id}")
            for user, contract in pages
        ]
    for client, url in clients:
        fetch(client, url)  # compiles the templates, fills the caches
    best = {}
    for _round in range(ROUNDS):
        for size, (client, url) in zip(SIZES, clients, strict=True):
            seconds, queries = fetch(client, url)
            if size not in best or seconds < best[size][0]:
                best[size] = (seconds, queries)

    what = "Portal contract page"
    small, medium, large = SIZES
    for size in (medium, large):
        table.add(
            Row(
                f"{what}: queries, {size:,} tickets",
                best[size][1],
                "queries",
                best[small][1],
                f"{small} tickets",
                "same",
                best[size][1] <= best[small][1],
            )
        )
    table.add(
        Row(
            f"{what}: time, {medium} tickets (60 rows shown, not 10)",
            1000 * best[medium][0],
            "ms",
            1000 * best[small][0],
            f"{small} tickets",
        )
    )
    table.add(
        Row(
            f"{what}: time, {large:,} tickets",
            1000 * best[large][0],
            "ms",
            1000 * best[medium][0],
            f"{medium} tickets",
            "<= 1.25x",
            best[large][0] <= 1.25 * best[medium][0],
        )
    )
