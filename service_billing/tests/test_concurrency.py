from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name

from odoo.addons.service_contract.tests.common import freeze_test_clock


@tagged("post_install", "-at_install")
class TestConcurrentBilling(BaseCase):
    """Two billing jobs at once, each in its own transaction, on data
    committed for the purpose (and deleted afterwards)."""

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_test_clock())
        self.registry = api.Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            self.today = fields.Date.context_today(env["service.contract"])
            start = self.today + relativedelta(day=1)
            partners = env["res.partner"].create(
                [
                    {"name": f"Concurrent Billing {i}", "is_company": True}
                    for i in range(3)
                ]
            )
            contracts = env["service.contract"].create(
                [
                    {
                        "name": "Monthly fee",
                        "partner_id": partner.id,
                        "allowance_type": "time",
                        "date_start": start,
                        "date_end": start + relativedelta(years=1, days=-1),
                        "period_type": "monthly",
                        "payment_mode": "prepaid",
                        "period_amount": 100,
                    }
                    for partner in partners
                ]
            )
            contracts.action_generate_periods()
            contracts.action_activate()
            self.partner_ids, self.contract_ids = partners.ids, contracts.ids
        self.addCleanup(self.delete_data)

    def delete_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].search([("partner_id", "in", self.partner_ids)])
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.unlink()
            env["service.billing.run"].search(
                [("contract_ids", "in", self.contract_ids)]
            ).unlink()
            env["service.contract"].browse(self.contract_ids).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()

    def billing_env(self, cr):
        # A job that waited on the other's locks would fail here, not hang.
        cr.execute("SET LOCAL lock_timeout = '5s'")
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def preview(self, env, contract_ids):
        run = env["service.billing.run"].create(
            {"date": self.today, "contract_ids": [Command.set(contract_ids)]}
        )
        run.action_preview()
        return run

    def invoiced(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].search([("partner_id", "in", self.partner_ids)])
            return sorted(moves.invoice_line_ids.service_contract_id.ids)

    def test_two_jobs_at_once_skip_each_others_rows(self):
        """The second job skips the rows the first holds and bills the rest;
        once both commit, each period is invoiced once."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self.preview(self.billing_env(cr1), self.contract_ids[:2])
            second = self.preview(self.billing_env(cr2), self.contract_ids)
            self.assertEqual(
                sorted(first.invoice_ids.partner_id.ids), self.partner_ids[:2]
            )
            self.assertEqual(second.invoice_ids.partner_id.ids, self.partner_ids[2:])
        self.assertEqual(self.invoiced(), self.contract_ids)

        with self.registry.cursor() as cr:
            self.assertFalse(
                self.preview(self.billing_env(cr), self.contract_ids).invoice_ids
            )
            cr.rollback()

    def test_a_job_that_saw_the_items_before_the_other_committed_retries(self):
        """A job whose snapshot predates the other's commit cannot lock the
        rows the other billed: it fails with a serialization error, which
        Odoo retries, and the retry finds nothing left to bill."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env2 = self.billing_env(cr2)
            env2["service.contract.period"].search_count([])  # takes the snapshot
            self.preview(self.billing_env(cr1), self.contract_ids)
            cr1.commit()
            with self.assertRaises(errors.SerializationFailure):
                self.preview(env2, self.contract_ids)
            cr2.rollback()
            self.assertFalse(
                self.preview(self.billing_env(cr2), self.contract_ids).invoice_ids
            )
            cr2.rollback()
        self.assertEqual(self.invoiced(), self.contract_ids)

    def test_a_worker_with_nothing_left_waits_for_the_others_batch(self):
        """Batches hold the company's billing lock shared: they run side by
        side, while a worker that finds all that is left held by others
        waits on it exclusively instead of calling again at once."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1, env2 = self.billing_env(cr1), self.billing_env(cr2)
            run = env1["service.billing.run"].create({"date": self.today})
            run._bill_next_batch(batch_size=1)
            other = env2["service.billing.run"].new({"company_id": run.company_id.id})
            other._billing_lock(shared=True)
            cr2.execute("SET LOCAL lock_timeout = '100ms'")
            with self.assertRaises(errors.LockNotAvailable):
                other._billing_lock(shared=False)
            cr2.rollback()
            cr1.rollback()
