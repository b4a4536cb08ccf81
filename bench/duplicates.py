"""Duplicate lookup at scale: the likely duplicates of a new ticket
(``duplicate_candidate_ids``, pg_trgm) among many tickets of many customers,
copied by SQL from one made through the ORM; then 200 new tickets made
through the ORM, each one's creation and lookup timed apart."""

import random
import statistics
import time

from harness import (
    Row,
    commit_and_analyze,
    copy_database,
    environment,
    insert_without_indexes,
    say,
)
from mail_intake import SUBJECTS
from world import build_helpdesk

from odoo.tools import SQL

CUSTOMERS = 10_000
LOOKUPS = 200
# Tickets spread over the past year; the ones of the last month still open.
DAYS = 365
OPEN_DAYS = 30


def build(env, count):
    """``count`` tickets of CUSTOMERS customers, one in eight on each of the
    recurring subjects. Returns the world (customers, team, dispatcher)."""
    world = build_helpdesk(env, CUSTOMERS, contacts_per_customer=0, tag="dup")
    template = env["helpdesk.ticket"].create(
        {
            "name": "Template",
            "description": "<p>Template</p>",
            "partner_id": world["companies"][0].id,
            "team_id": world["team"].id,
        }
    )
    env.flush_all()
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN (
               'id', 'number', 'name', 'description', 'partner_id',
               'commercial_partner_id', 'create_date', 'stage_id', 'closed_date')
        """
    )
    copied = SQL(", ").join(SQL.identifier(c) for (c,) in env.cr.fetchall())
    inserted = insert_without_indexes(
        env,
        ("helpdesk_ticket",),
        SQL(
            """
            INSERT INTO helpdesk_ticket (
                   %(copied)s, number, name, description, partner_id,
                   commercial_partner_id, create_date, stage_id, closed_date)
            SELECT %(copied)s, 'DUP-' || g,
                   (%(subjects)s::text[])[1 + mod(g, %(n)s)] || ' (' || g || ')',
                   '<p>' || (%(subjects)s::text[])[1 + mod(g / 7, %(n)s)]
                         || '. Reported by the customer, request ' || g || '.</p>',
                   c.id, c.id, created,
                   CASE WHEN old THEN %(done)s ELSE t.stage_id END,
                   CASE WHEN old THEN created + interval '1 day' END
              FROM generate_series(0, %(count)s - 1) AS g
              JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id
                      FROM res_partner WHERE id = ANY(%(customers)s)) c
                ON c.k = mod(g, %(customers_count)s)
             CROSS JOIN LATERAL (
                   SELECT (now() AT TIME ZONE 'UTC')
                          - mod(g::bigint * 7919, %(minutes)s) * interval '1 minute'
                          AS created) d
             CROSS JOIN LATERAL (
                   SELECT d.created < (now() AT TIME ZONE 'UTC')
                          - %(open_days)s * interval '1 day' AS old) o,
                   helpdesk_ticket t
             WHERE t.id = %(template)s
            """,
            copied=copied,
            subjects=list(SUBJECTS),
            n=len(SUBJECTS),
            done=done.id,
            count=count,
            customers=world["companies"].ids,
            customers_count=CUSTOMERS,
            minutes=DAYS * 24 * 60,
            open_days=OPEN_DAYS,
            template=template.id,
        ),
    )
    template.unlink()
    say("Duplicates: %s tickets copied", inserted)
    return world


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lookups(env, world, size=LOOKUPS):
    """(creation seconds, lookup seconds, candidates) of ``size`` new tickets
    of random customers, made by the dispatcher one at a time."""
    Ticket = env["helpdesk.ticket"].with_user(world["dispatcher"])
    chance = random.Random(18)
    created, looked_up, found = [], [], []
    for index in range(size):
        values = {
            "name": f"{chance.choice(SUBJECTS)} again",
            "description": f"<p>{chance.choice(SUBJECTS)}. New request {index}.</p>",
            "partner_id": chance.choice(world["companies"]).id,
            "team_id": world["team"].id,
        }
        start = time.perf_counter()
        ticket = Ticket.create(values)
        env.flush_all()
        middle = time.perf_counter()
        ticket.invalidate_recordset()
        found.append(len(ticket.duplicate_candidate_ids))
        end = time.perf_counter()
        created.append(middle - start)
        looked_up.append(end - middle)
    return created, looked_up, found


def run(args, table):
    count = args.duplicate_tickets
    db = copy_database(args.db, "duplicates")
    with environment(db) as env:
        say("Duplicates: %s tickets of %s customers", count, CUSTOMERS)
        world = build(env, count)
        commit_and_analyze(env)
        lookups(env, world, 10)  # warm-up: caches, prepared plans
        env.cr.rollback()
        created, looked_up, found = lookups(env, world)
        env.cr.rollback()

    p95 = 1000 * percentile(looked_up, 0.95)
    share = statistics.median(looked_up) / statistics.median(created)
    what = (
        f"Duplicate lookup, {count:,} tickets of {CUSTOMERS:,} customers, "
        f"{LOOKUPS} new tickets"
    )
    table.add(
        Row(
            f"{what}: p95 of the candidates' lookup",
            p95,
            "ms",
            target="< 50 ms",
            passed=p95 < 50,
        )
    )
    table.add(
        Row(
            f"{what}: lookup as a share of the ticket's creation (medians)",
            100 * share,
            "%",
        )
    )
    table.note(
        f"Duplicate lookup: median {1000 * statistics.median(looked_up):.1f} ms, "
        f"creation of the ticket median {1000 * statistics.median(created):.1f} "
        f"ms; {sum(1 for n in found if n)} of {LOOKUPS} new tickets had "
        f"candidates ({sum(found)} in all)."
    )
