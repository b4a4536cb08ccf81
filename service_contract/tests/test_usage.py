from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestUsage(ServiceContractCase):
    def test_closing_posts_rounded_hours_once(self):
        contract = self.create_contract(time_rounding_minutes=15, min_ticket_minutes=30)
        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, contract)
        self.log_time(ticket, 1.1)  # 66 min -> 75 min
        self.assertEqual(contract.in_progress_qty, 1.1)
        self.close(ticket)
        self.assertEqual(ticket.usage_ids.quantity, 1.25)
        self.assertEqual(ticket.usage_ids.amount, 100.0)
        self.assertEqual(contract.consumed_qty, 1.25)
        self.assertEqual(contract.remaining_qty, 98.75)
        self.assertEqual(contract.in_progress_qty, 0)
        # Writing the closed ticket again posts nothing more.
        ticket.write({"stage_id": self.stage_done.id, "name": "Renamed"})
        self.assertEqual(len(ticket.usage_ids), 1)
        short = self.open_ticket()
        self.log_time(short, 0.1)  # 6 min -> 15 -> minimum 30
        self.close(short)
        self.assertEqual(short.usage_ids.quantity, 0.5)

    def test_reopen_and_close_posts_only_the_difference(self):
        contract = self.create_contract()
        ticket = self.open_ticket()
        timesheet = self.log_time(ticket, 2)
        self.close(ticket)
        self.reopen(ticket)
        self.log_time(ticket, 1.5)
        self.close(ticket)
        self.assertEqual(sorted(ticket.usage_ids.mapped("quantity")), [1.5, 2.0])
        self.assertEqual(contract.consumed_qty, 3.5)
        # Less time on the next closing: a reversal line, nothing edited.
        self.reopen(ticket)
        timesheet.unit_amount = 0.5
        self.close(ticket)
        self.assertEqual(sorted(ticket.usage_ids.mapped("quantity")), [-1.5, 1.5, 2.0])
        self.assertEqual(contract.consumed_qty, 2.0)

    def test_ticket_and_amount_allowances(self):
        per_ticket = self.create_contract(allowance_type="tickets", allowance_qty=2)
        tickets = self.open_ticket() | self.open_ticket() | self.open_ticket()
        for ticket in tickets:
            self.log_time(ticket, 1)
            self.close(ticket)
        self.assertEqual(per_ticket.consumed_qty, 3)
        self.assertEqual(per_ticket.remaining_qty, 0)
        self.assertEqual(per_ticket.overage_qty, 1)
        # Reopen and close again: still one ticket, only the hours change.
        self.reopen(tickets[0])
        self.log_time(tickets[0], 1)
        self.close(tickets[0])
        self.assertEqual(per_ticket.consumed_qty, 3)
        self.assertEqual(sum(tickets[0].usage_ids.mapped("hours")), 2)
        per_ticket.action_cancel()

        money = self.create_contract(
            allowance_type="amount", allowance_qty=500, hourly_rate=100
        )
        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, money)
        self.log_time(ticket, 6)
        self.close(ticket)
        self.assertEqual(money.consumed_qty, 600)
        self.assertEqual(money.remaining_qty, 0)
        lines = ticket.usage_ids
        self.assertEqual(lines.filtered("is_overage").quantity, 100)
        self.assertEqual(lines.filtered(lambda u: not u.is_overage).quantity, 500)

    def test_hours_beyond_allowance_are_overage(self):
        contract = self.create_contract(allowance_qty=10)
        ticket = self.open_ticket()
        self.log_time(ticket, 12)
        self.close(ticket)
        within = ticket.usage_ids.filtered(lambda u: not u.is_overage)
        overage = ticket.usage_ids.filtered("is_overage")
        self.assertEqual((within.quantity, overage.quantity), (10, 2))
        self.assertEqual(overage.hours, 2)
        self.assertTrue(overage.is_billable)
        self.assertFalse(within.is_billable)
        self.assertEqual(contract.consumed_qty, 12)
        self.assertEqual(contract.consumed_percent, 120)
        self.assertEqual(contract.overage_qty, 2)

    def test_stacked_allowances_draw_in_order(self):
        monthly = self.create_contract(
            name="Monthly 10 h",
            sequence=1,
            allowance_qty=10,
            allowance_scope="period",
            period_type="monthly",
            date_start=self.today.replace(day=1),
        )
        block = self.create_contract(name="Prepaid block", sequence=2, allowance_qty=20)
        ticket = self.open_ticket()
        self.assertEqual(ticket.contract_id, monthly)
        self.log_time(ticket, 25)
        self.close(ticket)
        self.assertEqual(monthly.consumed_qty, 10)
        self.assertEqual(block.consumed_qty, 15)
        self.assertEqual(block.remaining_qty, 5)
        self.assertFalse(ticket.usage_ids.filtered("is_overage"))
        second = self.open_ticket()
        self.log_time(second, 8)
        self.close(second)
        self.assertEqual(block.remaining_qty, 0)
        self.assertEqual(second.usage_ids.filtered("is_overage").contract_id, monthly)
        self.assertEqual(second.usage_ids.filtered("is_overage").quantity, 3)

    def test_rollover_carries_capped_units_into_next_period(self):
        contract = self.create_contract(
            allowance_qty=10,
            allowance_scope="period",
            period_type="monthly",
            date_start="2026-01-01",
            date_end="2026-12-31",
            rollover_percent=50,
            rollover_max_qty=4,
        )
        with freeze_time("2026-01-20"):
            ticket = self.open_ticket()
            self.log_time(ticket, 4)
            self.close(ticket)
        jan, feb, mar = contract.period_ids.sorted("date_start")[:3]
        self.assertEqual(jan.carried_qty, 0)
        self.assertEqual(feb.carried_qty, 3)  # 50 % of 6 unused
        # A new request on a day of February: the figures of that day.
        contract.invalidate_recordset()
        with freeze_time("2026-02-10"):
            self.assertEqual(contract.allowance_total_qty, 13)
            self.assertEqual(contract.consumed_qty, 0)
        # Nothing used in February: 10 unused, 5 would carry, capped at 4.
        # February's carried units expire with it and never roll again.
        self.assertEqual(mar.carried_qty, 4)

    def test_ledger_lines_are_never_edited(self):
        self.create_contract()
        ticket = self.open_ticket()
        self.log_time(ticket, 1)
        self.close(ticket)
        line = ticket.usage_ids
        with self.assertRefused(UserError, "never edited"):
            line.write({"quantity": 0.5})
        with self.assertRefused(UserError, "never deleted"):
            line.unlink()
        self.assertEqual(line.quantity, 1)

    def test_work_in_progress_and_ledger_value_hours_alike(self):
        """A money allowance without a rate of its own values hours at the
        company's rate, in the work in progress as in the ledger."""
        self.env.company.service_hourly_rate = 50
        money = self.create_contract(
            allowance_type="amount", allowance_qty=500, hourly_rate=0
        )
        ticket = self.open_ticket()
        self.log_time(ticket, 2)
        self.assertEqual(money.in_progress_qty, 100)
        self.close(ticket)
        self.assertEqual(money.in_progress_qty, 0)
        self.assertEqual(money.consumed_qty, 100)
        self.assertEqual(ticket.usage_ids.amount, 100)

    def test_out_of_contract_and_separately_billed_work(self):
        self.env.company.service_hourly_rate = 120
        stranger = self.env["res.partner"].create(
            {"name": "Walk-in Ltd", "is_company": True}
        )
        ticket = self.open_ticket(partner=stranger)
        self.assertFalse(ticket.contract_id)
        self.assertEqual(ticket.billing_mode, "invoice")
        self.log_time(ticket, 1.5)
        self.close(ticket)
        line = ticket.usage_ids
        self.assertFalse(line.contract_id)
        self.assertTrue(line.is_billable)
        self.assertEqual(
            (line.hours, line.amount, line.partner_id), (1.5, 180.0, stranger)
        )

        contract = self.create_contract(hourly_rate=90)
        billed = self.open_ticket(billing_mode="invoice")
        self.assertEqual(billed.contract_id, contract)
        self.log_time(billed, 2)
        self.close(billed)
        self.assertFalse(billed.usage_ids.contract_id)
        self.assertEqual(billed.usage_ids.amount, 180.0)
        self.assertEqual(contract.consumed_qty, 0)

        free = self.open_ticket(billing_mode="none")
        self.log_time(free, 3)
        self.close(free)
        self.assertFalse(free.usage_ids)

    def test_closing_a_contract_ticket_without_contract_is_refused(self):
        stranger = self.env["res.partner"].create(
            {"name": "Walk-in Ltd", "is_company": True}
        )
        ticket = self.open_ticket(partner=stranger, billing_mode="contract")
        self.log_time(ticket, 1)
        with self.assertRefused(UserError, "counts against a contract but has none"):
            self.close(ticket)
        self.assertFalse(ticket.usage_ids)
        self.assertFalse(ticket.stage_id.closed)
