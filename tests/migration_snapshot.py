"""The facts a migration must keep, read from a database by ``odoo shell``
(tests/test_migration.py pipes this file to the shell of each tree, old and
new, followed by a call of ``write_snapshot(env, path)``).

Stored facts are read by SQL under their public names (docs/data-model.md):
contracts, periods, the usage ledger, customer invoices and their lines. The
SLA results are read through the ticket's public ``sla_*`` summary fields,
which keep their names whatever stores the clocks behind them. The period's
``state`` is computed from today's date: it is read with the day it was read
on, to be compared only between snapshots of the same day."""

import json

from odoo import fields

MODULES = ("service_contract", "service_sla", "service_billing", "service_portal")
CUSTOMER_MOVES = "('out_invoice', 'out_refund')"
QUERIES = {
    "contracts": """
        SELECT id, code, state, date_start, date_end, partner_id
          FROM service_contract ORDER BY id""",
    "periods": """
        SELECT id, contract_id, date_start, date_end, amount, payment_mode,
               is_paid, invoice_id
          FROM service_contract_period ORDER BY id""",
    "ledger": """
        SELECT id, contract_id, partner_id, period_id, ticket_id, date, quantity,
               hours, amount, is_overage, invoice_line_id
          FROM service_contract_usage ORDER BY id""",
    "invoices": f"""
        SELECT id, name, move_type, state, payment_state, partner_id,
               invoice_date, invoice_date_due, currency_id, amount_untaxed,
               amount_tax, amount_total, amount_residual
          FROM account_move WHERE move_type IN {CUSTOMER_MOVES} ORDER BY id""",
    "invoice_lines": f"""
        SELECT line.id, line.move_id, line.display_type, line.product_id,
               line.account_id, line.name, line.quantity, line.price_unit,
               line.discount, line.price_subtotal, line.price_total, line.balance
          FROM account_move_line line
          JOIN account_move move ON move.id = line.move_id
         WHERE move.move_type IN {CUSTOMER_MOVES} ORDER BY line.id""",
}
SLA_FIELDS = (
    "sla_policy_id",
    "sla_response_deadline",
    "sla_resolution_deadline",
    "sla_first_response_date",
    "sla_response_status",
    "sla_resolution_status",
)


def _plain(value):
    """A JSON value read the same way from either tree."""
    if isinstance(value, tuple | list) and len(value) == 2:  # many2one read
        return value[0]
    if value is False or value is None:
        return None
    if isinstance(value, int | str | bool):
        return value
    return str(value)  # dates, datetimes, numerics


def snapshot(env):
    facts = {}
    for name, query in QUERIES.items():
        env.cr.execute(query)
        columns = [column.name for column in env.cr.description]
        facts[name] = [
            {column: _plain(value) for column, value in zip(columns, row, strict=True)}
            for row in env.cr.fetchall()
        ]
    tickets = (
        env["helpdesk.ticket"].with_context(active_test=False).search([], order="id")
    )
    facts["sla"] = [
        {key: _plain(value) for key, value in row.items()}
        for row in tickets.read(list(SLA_FIELDS))
    ]
    periods = env["service.contract.period"].search([], order="id")
    facts["period_states"] = {
        "day": str(fields.Date.context_today(periods)),
        "states": [[period.id, period.state] for period in periods],
    }
    env.cr.execute(
        "SELECT name, latest_version FROM ir_module_module "
        "WHERE name = ANY(%s) AND state = 'installed' ORDER BY name",
        [list(MODULES)],
    )
    facts["modules"] = dict(env.cr.fetchall())
    return facts


def write_snapshot(env, path):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(snapshot(env), file, indent=1, sort_keys=True)
