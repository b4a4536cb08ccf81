"""Billing run: N contracts, each with its current service period due and
overage from the previous month, invoiced by ``service.billing.run``
(preview: the draft invoices), against the floor (the same invoices made by
one batched ``account.move.create``) and OCA's ``contract`` module invoicing
the same amounts through its cron."""

import copy

from dateutil.relativedelta import relativedelta
from harness import (
    Row,
    best_of,
    commit_and_analyze,
    copy_database,
    environment,
    measure,
    say,
)
from world import build_contracts, build_helpdesk

from odoo import Command, fields

FEE = 500.0
OVERAGE_HOURS = 2.0
RATE = 80.0
ROUNDS = 3


def build_due_contracts(env, count, tag="billing"):
    """``count`` customers with a contract each: the current monthly period
    unpaid and due, the previous one paid with 2 h of overage posted."""
    today = fields.Date.context_today(env["service.contract"])
    month = today.replace(day=1)
    world = build_helpdesk(env, count, contacts_per_customer=1, tag=tag)
    contracts = build_contracts(
        env,
        world["companies"],
        world["team"],
        paid_until=month,
        period_amount=FEE,
        hourly_rate=RATE,
    )
    previous = contracts.period_ids.filtered(
        lambda p: p.date_end == month - relativedelta(days=1)
    )
    env["service.contract.usage"].create(
        [
            {
                "contract_id": period.contract_id.id,
                "partner_id": period.contract_id.partner_id.id,
                "period_id": period.id,
                "date": period.date_end,
                "name": "Work beyond the allowance",
                "quantity": OVERAGE_HOURS,
                "hours": OVERAGE_HOURS,
                "amount": OVERAGE_HOURS * RATE,
                "is_overage": True,
            }
            for period in previous
        ]
    )
    return contracts


def products(env):
    company = env.company
    return company._service_fee_product(), company._service_hours_product()


def floor_values(env, contracts):
    """The invoices the run makes, as plain ``account.move`` values."""
    today = fields.Date.context_today(env["service.contract"])
    fee, hours = products(env)
    journal = env.company._service_journal()
    return [
        {
            "move_type": "out_invoice",
            "partner_id": contract.partner_id.id,
            "journal_id": journal.id,
            "invoice_date": today,
            "invoice_origin": contract.code,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": fee.id,
                        "name": f"{contract.display_name}\nService period",
                        "quantity": 1.0,
                        "price_unit": FEE,
                    }
                ),
                Command.create(
                    {
                        "product_id": hours.id,
                        "name": f"{contract.display_name}\nBeyond the allowance",
                        "quantity": OVERAGE_HOURS,
                        "price_unit": RATE,
                    }
                ),
            ],
        }
        for contract in contracts
    ]


def build_oca_contracts(env, partners):
    """The same fee and overage on OCA contracts, invoiced this month (made
    by hundreds: in one create of thousands, OCA's next invoice date of the
    lines is not computed)."""
    for start in range(0, len(partners), 100):
        create_oca_contracts(env, partners[start : start + 100])


def create_oca_contracts(env, partners):
    today = fields.Date.context_today(env["service.contract"])
    fee, hours = products(env)
    env["contract.contract"].create(
        [
            {
                "name": "Support 10 h a month",
                "partner_id": partner.id,
                "line_recurrence": False,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "date_start": today.replace(day=1),
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": fee.id,
                            "name": "Service period",
                            "quantity": 1.0,
                            "price_unit": FEE,
                        }
                    ),
                    Command.create(
                        {
                            "product_id": hours.id,
                            "name": "Beyond the allowance",
                            "quantity": OVERAGE_HOURS,
                            "price_unit": RATE,
                        }
                    ),
                ],
            }
            for partner in partners
        ]
    )


def invoices_made(env, since_id):
    """(count, total) of the customer invoices made after ``since_id``."""
    env.flush_all()
    env.cr.execute(
        "SELECT COUNT(*), COALESCE(SUM(amount_untaxed), 0) FROM account_move "
        "WHERE id > %s AND move_type = 'out_invoice'",
        [since_id],
    )
    return env.cr.fetchone()


def contenders(env, contracts):
    """``{name: function}``, each making the invoices once, measured and
    rolled back; the result carries the invoices made (count, total)."""
    today = fields.Date.context_today(env["service.contract"])
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
    last_move = env.cr.fetchone()[0]

    def rolled_back(prepare):
        """``prepare()`` returns the work to measure; what it does itself is
        left out of the measure."""

        def run():
            result = measure(env, prepare())
            result.outcome = invoices_made(env, last_move)
            env.cr.rollback()
            return result

        return run

    def ours():
        return lambda: (
            env["service.billing.run"].create({"date": today}).action_preview()
        )

    floor_vals = floor_values(env, contracts)

    def floor():
        vals_list = copy.deepcopy(floor_vals)
        return lambda: env["account.move"].create(vals_list)

    def oca():
        return env["contract.contract"].cron_recurring_create_invoice

    return {
        "ours": rolled_back(ours),
        "floor": rolled_back(floor),
        "oca": rolled_back(oca),
    }


def run(args, table):
    count = args.contracts
    db = copy_database(args.db, "billing")
    with environment(db) as env:
        say("Billing: %s due contracts, ours and OCA's", count)
        contracts = build_due_contracts(env, count)
        build_oca_contracts(env, contracts.partner_id)
        commit_and_analyze(env)
        best = best_of(ROUNDS, contenders(env, contracts))

    expected = (count, count * (FEE + OVERAGE_HOURS * RATE))
    for name, result in best.items():
        made = (result.outcome[0], float(result.outcome[1]))
        if made != expected:
            table.note(
                f"Billing: {name} made {made[0]} invoices for {made[1]:,.2f} "
                f"where {expected[0]} for {expected[1]:,.2f} were expected."
            )
    floor_ms, floor_queries = best["floor"].per(count)
    what = f"Billing run, {count:,} due contracts"
    for name, label, targets in (
        ("ours", "service.billing.run", True),
        ("oca", "OCA contract cron", False),
    ):
        ms, queries = best[name].per(count)
        table.add(
            Row(
                f"{what}: time per invoice, {label}",
                ms,
                "ms",
                floor_ms,
                "account.move.create",
                "<= 1.00x" if targets else "",
                ms <= 1.00 * floor_ms if targets else None,
            )
        )
        table.add(
            Row(
                f"{what}: queries per invoice, {label}",
                queries,
                "queries",
                floor_queries,
                "account.move.create",
                "<= 9.5" if targets else "",
                queries <= 9.5 if targets else None,
            )
        )
