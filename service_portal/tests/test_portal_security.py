from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalRpc(ServicePortalCase):
    """What a portal user reaches through JSON-RPC, bypassing every page:
    record rules alone decide."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for contract in cls.contract | cls.other_contract:
            contract.write({"period_type": "monthly", "period_amount": 100})
            contract.action_generate_periods()
        cls.ticket = cls._closed_ticket_with_usage(cls.contact)
        cls.other_ticket = cls._closed_ticket_with_usage(cls.gina_contact)
        # Work outside any contract: billable usage lines of the customer.
        cls.extra_ticket = cls._closed_ticket_with_usage(
            cls.contact, billing_mode="invoice"
        )
        cls.other_extra_ticket = cls._closed_ticket_with_usage(
            cls.gina_contact, billing_mode="invoice"
        )

    @classmethod
    def _closed_ticket_with_usage(cls, partner, **values):
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": f"Work for {partner.name}",
                "description": "<p>Work</p>",
                "partner_id": partner.id,
                "team_id": cls.team.id,
                "project_id": cls.project.id,
                **values,
            }
        )
        cls.env["account.analytic.line"].create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": cls.project.id,
                "unit_amount": 1.5,
                "user_id": cls.technician.id,
            }
        )
        ticket.stage_id = cls.stage_done
        return ticket

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_search_read_returns_own_records_only(self):
        self.login(self.alice)
        own = {
            "service.contract": self.contract,
            "service.contract.period": self.contract.period_ids,
            "service.contract.usage": (self.ticket | self.extra_ticket).usage_ids,
            "helpdesk.ticket": self.ticket | self.extra_ticket,
        }
        self.assertFalse(self.extra_ticket.usage_ids.contract_id)
        for model, records in own.items():
            found = self.rpc(model, "search_read", [], fields=["id"])
            self.assertEqual({r["id"] for r in found}, set(records.ids), model)

    def test_reading_another_customer_is_refused(self):
        self.assertTrue(self.other_ticket.usage_ids)
        self.login(self.alice)
        other = {
            "service.contract": self.other_contract,
            "service.contract.period": self.other_contract.period_ids[:1],
            "service.contract.usage": self.other_ticket.usage_ids[:1],
            "service.contract.usage (no contract)": self.other_extra_ticket.usage_ids,
            "helpdesk.ticket": self.other_ticket,
        }
        for label, record in other.items():
            with self.assertRaises(JsonRpcException, msg=label) as caught:
                self.rpc(record._name, "read", record.ids, ["display_name"])
            self.assertIn("AccessError", str(caught.exception), label)

    def test_no_write_access(self):
        self.login(self.alice)
        with self.assertRaises(JsonRpcException):
            self.rpc(
                "service.contract", "write", self.contract.ids, {"allowance_qty": 1000}
            )
        with self.assertRaises(JsonRpcException):
            self.rpc(
                "service.contract.period",
                "write",
                self.contract.period_ids[:1].ids,
                {"is_paid": True},
            )
        self.assertEqual(self.contract.allowance_qty, 100)

    def test_restricted_contract_hidden_with_its_records(self):
        self.contract.write(
            {
                "portal_visibility": "authorized",
                "authorized_partner_ids": [self.other_contact.id],
            }
        )
        self.login(self.alice)
        self.assertFalse(self.rpc("service.contract", "search_read", [], fields=["id"]))
        self.assertFalse(
            self.rpc("service.contract.period", "search_read", [], fields=["id"])
        )
        # Her own work outside any contract remains hers to see.
        self.assertEqual(
            [r["id"] for r in self.rpc("service.contract.usage", "search_read", [])],
            self.extra_ticket.usage_ids.ids,
        )
        self.login(self.bob)
        self.assertEqual(
            [
                r["id"]
                for r in self.rpc("service.contract", "search_read", [], fields=["id"])
            ],
            self.contract.ids,
        )
