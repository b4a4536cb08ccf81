"""Benchmarks of the service modules: ``make bench`` (scripts/bench.sh) runs
this with Odoo's Python on a throwaway database it has prepared.

Each section builds its own data, measures the product side by side with its
reference in the same run (absolute times on a shared machine mean little,
ratios hold) and adds rows to the table printed at the end, in Markdown.
"""

import argparse
import os
import sys

import billing
import disruption
import duplicates
import harness
import intake
import mail_intake
import portal
import portal_load
import resilience
import sla_sweep

SECTIONS = {
    "intake": intake.run,
    "mail": mail_intake.run,
    "sla": sla_sweep.run,
    "duplicates": duplicates.run,
    "billing": billing.run,
    "resilience": resilience.run,
    "disruption": disruption.run,
    "portal": portal.run,
    "load": portal_load.run,
}
# Left out of a plain `make bench` (it builds and bills the resilience
# section's contracts twice more): `--only disruption`.
OPTIONAL = {"disruption"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", required=True, help="database with the product")
    parser.add_argument(
        "--vanilla-db",
        required=True,
        help="database with the same Odoo modules, without the product",
    )
    parser.add_argument("--tickets", type=int, default=1000, help="intake batch")
    parser.add_argument(
        "--emails", type=int, default=1000, help="e-mails through the gateway"
    )
    parser.add_argument(
        "--duplicate-tickets",
        type=int,
        default=200_000,
        help="tickets among which the duplicates are looked up (1000000 at scale)",
    )
    parser.add_argument(
        "--load-seconds", type=int, default=60, help="length of the portal load"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", "8074")),
        help="HTTP port of the portal load test's server (127.0.0.1)",
    )
    parser.add_argument(
        "--gevent-port",
        type=int,
        default=int(os.environ.get("BENCH_GEVENT_PORT", "8090")),
        help="its websocket port",
    )
    parser.add_argument(
        "--sla-tickets", type=int, default=100000, help="open tickets of the sweep"
    )
    parser.add_argument(
        "--contracts", type=int, default=1000, help="contracts of the billing run"
    )
    parser.add_argument(
        "--resilience-contracts",
        type=int,
        default=2000,
        help="contracts of the billing job run by one, then two workers "
        "(10000 at scale: about 13 minutes more)",
    )
    parser.add_argument(
        "--only", help=f"comma-separated sections among {', '.join(SECTIONS)}"
    )
    # A billing worker process of the resilience section.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        harness.start_odoo(args.config)
        resilience.worker(args)
        return 0
    sections = (
        args.only.split(",")
        if args.only
        else [s for s in SECTIONS if s not in OPTIONAL]
    )
    unknown = set(sections) - SECTIONS.keys()
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    harness.start_odoo(args.config)
    table = harness.Table()
    for name in sections:
        SECTIONS[name](args, table)
    print("\n".join(table.lines()))
    return 0 if all(row.passed is not False for row in table.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
