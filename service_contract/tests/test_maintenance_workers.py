from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

from .common import freeze_test_clock


@tagged("post_install", "-at_install")
class TestMaintenanceWorkers(BaseCase):
    """Two workers run the daily job at once: a plan one of them holds is
    skipped by the other (not waited for), and no visit is generated twice."""

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_test_clock())
        self.registry = api.Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["service.contract"])
            partner = env["res.partner"].create(
                {"name": "Two Workers Ltd", "is_company": True}
            )
            contract = env["service.contract"].create(
                {
                    "name": "Maintenance",
                    "partner_id": partner.id,
                    "allowance_type": "time",
                    "date_start": today,
                    "date_end": today + relativedelta(years=1),
                }
            )
            contract.action_activate()
            plans = env["service.maintenance.plan"].create(
                [
                    {
                        "contract_id": contract.id,
                        "name": name,
                        "date_start": today + relativedelta(days=5),
                    }
                    for name in ("Inspection", "Filter change")
                ]
            )
            self.partner_id, self.contract_id = partner.id, contract.id
            self.plan_ids = plans.ids
        self.addCleanup(self.delete_data)

    def delete_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plans = env["service.maintenance.plan"].browse(self.plan_ids)
            plans.ticket_ids.unlink()
            plans.unlink()
            env["service.contract"].browse(self.contract_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def run_cron(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["service.maintenance.plan"]._cron_generate_tickets()

    def visits(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plans = env["service.maintenance.plan"].browse(self.plan_ids)
            return [len(plan.occurrence_ids) for plan in plans]

    def test_a_held_plan_is_skipped_then_done_once(self):
        with self.registry.cursor() as holder:
            holder.execute(
                "SELECT id FROM service_maintenance_plan WHERE id = %s FOR UPDATE",
                [self.plan_ids[0]],
            )
            self.run_cron()
            self.assertEqual(self.visits(), [0, 1])
        self.run_cron()
        self.run_cron()
        self.assertEqual(self.visits(), [1, 1])
