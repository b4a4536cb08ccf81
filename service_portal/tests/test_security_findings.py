import csv
import io
import zipfile
from xmlrpc.client import Fault

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .security_common import SecurityCase


@tagged("post_install", "-at_install")
class TestSecurityFindings(SecurityCase):
    """Each attack of the security probe, played again: every one must be
    refused."""

    def hide_contract_from_alice(self):
        """Acme's contract visible to, and usable by, Bob only."""
        self.contract.write(
            {
                "portal_visibility": "authorized",
                "authorized_partner_ids": [Command.set(self.other_contact.ids)],
            }
        )

    # 1. Portal intake under a contract the contact may not use
    def test_unauthorized_contact_cannot_draw_on_a_hidden_contract(self):
        self.hide_contract_from_alice()
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertNotIn(self.contract.code, page)
        self.assertNotIn("Bob Acme", page)
        self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self.csrf(),
                "subject": "Sneaky request",
                "description": "On Bob's contract, please.",
            },
        )
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Sneaky request")])
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.contract_id, "no contract Alice may not use")
        self.assertNotIn(ticket, self.contract.ticket_ids)
        self.assertNotIn(
            self.contract.code, self.url_open(f"/my/ticket/{ticket.id}").text
        )

    def test_tickets_never_fall_under_a_contract_of_other_contacts(self):
        self.contract.authorized_partner_ids = self.other_contact
        self.assertFalse(self.open_ticket(partner=self.contact).contract_id)
        self.assertEqual(
            self.open_ticket(partner=self.other_contact).contract_id, self.contract
        )

    # 2. A ticket under another customer's contract
    def test_ticket_contract_belongs_to_the_ticket_customer(self):
        pattern = "cannot be under contract"
        with self.assertRaisesRegex(Fault, pattern):
            self.xmlrpc(
                self.pat,
                "pat-pass",
                "helpdesk.ticket",
                "write",
                self.pat_ticket.ids,
                {"contract_id": self.other_contract.id},
            )
        self.assertEqual(self.pat_ticket.contract_id, self.contract)
        with self.assertRaisesRegex(ValidationError, pattern):
            self.pat_ticket.write({"partner_id": self.gina_contact.id})
        with self.assertRaisesRegex(ValidationError, pattern):
            self.open_ticket(contract_id=self.other_contract.id)
        ticket = self.open_ticket()
        with self.assertRaisesRegex(ValidationError, pattern):
            ticket.write({"contract_id": self.other_contract.id})

    # 3. Revenue, cost and margin
    def test_profitability_for_contract_managers_and_accountants_only(self):
        self.login(self.pat)
        for field in ("revenue", "cost", "margin", "margin_percent"):
            with self.assertRaises(JsonRpcException, msg=field) as caught:
                self.rpc("service.contract", "read", self.contract.ids, [field])
            self.assertIn("AccessError", str(caught.exception), field)
        accountant = new_test_user(
            self.env,
            login="accountant",
            groups="service_contract.group_service_contract_user,"
            "account.group_account_invoice",
        )
        for user in (self.manager, accountant):
            self.assertEqual(self.contract.with_user(user).margin, 0.0)

    # 4. The SLA compliance report
    def test_sla_report_names_only_tickets_the_user_may_open(self):
        Report = self.env["service.sla.report"]
        self.assertLessEqual(
            self.pat_ticket | self.other_ticket, Report.search([]).ticket_id
        )
        self.login(self.pat)
        rows = self.rpc(
            "service.sla.report",
            "search_read",
            [],
            fields=["ticket_id", "partner_id", "user_id"],
        )
        self.assertEqual([row["ticket_id"][0] for row in rows], self.pat_ticket.ids)
        self.assertNoSecret(str(rows))
        groups = self.rpc(
            "service.sla.report",
            "read_group",
            [],
            ["response_met_percent:avg"],
            ["ticket_id"],
        )
        self.assertNoSecret(str(groups))

    # 5. Billable charges on another customer's ticket
    def test_charges_only_on_tickets_the_user_may_open(self):
        self.login(self.pat)
        with self.assertRaises(JsonRpcException) as caught:
            self.rpc(
                "helpdesk.ticket.charge",
                "create",
                {"ticket_id": self.other_ticket.id, "product_id": self.part.id},
            )
        self.assertIn("AccessError", str(caught.exception))
        self.assertEqual(len(self.other_ticket.charge_ids), 1)
        charges = self.rpc("helpdesk.ticket.charge", "search_read", [], fields=[])
        self.assertFalse(charges)
        self.assertNoSecret(str(charges))
        self.rpc(
            "helpdesk.ticket.charge",
            "create",
            {"ticket_id": self.pat_ticket.id, "product_id": self.part.id},
        )
        self.assertEqual(self.pat_ticket.charge_ids.product_id, self.part)

    # 6. A restricted contract named to the customer's other contacts
    def test_restricted_contract_not_named_to_other_contacts(self):
        self.hide_contract_from_alice()
        ticket = self.open_ticket(contract_id=self.contract.id, name="Board PC")
        self.login(self.alice)
        for url in ("/my/tickets", f"/my/ticket/{ticket.id}"):
            page = self.url_open(url).text
            self.assertIn("Board PC", page, url)
            self.assertNotIn(self.contract.code, page, url)
        read = self.rpc(
            "helpdesk.ticket",
            "read",
            ticket.ids,
            ["contract_id", "contract_remaining_qty", "display_name"],
        )
        groups = self.rpc(
            "helpdesk.ticket", "read_group", [], ["name:count"], ["contract_id"]
        )
        for answer in (str(read), str(groups)):
            self.assertNotIn(self.contract.code, answer)
            self.assertNotIn(self.contract.name, answer)
        self.assertFalse(read[0]["contract_remaining_qty"])
        with self.assertRaises(JsonRpcException):
            self.rpc("helpdesk.ticket", "read", ticket.ids, ["coverage_warning"])
        # Bob, who may read it, still sees it named.
        self.login(self.bob)
        self.assertIn(self.contract.code, self.url_open("/my/tickets").text)

    # 7. Formula injection in the usage exports
    def test_usage_exports_neutralise_formulas(self):
        titles = ["=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "\rReturn"]
        for title in titles:
            ticket = self.open_ticket(name=title)
            self.log_time(ticket, 1)
            self.close(ticket)
        self.login(self.alice)
        response = self.url_open(f"/my/contracts/{self.contract.id}/usage.csv")
        self.assertEqual(response.status_code, 200)
        cells = {cell for row in csv.reader(io.StringIO(response.text)) for cell in row}
        for title in titles:
            self.assertIn(f"'{title}", cells)
            self.assertNotIn(title, cells)
        report = self.env["service.contract.usage.report"].create(
            {"contract_id": self.contract.id}
        )
        xlsx = report._render_xlsx(report._report_data())
        with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
        self.assertNotRegex(sheet, r"<f>|<f ", "no cell is a formula")
        self.assertIn("=1+1", strings)
        self.assertIn("@SUM(A1)", strings)

    # 8. Server errors on odd input
    def test_odd_input_is_a_client_error(self):
        self.login(self.alice)
        huge = "99999999999999999999"
        for url in (
            f"/my/contracts/{huge}",
            f"/my/contracts/{huge}/contract.pdf",
            f"/my/contracts/{huge}/usage.csv",
            f"/my/ticket/{huge}",
            "/my/tickets?sortby=nonsense",
            "/my/tickets?groupby=nonsense",
            "/my/tickets?search_in=nonsense&search=x",
            "/my/tickets?date_begin=garbage&date_end=garbage",
            "/my/contracts?sortby=nonsense",
            f"/new/ticket?contract={huge}",
        ):
            status = self.url_open(url, allow_redirects=False).status_code
            self.assertTrue(400 <= status < 500, f"{url}: {status}")
        for url, data in (
            ("/ticket/close", {"ticket_id": huge, "stage_id": "1"}),
            ("/ticket/close", {"ticket_id": "1", "stage_id": "abc"}),
            ("/submitted/ticket", {"subject": "x", "category": "abc"}),
            ("/submitted/ticket", {"subject": "x", "category": huge}),
            ("/submitted/ticket", {"subject": "x", "team": "abc"}),
        ):
            response = self.url_open(
                url, data=dict(data, csrf_token=self.csrf()), allow_redirects=False
            )
            self.assertTrue(
                400 <= response.status_code < 500, f"{url} {data}: {response}"
            )
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "x")]),
            "no ticket from a refused request",
        )
