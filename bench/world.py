"""Data every benchmark starts from: customers with their contacts, a
helpdesk team with its dispatcher, contracts and an SLA policy. Everything is
made in batches (``create`` on lists)."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields


def build_helpdesk(env, customers, contacts_per_customer=3, tag="bench"):
    """``customers`` companies with their contacts, a team, three ticket
    categories and a dispatcher (helpdesk user). Returns a dict of them."""
    companies = env["res.partner"].create(
        [
            {
                "name": f"{tag.title()} Customer {index:05d}",
                "is_company": True,
                "email": f"it{index}@{tag}.example.com",
            }
            for index in range(customers)
        ]
    )
    contacts = env["res.partner"].create(
        [
            {
                "name": f"Contact {n} of {company.name}",
                "parent_id": company.id,
                "email": f"c{n}.{company.id}@{tag}.example.com",
            }
            for company in companies
            for n in range(contacts_per_customer)
        ]
    )
    dispatcher = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": f"{tag.title()} Dispatcher",
                "login": f"{tag}-dispatcher",
                "email": f"dispatcher@{tag}.example.com",
                "groups_id": [
                    Command.link(env.ref("helpdesk_mgmt.group_helpdesk_user").id)
                ],
            }
        )
    )
    team = env["helpdesk.ticket.team"].create(
        {"name": f"{tag.title()} Support", "user_ids": [Command.link(dispatcher.id)]}
    )
    categories = env["helpdesk.ticket.category"].create(
        [{"name": f"{tag.title()} {name}"} for name in ("Hardware", "Network", "Mail")]
    )
    return {
        "companies": companies,
        "contacts": contacts,
        "dispatcher": dispatcher,
        "team": team,
        "categories": categories,
    }


def build_portal_users(env, contacts, tag):
    """A portal user for each of ``contacts``, logged in as ``<tag>-<n>``."""
    return env["res.users"].create(
        [
            {
                "name": contact.name,
                "login": f"{tag}-{index}",
                "partner_id": contact.id,
                "groups_id": [Command.set(env.ref("base.group_portal").ids)],
            }
            for index, contact in enumerate(contacts)
        ]
    )


def build_sla_policy(env):
    """A policy on the company's working hours, a target per priority."""
    if "service.sla.policy" not in env:
        return None
    return env["service.sla.policy"].create(
        {
            "name": "Bench Standard",
            "calendar_id": env.company.resource_calendar_id.id,
            "line_ids": [
                Command.create(
                    {"priority": p, "response_hours": r, "resolution_hours": h}
                )
                for p, r, h in (("0", 8, 40), ("1", 4, 24), ("2", 2, 8), ("3", 1, 4))
            ],
        }
    )


def build_contracts(env, companies, team, policy=None, paid_until=None, **overrides):
    """One active hours contract per customer (10 h a month, monthly prepaid
    periods from three months ago, the ones starting before ``paid_until``
    paid: by default all to date)."""
    today = fields.Date.context_today(env["service.contract"])
    start = today.replace(day=1) - relativedelta(months=3)
    paid_until = paid_until or today + relativedelta(days=1)
    vals = {
        "name": "Support 10 h a month",
        "date_start": start,
        "date_end": start + relativedelta(years=1, days=-1),
        "allowance_type": "hours",
        "allowance_qty": 10,
        "allowance_scope": "period",
        "period_type": "monthly",
        "period_amount": 500,
        "payment_mode": "prepaid",
        "hourly_rate": 80,
        "team_id": team.id,
    }
    if policy:
        vals["sla_policy_id"] = policy.id
    vals.update(overrides)
    contracts = env["service.contract"].create(
        [dict(vals, partner_id=company.id) for company in companies]
    )
    contracts.action_activate()
    contracts.period_ids.filtered(lambda p: p.date_start < paid_until).write(
        {"is_paid": True}
    )
    return contracts
