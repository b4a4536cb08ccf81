"""E-mail intake: customer e-mails through Odoo's mail gateway
(``message_process``, the path of fetchmail and of the mail alias), one
message at a time, into tickets with contract picking, coverage, SLA clocks
and the likely duplicates the dispatcher sees, against the same e-mails
into plain ``helpdesk_mgmt`` in the database without the product."""

from harness import (
    Row,
    best_of,
    commit_and_analyze,
    copy_database,
    environment,
    measure,
    say,
)
from intake import CUSTOMERS
from world import build_contracts, build_helpdesk, build_sla_policy

ROUNDS = 2
WARM_UP = 50
# Customers write about a few recurring troubles, so that some e-mails find
# likely duplicates among the ones before them.
SUBJECTS = (
    "The printer on the second floor jams paper",
    "Cannot log in to the VPN from home",
    "Outlook does not receive new mail since this morning",
    "Laptop battery drains in an hour",
    "The shared drive is read-only for the accounting team",
    "Wi-Fi drops every few minutes in the meeting room",
    "Please create an account for our new colleague",
    "The ERP is very slow when printing invoices",
)
EMAIL = """From: {name} <{email}>
To: support@provider.example.com
Subject: {subject} ({index})
Message-ID: <bench-{tag}-{index}@customer.example.com>
Date: Tue, 01 Dec 2026 09:00:00 +0000
Content-Type: text/plain; charset=utf-8

Hello,

{subject}. It started after the last update, two people are blocked.
Could you have a look today? Request number {index}.

Best regards,
{name}
"""


def emails(world, count, tag):
    """The same ``count`` raw e-mails for either database (their Message-IDs
    differ by ``tag``: the gateway drops a message it has seen)."""
    contacts = world["contacts"]
    return [
        EMAIL.format(
            name=contacts[index % len(contacts)].name,
            email=contacts[index % len(contacts)].email,
            subject=SUBJECTS[index % len(SUBJECTS)],
            index=index,
            tag=tag,
        )
        for index in range(count)
    ]


def timed_gateway(env, world, count, lookup):
    """A function feeding ``count`` e-mails to the gateway one by one (as
    fetchmail does), measured and rolled back; ``lookup``: also read each new
    ticket's likely duplicates."""
    Thread = env["mail.thread"]
    Ticket = env["helpdesk.ticket"]
    custom_values = {"team_id": world["team"].id}
    rounds = iter(range(1_000_000))

    def feed(messages):
        for message in messages:
            ticket_id = Thread.message_process(
                "helpdesk.ticket", message, custom_values=dict(custom_values)
            )
            if lookup:
                Ticket.browse(ticket_id).duplicate_candidate_count  # noqa: B018

    def run(size=count):
        messages = emails(world, size, f"{env.cr.dbname}-{next(rounds)}")
        result = measure(env, lambda: feed(messages))
        env.cr.rollback()
        env.invalidate_all()
        return result

    return run


def run(args, table):
    count = args.emails
    db = copy_database(args.db, "mail")
    with environment(db) as env, environment(args.vanilla_db) as vanilla:
        say("E-mail intake: %s customers in both databases", CUSTOMERS)
        ours = build_helpdesk(env, CUSTOMERS, tag="mail")
        plain = build_helpdesk(vanilla, CUSTOMERS, tag="mail")
        covered = ours["companies"][: CUSTOMERS * 9 // 10]
        build_contracts(env, covered, ours["team"], build_sla_policy(env))
        commit_and_analyze(env)
        commit_and_analyze(vanilla)
        contenders = {
            "ours": timed_gateway(env, ours, count, lookup=True),
            "vanilla": timed_gateway(vanilla, plain, count, lookup=False),
        }
        for function in contenders.values():
            function(WARM_UP)  # caches, prepared plans, the gateway's imports
        say("E-mail intake: %s e-mails, %s rounds", count, ROUNDS)
        best = best_of(ROUNDS, contenders)

    ms, queries = best["ours"].per(count)
    ref_ms, ref_queries = best["vanilla"].per(count)
    what = f"E-mail intake, {count:,} e-mails through message_process"
    table.add(
        Row(
            f"{what}: time per e-mail",
            ms,
            "ms",
            ref_ms,
            "helpdesk_mgmt",
            "<= 1.25x",
            ms <= 1.25 * ref_ms,
        )
    )
    table.add(
        Row(
            f"{what}: queries per e-mail",
            queries,
            "queries",
            ref_queries,
            "helpdesk_mgmt",
        )
    )
