from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestCoverage(ServiceContractCase):
    def test_ticket_picks_the_applicable_contract(self):
        contract = self.create_contract()
        ticket = self.open_ticket(user_id=False, team_id=False)
        self.assertEqual(ticket.contract_id, contract)
        self.assertEqual(ticket.billing_mode, "contract")
        self.assertEqual(
            ticket.user_id, self.manager, "the account manager is the default assignee"
        )
        self.assertEqual(ticket.team_id, self.team)
        self.assertFalse(ticket.coverage_warning)
        self.assertFalse(ticket.coverage_doubtful)

    def test_picking_respects_category_contact_and_draw_order(self):
        network = self.env["helpdesk.ticket.category"].create({"name": "Network"})
        printers = self.env["helpdesk.ticket.category"].create({"name": "Printers"})
        first = self.create_contract(
            name="Network only", sequence=1, category_ids=[network.id]
        )
        second = self.create_contract(
            name="Bob only", sequence=2, authorized_partner_ids=[self.other_contact.id]
        )
        third = self.create_contract(name="Anything", sequence=3)
        self.assertEqual(self.open_ticket(category_id=network.id).contract_id, first)
        self.assertEqual(
            self.open_ticket(
                partner=self.other_contact, category_id=printers.id
            ).contract_id,
            second,
        )
        self.assertEqual(self.open_ticket(category_id=printers.id).contract_id, third)
        # Staff choose another one: the choice stands.
        chosen = self.open_ticket(contract_id=third.id, category_id=network.id)
        self.assertEqual(chosen.contract_id, third)

    def test_no_contract_and_expired_contract(self):
        ticket = self.open_ticket()
        self.assertFalse(ticket.contract_id)
        self.assertIn("No active contract", ticket.coverage_warning)
        self.assertTrue(ticket.coverage_doubtful)
        self.assertEqual(ticket.coverage_badge, "no_contract")
        old = self.create_contract(date_start="2025-01-01", date_end="2025-12-31")
        old.state = "expired"
        ticket = self.open_ticket()
        self.assertFalse(ticket.contract_id)
        self.assertIn("No service contracted", ticket.coverage_warning)
        self.assertIn(old.code, ticket.coverage_warning)
        self.assertEqual(ticket.coverage_badge, "ended")

    def test_ticket_without_customer_warns_only_once_work_is_logged(self):
        ticket = self.open_ticket(partner_id=False)
        self.assertEqual(ticket.billing_mode, "invoice")
        self.assertFalse(ticket.coverage_warning)
        self.assertFalse(ticket.coverage_badge)
        self.assertFalse(ticket.coverage_doubtful)
        self.log_time(ticket, 2)
        self.assertIn("No customer", ticket.coverage_warning)
        self.assertEqual(ticket.coverage_badge, "no_contract")
        with self.assertRefused(UserError, "has work to bill but no customer"):
            self.close(ticket)
        ticket.billing_mode = "none"
        self.assertFalse(ticket.coverage_warning)
        self.close(ticket)
        self.assertFalse(ticket.usage_ids)

    def test_every_reason_is_listed(self):
        network = self.env["helpdesk.ticket.category"].create({"name": "Network"})
        printers = self.env["helpdesk.ticket.category"].create({"name": "Printers"})
        contract = self.create_contract(
            allowance_qty=1,
            category_ids=[network.id],
            authorized_partner_ids=[self.other_contact.id],
            period_type="monthly",
            payment_mode="prepaid",
            date_start=(self.today - relativedelta(months=2)).replace(day=1),
        )
        contract.action_generate_periods()
        used = self.open_ticket(partner=self.other_contact, contract_id=contract.id)
        self.log_time(used, 1)
        self.close(used)
        ticket = self.open_ticket(contract_id=contract.id, category_id=printers.id)
        warning = ticket.coverage_warning
        self.assertIn("current service period", warning)
        self.assertIn("2 earlier service period(s) unpaid", warning)
        self.assertIn("used up", warning)
        self.assertIn("Printers is not covered", warning)
        self.assertIn("Alice Acme is not authorized", warning)
        self.assertIn(self.manager.name, warning, "the contact is told whom to ask")
        self.assertEqual(ticket.coverage_badge, "unpaid", "the first reason, in short")
        # Paying the periods clears those reasons at once.
        contract.period_ids.write({"is_paid": True})
        self.assertNotIn("unpaid", ticket.coverage_warning)
        self.assertNotIn("not paid", ticket.coverage_warning)
        self.assertEqual(ticket.coverage_badge, "used_up")

    def test_contract_not_started_and_ended(self):
        contract = self.create_contract(date_start=self.today + relativedelta(days=10))
        ticket = self.open_ticket(contract_id=contract.id)
        self.assertIn("not in force yet", ticket.coverage_warning)
        contract.write(
            {
                "date_start": self.today - relativedelta(months=3),
                "date_end": self.today - relativedelta(days=1),
            }
        )
        self.assertIn("has ended", ticket.coverage_warning)

    def test_coverage_follows_time(self):
        contract = self.create_contract(
            date_start="2026-01-01",
            date_end="2026-12-31",
            period_type="quarterly",
            payment_mode="prepaid",
        )
        contract.action_generate_periods()
        contract.period_ids.sorted("date_start")[0].is_paid = True
        with freeze_time("2026-03-20"):
            ticket = self.open_ticket()
            self.assertFalse(ticket.coverage_warning)
        # A new request on the first day of Q2: the coverage of that day,
        # with no scheduled action rewriting it.
        ticket.invalidate_recordset()
        with freeze_time("2026-04-01"):
            self.assertIn("current service period", ticket.coverage_warning)
            self.assertIn(
                ticket,
                self.env["helpdesk.ticket"].search([("coverage_doubtful", "=", True)]),
            )

    def test_block_enforcement_refuses_new_tickets_but_closes_work_in_progress(self):
        contract = self.create_contract(allowance_qty=2, enforcement="block")
        ticket = self.open_ticket()
        in_progress = self.open_ticket()
        self.log_time(ticket, 2)
        self.close(ticket)
        self.assertEqual(contract.remaining_qty, 0)
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRefused(UserError, "cannot be accepted .*\n.*used up"):
            self.open_ticket()
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        # Work already in progress is never trapped: it closes, usage posted.
        self.log_time(in_progress, 1)
        self.close(in_progress)
        self.assertTrue(in_progress.stage_id.closed)
        self.assertEqual(in_progress.usage_ids.filtered("is_overage").quantity, 1)

    def test_block_enforcement_on_expired_contract(self):
        old = self.create_contract(
            date_start="2025-01-01", date_end="2025-12-31", enforcement="block"
        )
        old.state = "expired"
        with self.assertRefused(UserError, "expired"):
            self.open_ticket()

    def test_warn_enforcement_accepts(self):
        self.create_contract(allowance_qty=0.5)
        ticket = self.open_ticket()
        self.log_time(ticket, 1)
        self.close(ticket)
        accepted = self.open_ticket()
        self.assertIn("used up", accepted.coverage_warning)

    def test_batch_create_adds_no_query_per_ticket(self):
        """Contract picking and the coverage warning read contracts once per
        batch: tickets of contracted customers cost as many queries per
        ticket as tickets of customers without contracts (the helpdesk's
        own per-ticket work: numbering, creation message)."""
        contracted = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(20)]
        )
        uncontracted = self.env["res.partner"].create(
            [{"name": f"Prospect {i}", "is_company": True} for i in range(20)]
        )
        self.env["service.contract"].create(
            [
                {"name": f"Bag {i}", "partner_id": c.id, "allowance_qty": 10}
                for i, c in enumerate(contracted)
            ]
        ).action_activate()

        def queries(count, partners):
            vals_list = [
                {
                    "name": f"Request {i}",
                    "description": "<p>Help</p>",
                    "partner_id": partners[i % 20].id,
                    "team_id": self.team.id,
                }
                for i in range(count)
            ]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            tickets = self.env["helpdesk.ticket"].create(vals_list)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, tickets

        queries(5, contracted)  # warm the caches
        small, _tickets = queries(10, contracted)
        large, tickets = queries(100, contracted)
        vanilla_small, _tickets = queries(10, uncontracted)
        vanilla_large, _tickets = queries(100, uncontracted)
        self.assertEqual(len(tickets.contract_id), 20)
        self.assertFalse(tickets.filtered("coverage_doubtful"))
        self.assertLessEqual(large - small, vanilla_large - vanilla_small)
        self.assertLessEqual(small - vanilla_small, 10)

    def test_values_of_new_tickets_read_off_their_values(self):
        """The customer and billing mode of tickets created together, each
        from its own values, as stored."""
        contract = self.create_contract()
        other = self.env["res.partner"].create({"name": "Beta", "is_company": True})
        tickets = self.env["helpdesk.ticket"].create(
            [
                dict(vals, name="Printer broken", description="<p>Jammed.</p>")
                for vals in (
                    {"partner_id": self.contact.id},
                    {"partner_id": other.id},
                    {"partner_id": False},
                    {"partner_id": self.other_contact.id, "billing_mode": "none"},
                )
            ]
        )
        tickets.invalidate_recordset()
        self.assertEqual(
            tickets.mapped(lambda t: (t.commercial_partner_id, t.contract_id)),
            [
                (self.customer, contract),
                (other, self.env["service.contract"]),
                (self.env["res.partner"], self.env["service.contract"]),
                (self.customer, contract),
            ],
        )
        self.assertEqual(
            tickets.mapped("billing_mode"), ["contract", "invoice", "invoice", "none"]
        )

    def test_picking_fetches_only_the_contract_columns_it_reads(self):
        contract = self.create_contract()
        self.env.invalidate_all()
        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, contract)
        fetched = {
            name
            for name, field in contract._fields.items()
            if field.column_type and self.env.cache.contains(contract, field)
        }
        self.assertTrue(fetched)
        self.assertLessEqual(fetched, {"id", *contract._ticket_picking_fields()})
