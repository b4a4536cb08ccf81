"""Ticket intake: tickets created in one ``create``, with coverage, contract
picking and SLA clocks, against the same batch in a database with the same
Odoo modules except ours (plain ``helpdesk_mgmt``)."""

from harness import (
    Row,
    best_of,
    commit_and_analyze,
    copy_database,
    environment,
    measure,
    say,
)
from world import build_contracts, build_helpdesk, build_sla_policy

from odoo import Command

CUSTOMERS = 200
ROUNDS = 5


def ticket_values(world, count):
    """The same requests in either database: contacts of every customer,
    every category and priority."""
    contacts, categories = world["contacts"], world["categories"]
    return [
        {
            "name": f"Request {index}",
            "description": "<p>The printer on the second floor jams.</p>",
            "partner_id": contacts[index % len(contacts)].id,
            "category_id": categories[index % len(categories)].id,
            "team_id": world["team"].id,
            "priority": str(index % 4),
        }
        for index in range(count)
    ]


def timed_create(env, world, count):
    """A function creating ``count`` tickets as the dispatcher, measured and
    rolled back (every round starts from the same database)."""
    tickets = env["helpdesk.ticket"].with_user(world["dispatcher"])

    def run():
        vals_list = ticket_values(world, count)
        result = measure(env, lambda: tickets.create(vals_list))
        env.cr.rollback()
        return result

    return run


def run(args, table):
    count = args.tickets
    db = copy_database(args.db, "intake")
    with environment(db) as env, environment(args.vanilla_db) as vanilla:
        say("Intake: building %s customers in both databases", CUSTOMERS)
        ours = build_helpdesk(env, CUSTOMERS, tag="intake")
        plain = build_helpdesk(vanilla, CUSTOMERS, tag="intake")
        policy = build_sla_policy(env)
        # Nine customers in ten have a contract; a quarter of those have a
        # second one for one category only, so that tickets have to choose.
        covered = ours["companies"][: CUSTOMERS * 9 // 10]
        build_contracts(env, covered, ours["team"], policy)
        build_contracts(
            env,
            covered[::4],
            ours["team"],
            policy,
            name="Network care",
            sequence=5,
            category_ids=[Command.set(ours["categories"][1:2].ids)],
        )
        commit_and_analyze(env)
        commit_and_analyze(vanilla)

        contenders = {
            "ours": timed_create(env, ours, count),
            "vanilla": timed_create(vanilla, plain, count),
        }
        best_of(1, contenders)  # warm-up: caches, prepared plans
        best = best_of(ROUNDS, contenders)

    ms, queries = best["ours"].per(count)
    ref_ms, ref_queries = best["vanilla"].per(count)
    what = f"Ticket intake, {count:,} tickets in one create"
    table.add(
        Row(
            f"{what}: time per ticket",
            ms,
            "ms",
            ref_ms,
            "helpdesk_mgmt",
            "<= 1.15x",
            ms <= 1.15 * ref_ms,
        )
    )
    table.add(
        Row(
            f"{what}: queries per ticket",
            queries,
            "queries",
            ref_queries,
            "helpdesk_mgmt",
            "<= 11",
            queries <= 11,
        )
    )
