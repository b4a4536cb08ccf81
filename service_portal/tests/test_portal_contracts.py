import re

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalContracts(ServicePortalCase):
    def test_home_counts_own_contracts(self):
        self.create_contract(name="Acme draft offer", activate=False)
        self.login(self.alice)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["service_contract_count"]}
        )
        self.assertEqual(counters["service_contract_count"], 1)
        self.assertIn('href="/my/contracts"', self.url_open("/my").text)

    def test_list_shows_own_contracts_only(self):
        self.create_contract(name="Acme draft offer", activate=False)
        self.login(self.alice)
        page = self.url_open("/my/contracts").text
        self.assertIn("Acme support bag", page)
        self.assertIn(self.contract.code, page)
        self.assertIn("100.00 h left", page)
        self.assertNotIn("Globex secret plan", page)
        self.assertNotIn("Acme draft offer", page)

    def test_list_filters_and_search(self):
        expired = self.create_contract(
            name="Acme old bag",
            date_start=self.today - relativedelta(years=2),
            date_end=self.today - relativedelta(years=1),
        )
        expired.state = "expired"
        self.login(self.alice)
        active_page = self.url_open("/my/contracts?filterby=active").text
        self.assertIn("Acme support bag", active_page)
        self.assertNotIn("Acme old bag", active_page)
        expired_page = self.url_open("/my/contracts?filterby=expired").text
        self.assertIn("Acme old bag", expired_page)
        self.assertNotIn("Acme support bag", expired_page)
        found = self.url_open("/my/contracts?search=old&search_in=name").text
        self.assertIn("Acme old bag", found)
        self.assertNotIn("Acme support bag", found)
        # Pages past the end show the last one, as in the other portal lists.
        self.assertIn("Acme support bag", self.url_open("/my/contracts/page/2").text)
        # A sort or filter the list does not offer is a bad request.
        self.assertEqual(
            self.url_open("/my/contracts?sortby=x&filterby=y").status_code, 400
        )

    def test_contract_page_counts_open_and_closed_tickets(self):
        for index in range(5):
            ticket = self.open_ticket(name=f"Request {index}")
            if index >= 2:
                self.close(ticket)
        self.open_ticket(name="Outside the contract", contract_id=False)
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{self.contract.id}").text
        counts = {
            section: re.search(
                rf'id="{section}".*?text-bg-light">(\d+)<', page, re.S
            ).group(1)
            for section in ("contract_open_tickets", "contract_closed_tickets")
        }
        self.assertEqual(
            counts, {"contract_open_tickets": "2", "contract_closed_tickets": "3"}
        )

    def test_contract_page(self):
        ticket = self.open_ticket(name="Printer on fire")
        self.log_time(ticket, 2.5)
        self.close(ticket)
        running = self.open_ticket(name="Scanner jammed")
        self.log_time(running, 1.0)
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{self.contract.id}").text
        self.assertIn("Acme support bag", page)
        self.assertIn("97.50 h left", page)  # 100 h minus the closed ticket
        self.assertIn("2.50 h used", page)
        self.assertIn("1.00 h", page)  # in progress
        self.assertIn("Printer on fire", page)
        self.assertIn("Scanner jammed", page)
        self.assertIn("o_service_portal_chart", page)
        self.assertIn(f"/new/ticket?contract={self.contract.id}", page)
        self.assertIn("/usage.csv", page)
        self.assertIn("/contract.pdf", page)
        self.assertIn('class="o_portal_submenu breadcrumb', page)
        self.assertIn('href="/my/contracts"', page)  # breadcrumb back to the list
        self.assertIn("o_portal_chatter", page)

    def test_contract_page_periods_and_payment(self):
        contract = self.create_contract(
            name="Acme monthly",
            allowance_scope="period",
            allowance_qty=10,
            period_type="monthly",
            period_amount=900,
            date_start=self.today.replace(day=1) - relativedelta(months=2),
            date_end=self.today.replace(day=1) + relativedelta(months=10, days=-1),
        )
        first, second = contract.period_ids.sorted("date_start")[:2]
        first.is_paid = True
        self.login(self.alice)
        page = self.url_open(f"/my/contracts/{contract.id}").text
        self.assertIn("Service Periods", page)
        self.assertIn("Paid", page)
        self.assertIn("Overdue" if second.is_overdue else "To pay", page)
        self.assertIn("Upcoming", page)

    def test_other_customer_contract_not_found(self):
        self.login(self.alice)
        for url in (
            f"/my/contracts/{self.other_contract.id}",
            f"/my/contracts/{self.other_contract.id}/usage.csv",
            f"/my/contracts/{self.other_contract.id}/usage.pdf",
            f"/my/contracts/{self.other_contract.id}/contract.pdf",
            "/my/contracts/999999999",
        ):
            response = self.assertNotFound(url)
            self.assertNotIn("Globex secret plan", response.text)

    def test_draft_contract_not_shown(self):
        draft = self.create_contract(name="Acme draft offer", activate=False)
        self.login(self.alice)
        self.assertNotFound(f"/my/contracts/{draft.id}")

    def test_contract_restricted_to_authorized_contacts(self):
        restricted = self.create_contract(
            name="Acme board support",
            portal_visibility="authorized",
            authorized_partner_ids=[self.other_contact.id],
        )
        self.login(self.alice)
        self.assertNotIn("Acme board support", self.url_open("/my/contracts").text)
        self.assertNotFound(f"/my/contracts/{restricted.id}")
        self.login(self.bob)
        self.assertIn("Acme board support", self.url_open("/my/contracts").text)
        self.assertEqual(
            self.url_open(f"/my/contracts/{restricted.id}").status_code, 200
        )

    def test_anonymous_redirected_to_login(self):
        for url in (
            "/my/contracts",
            f"/my/contracts/{self.contract.id}",
            f"/my/contracts/{self.contract.id}/usage.csv",
            f"/my/contracts/{self.contract.id}/usage.pdf",
            f"/my/contracts/{self.contract.id}/contract.pdf",
            "/new/ticket",
        ):
            self.assertLoginRedirect(url)
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/my/contracts/coverage", {"contract_id": self.contract.id}
            )
        self.assertIn("SessionExpired", str(caught.exception))

    def test_downloads(self):
        ticket = self.open_ticket(name="Printer on fire")
        self.log_time(ticket, 2.5)
        self.close(ticket)
        running = self.open_ticket(name="Scanner jammed")
        self.log_time(running, 1.0)
        self.login(self.alice)
        base = f"/my/contracts/{self.contract.id}"
        csv = self.url_open(f"{base}/usage.csv")
        self.assertEqual(csv.status_code, 200)
        self.assertIn("text/csv", csv.headers["Content-Type"])
        self.assertIn("attachment", csv.headers["Content-Disposition"])
        self.assertIn(ticket.number, csv.text)
        self.assertIn(running.number, csv.text)
        self.assertIn("2.5", csv.text)
        # Reports render as HTML in test mode.
        usage_pdf = self.url_open(
            f"{base}/usage.pdf?date_from={self.contract.date_start}"
        )
        self.assertEqual(usage_pdf.status_code, 200)
        self.assertIn(ticket.number, usage_pdf.text)
        contract_pdf = self.url_open(f"{base}/contract.pdf")
        self.assertEqual(contract_pdf.status_code, 200)
        self.assertIn("Acme support bag", contract_pdf.text)
        self.assertEqual(
            self.url_open(f"{base}/usage.csv?date_from=garbage").status_code, 400
        )
        self.assertEqual(
            self.url_open(
                f"{base}/usage.csv?date_from={self.today}&date_to=2000-01-01"
            ).status_code,
            400,
        )

    def test_message_thread(self):
        self.login(self.alice)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.contract",
                "thread_id": self.contract.id,
                "post_data": {
                    "body": "Can we add ten hours?",
                    "message_type": "comment",
                },
            },
        )
        self.assertIn(
            "Can we add ten hours?", self.contract.message_ids.mapped("body")[0]
        )
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "service.contract",
                    "thread_id": self.other_contract.id,
                    "post_data": {"body": "Let me in", "message_type": "comment"},
                },
            )
        self.assertNotIn(
            "Let me in", "".join(self.other_contract.message_ids.mapped("body"))
        )

    def test_access_url(self):
        self.assertEqual(self.contract.access_url, f"/my/contracts/{self.contract.id}")
