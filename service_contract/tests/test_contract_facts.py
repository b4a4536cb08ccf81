from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import Form, tagged

from ..models.service_contract_consumption import CONSUMPTION_FIELDS
from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestContractFacts(ServiceContractCase):
    """Facts are stored, the figures of today computed when read: nothing
    stored depends on the day, closed tickets keep the coverage they closed
    with, and no scheduled action rewrites figures."""

    def on_day(self, day):
        """The clock on ``day``, read by a new request (nothing computed on
        another day is kept)."""
        self.env.flush_all()
        self.env.invalidate_all()
        return freeze_time(day)

    def closed_tickets(self, count, hours=0.25):
        tickets = self.env["helpdesk.ticket"]
        for _index in range(count):
            ticket = self.open_ticket()
            self.log_time(ticket, hours)
            self.close(ticket)
            tickets |= ticket
        return tickets

    def queries_to_close(self, ticket):
        """The queries of closing ``ticket`` from a request of its own."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.close(ticket)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_closing_a_ticket_leaves_the_closed_tickets_alone(self):
        self.create_contract()
        few = self.closed_tickets(2)
        first, second, third = (
            self.open_ticket(),
            self.open_ticket(),
            self.open_ticket(),
        )
        for ticket in first | second | third:
            self.log_time(ticket, 1)
        self.queries_to_close(self.open_ticket())  # the first of its kind
        with_few = self.queries_to_close(first)
        many = self.closed_tickets(30)
        self.env.flush_all()
        self.env.invalidate_all()
        stamps = {ticket: ticket.write_date for ticket in few | many}
        self.close(second)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            {t: t.write_date for t in few | many},
            stamps,
            "no closed ticket of the contract is computed again",
        )
        self.assertEqual(
            self.queries_to_close(third),
            with_few,
            "closing a ticket costs the same with 2 or 32 closed tickets",
        )

    def test_a_closed_ticket_keeps_the_warning_it_closed_with(self):
        contract = self.create_contract(
            date_start=self.today - relativedelta(months=1),
            period_type="monthly",
            payment_mode="prepaid",
        )
        contract.action_generate_periods()
        ticket = self.open_ticket()
        self.assertIn("not paid", ticket.coverage_warning)
        self.close(ticket)
        contract.period_ids.write({"is_paid": True})
        still_open = self.open_ticket()
        self.assertFalse(still_open.coverage_warning)
        self.assertIn("not paid", ticket.coverage_warning)
        self.assertEqual(ticket.coverage_badge, "unpaid")
        Ticket = self.env["helpdesk.ticket"]
        doubtful = Ticket.search([("coverage_doubtful", "=", True)])
        self.assertIn(ticket, doubtful)
        self.assertNotIn(still_open, doubtful)
        self.assertIn(still_open, Ticket.search([("coverage_doubtful", "=", False)]))
        self.assertIn(ticket, Ticket.search([("coverage_badge", "=", "unpaid")]))
        # Reopened, it is covered as any open ticket is, today.
        self.reopen(ticket)
        self.assertFalse(ticket.coverage_warning)

    def test_figures_of_today_on_any_day(self):
        """A monthly allowance: the figures of the current period on each
        day, from what each period consumed (stored on the period)."""
        start = self.today - relativedelta(months=1)
        contract = self.create_contract(
            allowance_qty=10,
            allowance_scope="period",
            period_type="monthly",
            date_start=start,
            date_end=start + relativedelta(months=6, days=-1),
            rollover_percent=50,
        )
        first, second, third = contract.period_ids.sorted("date_start")[:3]
        with self.on_day(first.date_end):
            ticket = self.open_ticket()
            self.log_time(ticket, 4)
            self.close(ticket)
            self.assertEqual(first.consumed_qty, 4)
            self.assertEqual(contract.consumed_qty, 4)
            self.assertEqual(contract.remaining_qty, 6)
            self.assertEqual(first.state, "current")
        for day in (second.date_start, second.date_end):
            with self.on_day(day):
                self.assertEqual(contract.current_period_id, second)
                self.assertEqual(contract.allowance_total_qty, 13)
                self.assertEqual(contract.consumed_qty, 0)
                self.assertEqual(first.state, "closed")
                self.assertIn(
                    contract,
                    self.env["service.contract"].search(
                        [("remaining_qty", "=", 13), ("id", "=", contract.id)]
                    ),
                )
        with self.on_day(third.date_start):
            self.assertEqual(contract.allowance_total_qty, 15)
        with self.on_day(first.date_start):
            self.assertEqual(contract.consumed_qty, 4)
            self.assertEqual(contract.consumed_percent, 40)

    def test_a_contract_being_written_shows_its_figures(self):
        with Form(self.env["service.contract"]) as form:
            form.name = "Bag of hours"
            form.partner_id = self.customer
            form.allowance_qty = 20
            self.assertEqual(form.remaining_qty, 20)
        self.assertEqual(form.record.remaining_qty, 20)

    def test_no_figure_is_stored_and_no_cron_rewrites_figures(self):
        Contract = self.env["service.contract"]
        Ticket = self.env["helpdesk.ticket"]
        stored = [
            name
            for model, names in (
                (Contract, CONSUMPTION_FIELDS),
                (Ticket, ("coverage_warning", "coverage_doubtful", "coverage_badge")),
            )
            for name in names
            if model._fields[name].store
        ]
        self.assertFalse(stored, "figures of today are computed when read")
        self.assertFalse(
            self.env.ref(
                "service_contract.ir_cron_ticket_coverage", raise_if_not_found=False
            )
        )
        contract = self.create_contract(allowance_scope="period", period_type="monthly")
        ticket = self.open_ticket()
        self.env.flush_all()
        self.env.invalidate_all()
        stamps = (contract.write_date, ticket.write_date)
        with self.on_day(self.today + relativedelta(months=1)):
            Contract._cron_contract_alerts()
            Contract._cron_expire_contracts()
            self.env.flush_all()
            self.env.invalidate_all()
            self.assertEqual((contract.write_date, ticket.write_date), stamps)

    def test_timesheets_that_count_hook(self):
        """By default every timesheet line of a ticket counts, in the work
        in progress and in the ledger alike; the hook narrows both."""
        Usage = type(self.env["service.contract.usage"])
        self.assertEqual(
            self.env["service.contract.usage"]._counted_timesheet_domain(), []
        )
        contract = self.create_contract()
        ticket = self.open_ticket()
        self.log_time(ticket, 1)
        self.log_time(ticket, 2, user=self.manager)
        self.assertEqual(contract.in_progress_qty, 3)
        only_managers = [("user_id", "=", self.manager.id)]
        with patch.object(
            Usage, "_counted_timesheet_domain", lambda self: only_managers
        ):
            contract.invalidate_recordset(["in_progress_qty"])
            self.assertEqual(contract.in_progress_qty, 2)
            self.close(ticket)
        self.assertEqual(ticket.usage_ids.hours, 2)
        self.assertEqual(contract.consumed_qty, 2)

    def test_choice_among_applicable_contracts_hook(self):
        """By default: a contract listing the equipment first, then the
        first covering the request in draw order, then the first the
        contact may use; never one the contact is not authorized on."""
        network = self.env["helpdesk.ticket.category"].create({"name": "Network"})
        printers = self.env["helpdesk.ticket.category"].create({"name": "Printers"})
        machine = self.env["service.equipment"].create(
            {"name": "Plotter", "partner_id": self.customer.id}
        )
        general = self.create_contract(name="Network", sequence=1)
        general.category_ids = network
        listing = self.create_contract(name="Plotter care", sequence=5)
        listing.equipment_ids = machine
        others = self.create_contract(name="Bob only", sequence=0)
        others.authorized_partner_ids = self.other_contact
        stack = self.env["service.contract"]._applicable_contracts_by_partner(
            self.customer, self.today
        )[self.customer.id]
        self.assertEqual(stack.ids, [others.id, general.id, listing.id])
        choose = stack._choose_for_ticket
        Category = self.env["helpdesk.ticket.category"]
        self.assertEqual(choose(self.contact, network, machine), listing)
        self.assertEqual(choose(self.contact, printers, machine.browse()), listing)
        self.assertEqual(choose(self.contact, network, machine.browse()), general)
        self.assertEqual(choose(self.other_contact, Category, machine.browse()), others)
        self.assertFalse(stack.browse()._choose_for_ticket(self.contact, network, None))
        self.assertEqual(self.open_ticket(equipment_id=machine.id).contract_id, listing)

    def test_period_values_hook(self):
        contract = self.create_contract(
            period_amount=300, payment_mode="postpaid", reminder_days=5
        )
        start = contract.date_start
        end = start + relativedelta(months=1, days=-1)
        self.assertEqual(
            contract._prepare_period_vals(start, end),
            {
                "contract_id": contract.id,
                "date_start": start,
                "date_end": end,
                "amount": 300,
                "payment_mode": "postpaid",
                "reminder_date": end - relativedelta(days=5),
            },
        )
