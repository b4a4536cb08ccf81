"""No cron rewrites the coverage of tickets any more: it is computed when
read. The scheduled action that refreshed it every day is removed (its
record was not updatable)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("service_contract.ir_cron_ticket_coverage", raise_if_not_found=False)
    if cron:
        cron.unlink()
