from odoo import http
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalTicketIntake(ServicePortalCase):
    def submit(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "Router down",
            "description": "Nothing works since this morning.",
        }
        data.update(values)
        return self.url_open("/submitted/ticket", data=data)

    def new_tickets(self):
        return self.env["helpdesk.ticket"].search([("name", "=", "Router down")])

    def test_form_preselects_the_only_contract_and_shows_coverage(self):
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertRegex(page, f'<option value="{self.contract.id}" selected')
        self.assertIn("Covered by", page)
        self.assertIn("100.00 h remaining", page)
        self.assertNotIn("Globex", page)

    def test_submit_opens_ticket_on_contract(self):
        self.login(self.alice)
        response = self.submit(contract=self.contract.id)
        ticket = self.new_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.url.endswith(f"/my/ticket/{ticket.id}"))
        self.assertEqual(ticket.contract_id, self.contract)
        self.assertEqual(ticket.partner_id, self.contact)
        self.assertEqual(ticket.user_id, self.manager)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.project_id, self.project)
        self.assertEqual(ticket.billing_mode, "contract")

    def test_account_manager_assignment_mail_is_queued(self):
        """The customer does not wait for the mail server: the account
        manager's "assigned" e-mail is left to the mail queue, not sent at
        the end of the customer's request, and the queue's job is called."""
        sent_with_request = self.env["mail.mail"]
        MailMail = type(self.env["mail.mail"])

        def send_after_commit(mails):
            nonlocal sent_with_request
            sent_with_request |= mails

        self.patch(MailMail, "send_after_commit", send_after_commit)
        queue_job = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.env["ir.cron.trigger"].search([("cron_id", "=", queue_job.id)]).unlink()
        self.login(self.alice)
        self.submit(contract=self.contract.id)
        ticket = self.new_tickets()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", self.manager.partner_id.ids),
            ]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("You have been assigned", mails.subject)
        self.assertEqual(mails.state, "outgoing")
        self.assertFalse(sent_with_request)
        # the mail queue's job is woken up for it, not left to its next hour
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", queue_job.id)])
        )

    def test_exhausted_allowance_warns_before_submitting(self):
        ticket = self.open_ticket()
        self.log_time(ticket, 100)
        self.close(ticket)
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertIn("alert-warning", page)
        self.assertIn("is used up: the work will be billed as overage", page)
        self.submit(contract=self.contract.id)
        self.assertTrue(self.new_tickets().coverage_doubtful)

    def test_blocked_contract_refuses_the_request(self):
        self.contract.enforcement = "block"
        ticket = self.open_ticket()
        self.log_time(ticket, 100)
        self.close(ticket)
        self.login(self.alice)
        self.assertIn("alert-danger", self.url_open("/new/ticket").text)
        response = self.submit(contract=self.contract.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("cannot be accepted", response.text)
        self.assertIn('value="Router down"', response.text)  # the form is kept
        self.assertFalse(self.new_tickets())

    def test_several_contracts_ask_for_a_choice(self):
        second = self.create_contract(name="Acme printers")
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertIn("Choose the contract of this request", page)
        self.assertNotIn(
            "selected", page.split('name="contract"')[1].split("</select>")[0]
        )
        response = self.submit()
        self.assertIn("Choose the contract this request falls under.", response.text)
        self.assertFalse(self.new_tickets())
        self.submit(contract=second.id)
        self.assertEqual(self.new_tickets().contract_id, second)

    def test_another_customers_contract_is_refused(self):
        self.create_contract(name="Acme printers")
        self.login(self.alice)
        self.submit(contract=self.other_contract.id)
        self.assertFalse(self.new_tickets())
        self.assertFalse(self.other_contract.ticket_ids)

    def test_unauthorized_contact_is_told_whom_to_ask(self):
        self.contract.authorized_partner_ids = self.other_contact
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertIn("o_service_portal_refusal", page)
        self.assertIn("Bob Acme", page)
        self.assertIn(self.manager.name, page)
        self.assertIn("Ask one of them or your account manager", page)
        self.assertNotIn('action="/submitted/ticket"', page)
        response = self.submit(contract=self.contract.id)
        self.assertIn("Bob Acme", response.text)
        self.assertFalse(self.new_tickets())
        self.login(self.bob)
        self.assertIn('action="/submitted/ticket"', self.url_open("/new/ticket").text)

    def test_unauthorized_contact_without_account_manager(self):
        self.contract.authorized_partner_ids = self.other_contact
        self.contract.user_id = False
        self.login(self.alice)
        page = self.url_open("/new/ticket").text
        self.assertIn("Ask one of them to open it for you, or to have you added.", page)
        self.assertNotIn("or your account manager", page)

    def test_customer_without_contract_is_told_the_work_is_billed(self):
        self.login(self.gina)
        self.other_contract.action_cancel()
        page = self.url_open("/new/ticket").text
        self.assertNotIn('name="contract"', page)
        self.assertIn("No active contract", page)
        self.submit()
        ticket = self.new_tickets()
        self.assertFalse(ticket.contract_id)
        self.assertEqual(ticket.billing_mode, "invoice")

    def test_employee_form_is_the_helpdesk_form(self):
        self.authenticate("technician", "technicianx")
        page = self.url_open("/new/ticket").text
        self.assertIn('action="/submitted/ticket"', page)
        self.assertNotIn('name="contract"', page)
        self.assertNotIn("alert-", page.split('id="service_coverage"')[1][:200])

    def test_coverage_route(self):
        self.login(self.alice)
        coverage = self.make_jsonrpc_request(
            "/my/contracts/coverage", {"contract_id": self.contract.id}
        )
        self.assertEqual(coverage["level"], "success")
        self.assertIn("100.00 h remaining", coverage["message"])
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/my/contracts/coverage", {"contract_id": self.other_contract.id}
            )
        self.assertIn("NotFound", str(caught.exception))

    def test_coverage_names_an_uncovered_category(self):
        category, other_category = self.env["helpdesk.ticket.category"].create(
            [{"name": "Printers"}, {"name": "Coffee machine"}]
        )
        self.contract.category_ids = category
        self.env.company.helpdesk_mgmt_portal_select_category = True
        self.login(self.alice)
        coverage = self.make_jsonrpc_request(
            "/my/contracts/coverage",
            {"contract_id": self.contract.id, "category_id": other_category.id},
        )
        self.assertEqual(coverage["level"], "warning")
        self.assertIn("Coffee machine is not covered", coverage["message"])

    def test_garbage_ids_are_bad_requests(self):
        self.login(self.alice)
        self.assertEqual(self.url_open("/new/ticket?contract=abc").status_code, 400)


