from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.service_billing.tests.common import BillingCase

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalInvoices(ServicePortalCase, BillingCase):
    """Service periods invoiced by billing runs, seen from the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee_contract = cls.create_fee_contract(name="Acme monthly fee")
        cls.globex_contract = cls.create_fee_contract(
            name="Globex monthly fee", partner_id=cls.other_customer.id
        )

    def post_billing(self):
        run = self.run_billing()
        run.action_post()
        return run.invoice_ids

    def test_periods_link_their_invoices(self):
        drafts = self.run_billing().invoice_ids
        own = drafts.filtered(lambda m: m.partner_id == self.customer)
        globex = drafts - own
        self.assertTrue(own and globex)
        self.login(self.alice)
        url = f"/my/contracts/{self.fee_contract.id}"
        self.assertNotIn("contract_invoices", self.url_open(url).text)
        drafts.action_post()
        first_period = self.fee_contract.period_ids.sorted("date_start")[0]
        self.pay(first_period.invoice_id)
        self.assertTrue(first_period.is_paid)
        page = self.url_open(url).text
        self.assertIn('id="contract_invoices"', page)
        for invoice in own:
            self.assertIn(f'href="/my/invoices/{invoice.id}"', page)
        self.assertIn("Paid", page)
        for invoice in globex:
            self.assertNotIn(f"/my/invoices/{invoice.id}", page)
            self.assertNotIn(invoice.name, page)

    def test_invoices_of_another_customer_refused_over_rpc(self):
        invoices = self.post_billing()
        own = invoices.filtered(lambda m: m.partner_id == self.customer)
        globex = invoices - own
        self.assertTrue(own and globex)
        self.login(self.alice)
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/account.move/search_read",
            {
                "model": "account.move",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["id"]},
            },
        )
        self.assertEqual({r["id"] for r in found}, set(own.ids))
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/account.move/read",
                {
                    "model": "account.move",
                    "method": "read",
                    "args": [globex.ids, ["name"]],
                    "kwargs": {},
                },
            )

    def test_profitability_stays_internal(self):
        self.post_billing()
        self.login(self.alice)
        for field in ("margin", "cost", "revenue", "invoice_ids"):
            with self.assertRaises(JsonRpcException, msg=field):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/service.contract/read",
                    {
                        "model": "service.contract",
                        "method": "read",
                        "args": [self.fee_contract.ids, [field]],
                        "kwargs": {},
                    },
                )

    def test_suspended_service_is_announced(self):
        unpaid = self.post_billing().filtered(lambda m: m.partner_id == self.customer)[
            :1
        ]
        self.fee_contract.suspension_invoice_ids = [Command.link(unpaid.id)]
        self.assertTrue(self.fee_contract.is_suspended)
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{self.fee_contract.id}").text
        self.assertIn('name="contract_suspended"', page)
        self.assertIn(unpaid.name, page)
        coverage = self.make_jsonrpc_request(
            "/my/contracts/coverage", {"contract_id": self.fee_contract.id}
        )
        self.assertIn("is suspended until invoice", coverage["message"])
