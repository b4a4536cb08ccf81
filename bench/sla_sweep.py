"""SLA escalation sweep: the escalation job over many open tickets with
running clocks, a few hundred of which turn at risk or breached. The
tickets are copied by SQL from a hundred made through the ORM (same
customers, contracts, policy), with their clocks (two per ticket, as
records of service.sla.clock) spread over the coming days."""

from harness import (
    Row,
    commit_and_analyze,
    copy_database,
    environment,
    insert_without_indexes,
    measure,
    say,
)
from world import build_contracts, build_helpdesk, build_sla_policy

from odoo.tools import SQL

TEMPLATES = 100
AT_RISK = 200
BREACHED = 100


def build_open_tickets(env, count):
    """``count`` open tickets with running clocks: AT_RISK of them past their
    at-risk moment, BREACHED past their response deadline, the others due
    later (spread over the next three days)."""
    world = build_helpdesk(env, TEMPLATES, contacts_per_customer=1, tag="sla")
    team = world["team"]
    team.user_id = world["dispatcher"]
    build_contracts(env, world["companies"], team, build_sla_policy(env))
    env["helpdesk.ticket"].create(
        [
            {
                "name": f"Template {index}",
                "description": "<p>Cannot log in.</p>",
                "partner_id": contact.id,
                "team_id": team.id,
                "user_id": world["dispatcher"].id,
                "priority": "1",
            }
            for index, contact in enumerate(world["contacts"])
        ]
    )
    env.flush_all()
    env.cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN (
               'id', 'number', 'name', 'sla_start_date', 'sla_response_status',
               'sla_resolution_status', 'sla_response_deadline',
               'sla_resolution_deadline')
        """
    )
    copied = SQL(", ").join(SQL.identifier(c) for (c,) in env.cr.fetchall())
    risk, deadline = response_moments()
    insert_without_indexes(
        env,
        ("helpdesk_ticket", "service_sla_clock"),
        SQL(
            """
            WITH template AS (
                SELECT row_number() OVER (ORDER BY id) - 1 AS k, *
                  FROM helpdesk_ticket WHERE name LIKE %(templates_name)s
            ), clock AS (
                SELECT (now() AT TIME ZONE 'UTC') AS now
            ), ticket AS (
                INSERT INTO helpdesk_ticket (
                       %(copied)s, number, name, sla_start_date,
                       sla_response_status, sla_resolution_status,
                       sla_response_deadline, sla_resolution_deadline)
                SELECT %(copied)s, 'SLA-' || g, 'Request ' || g,
                       now - interval '2 hours', 'ongoing', 'ongoing',
                       now + (%(deadline)s) * interval '1 minute',
                       now + interval '4 days'
                  FROM generate_series(0, %(count)s - 1) AS g
                  JOIN template ON template.k = mod(g, %(templates)s), clock
             RETURNING id, company_id, sla_policy_id,
                       substr(number, 5)::integer AS g
            )
            INSERT INTO service_sla_clock (
                   ticket_id, target, policy_id, company_id, status, deadline,
                   risk_date, next_event_date, risk_sent, breach_sent,
                   create_uid, create_date, write_uid, write_date)
            SELECT ticket.id, target.name, ticket.sla_policy_id,
                   ticket.company_id, 'ongoing', target.deadline,
                   target.risk_date, target.risk_date, FALSE, FALSE,
                   1, clock.now, 1, clock.now
              FROM ticket, clock,
                   LATERAL (VALUES
                       ('response',
                        clock.now + (%(deadline)s) * interval '1 minute',
                        clock.now + (%(risk)s) * interval '1 minute'),
                       ('resolution',
                        clock.now + interval '4 days',
                        clock.now + interval '3 days')
                   ) AS target (name, deadline, risk_date)
            """,
            copied=copied,
            risk=risk,
            deadline=deadline,
            count=count,
            templates=TEMPLATES,
            templates_name="Template %",
        ),
    )
    env.cr.execute("DELETE FROM helpdesk_ticket WHERE name LIKE %s", ["Template %"])


def rebase_due_clocks(env):
    """The clocks due are set again from the moment the sweep starts: at a
    million tickets the build takes minutes, and those meant to turn at risk
    would otherwise be past their deadline already."""
    numbers = [f"SLA-{g}" for g in range(AT_RISK + BREACHED)]
    risk, deadline = response_moments()
    env.cr.execute(
        SQL(
            """
            WITH due AS (
                SELECT id, substr(number, 5)::integer AS g,
                       (now() AT TIME ZONE 'UTC') AS now
                  FROM helpdesk_ticket WHERE number = ANY(%(numbers)s)
            ), ticket AS (
                UPDATE helpdesk_ticket AS ticket
                   SET sla_response_deadline =
                       due.now + (%(deadline)s) * interval '1 minute'
                  FROM due WHERE ticket.id = due.id
            )
            UPDATE service_sla_clock AS clock
               SET deadline = due.now + (%(deadline)s) * interval '1 minute',
                   risk_date = due.now + (%(risk)s) * interval '1 minute',
                   next_event_date = due.now + (%(risk)s) * interval '1 minute'
              FROM due
             WHERE clock.ticket_id = due.id AND clock.target = 'response'
            """,
            numbers=numbers,
            risk=risk,
            deadline=deadline,
        )
    )
    env.cr.commit()


def response_moments():
    """SQL of the minutes from now to the response at-risk moment and to the
    response deadline of ticket number g."""
    return (
        minutes_from_now(at_risk=-5, breached=-60, later=30),
        minutes_from_now(at_risk=5, breached=-1, later=60),
    )


def minutes_from_now(at_risk, breached, later):
    """SQL of a moment of ticket number g: the first AT_RISK tickets, the
    next BREACHED ones, the others spread over three days."""
    return SQL(
        "CASE WHEN g < %s THEN %s WHEN g < %s THEN %s ELSE %s + mod(g, 4320) END",
        AT_RISK,
        at_risk,
        AT_RISK + BREACHED,
        breached,
        later,
    )


def statuses(env):
    env.cr.execute(
        """
        SELECT status, COUNT(*) FROM service_sla_clock
         WHERE target = 'response'
         GROUP BY status
        """
    )
    return dict(env.cr.fetchall())


def run(args, table):
    count = args.sla_tickets
    db = copy_database(args.db, "sla")
    with environment(db) as env:
        say("SLA sweep: %s open tickets with running clocks", count)
        build_open_tickets(env, count)
        commit_and_analyze(env)
        rebase_due_clocks(env)
        Ticket = env["helpdesk.ticket"]
        sweep = measure(env, Ticket._cron_sla_escalate)
        escalated = statuses(env)
        idle = measure(env, Ticket._cron_sla_escalate)

    if escalated.get("at_risk") != AT_RISK or escalated.get("breached") != BREACHED:
        table.note(
            f"SLA sweep: {escalated.get('at_risk', 0)} at risk and "
            f"{escalated.get('breached', 0)} breached where {AT_RISK} and "
            f"{BREACHED} were expected."
        )
    what = f"SLA escalation sweep, {count:,} open tickets"
    table.add(
        Row(
            f"{what}: {AT_RISK + BREACHED} turning at risk or breached",
            sweep.seconds,
            "s",
            target="< 10 s",
            passed=sweep.seconds < 10,
        )
    )
    table.add(
        Row(
            f"{what}: nothing due (the minute after)",
            1000 * idle.seconds,
            "ms",
            target="< 100 ms",
            passed=idle.seconds < 0.1,
        )
    )