@tagged("post_install", "-at_install")
class TestPortalTicketPages(ServicePortalCase):
    def close_from_portal(self, ticket, stage=None):
        return self.url_open(
            "/ticket/close",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "ticket_id": ticket.id,
                "stage_id": (stage or self.stage_done).id,
            },
            allow_redirects=False,
        )

    def test_close_own_ticket(self):
        ticket = self.open_ticket()
        self.login(self.alice)
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertRegex(
            page, r'<form(?=[^>]*method="POST")(?=[^>]*action="/ticket/close")'
        )
        response = self.close_from_portal(ticket)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertTrue(ticket.closed)

    def test_cannot_close_another_customers_ticket(self):
        ticket = self.open_ticket(partner=self.gina_contact)
        self.login(self.alice)
        self.assertEqual(self.close_from_portal(ticket).status_code, 404)
        self.assertFalse(ticket.closed)

    def test_cannot_close_into_a_stage_not_offered(self):
        ticket = self.open_ticket()
        self.login(self.alice)
        self.close_from_portal(ticket, self.stage_progress)
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_close_needs_post(self):
        ticket = self.open_ticket()
        self.login(self.alice)
        response = self.url_open(
            f"/ticket/close?ticket_id={ticket.id}&stage_id={self.stage_done.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        self.assertFalse(ticket.closed)

    def test_close_anonymous_redirected_to_login(self):
        ticket = self.open_ticket()
        response = self.url_open(
            "/ticket/close",
            data={"ticket_id": ticket.id, "stage_id": self.stage_done.id},
            allow_redirects=False,
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(ticket.closed)

    def test_ticket_page_shows_contract_and_time(self):
        ticket = self.open_ticket()
        self.log_time(ticket, 1.5)
        self.login(self.alice)
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn(f'href="/my/contracts/{self.contract.id}"', page)
        self.assertIn("Time Spent", page)
        self.assertIn("01:30", page)

    def test_ticket_list_shows_contract_and_searches_by_it(self):
        on_contract = self.open_ticket(name="On the contract")
        self.open_ticket(name="Outside", contract_id=False)
        self.login(self.alice)
        page = self.url_open("/my/tickets").text
        self.assertIn(f'href="/my/contracts/{self.contract.id}"', page)
        found = self.url_open(
            f"/my/tickets?search_in=contract&search={self.contract.code}"
        ).text
        self.assertIn(on_contract.name, found)
        self.assertNotIn("Outside", found)

    def test_other_customers_ticket_page_refused(self):
        ticket = self.open_ticket(partner=self.gina_contact)
        self.login(self.alice)
        response = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404))
        self.assertNotIn(ticket.name, response.text)
