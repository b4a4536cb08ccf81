from dateutil.relativedelta import relativedelta

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.service_contract.tests.common import ServiceContractCase


class BillingCase(ServiceContractCase, AccountTestInvoicingCommon):
    """The contract test set-up in a company of its own with a chart of
    accounts, and helpers to bill and pay."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | (
            cls.env.ref("helpdesk_mgmt.group_helpdesk_manager")
            | cls.env.ref("hr_timesheet.group_hr_timesheet_user")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.service_hourly_rate = 60
        cls.fee_product = cls.env.ref("service_billing.product_service_fee")
        cls.hours_product = cls.env.ref("service_billing.product_service_hours")
        cls.this_month = cls.today + relativedelta(day=1)

    @classmethod
    def create_fee_contract(cls, payment_mode="prepaid", amount=500, **values):
        """A contract of monthly periods from the start of last month, for a
        year."""
        vals = {
            "name": "Monthly fee",
            "allowance_type": "time",
            "allowance_qty": 0,
            "date_start": cls.this_month - relativedelta(months=1),
            "date_end": cls.this_month + relativedelta(months=11, days=-1),
            "period_type": "monthly",
            "payment_mode": payment_mode,
            "period_amount": amount,
        }
        vals.update(values)
        contract = cls.create_contract(activate=False, **vals)
        if not contract.period_ids:
            contract.action_generate_periods()
        contract.action_activate()
        return contract

    @classmethod
    def create_customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name[:4].lower()}@example.com",
            }
            | values
        )

    def run_billing(self, date=None, **values):
        run = self.env["service.billing.run"].create(
            {"date": date or self.today} | values
        )
        run.action_preview()
        return run

    def current_period(self, contract):
        return contract.period_ids.filtered(
            lambda p: p.date_start <= self.today <= p.date_end
        )

    def pay(self, invoices):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({})._create_payments()

    def closed_ticket(self, hours, partner=None, charges=(), **values):
        """A ticket with ``hours`` logged and ``charges`` ([(product, qty,
        price)]), closed."""
        ticket = self.open_ticket(partner, **values)
        if hours:
            self.log_time(ticket, hours)
        if charges:
            ticket.charge_ids = [
                Command.create(
                    {"product_id": product.id, "quantity": qty, "price_unit": price}
                )
                for product, qty, price in charges
            ]
        self.close(ticket)
        return ticket

    def line_values(self, invoice, *fields):
        lines = invoice.invoice_line_ids.sorted("sequence")
        return [tuple(line[f] for f in fields) for line in lines]
