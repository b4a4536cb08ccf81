from odoo.tests import tagged

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestPortalContractPageQueries(ServicePortalCase):
    def add_tickets(self, count):
        """``count`` tickets on the contract with time logged; every other one
        closed, which posts its usage."""
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Request {index}",
                    "description": "<p>Request</p>",
                    "partner_id": self.contact.id,
                    "team_id": self.team.id,
                    "project_id": self.project.id,
                }
                for index in range(count)
            ]
        )
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Work",
                    "ticket_id": ticket.id,
                    "project_id": self.project.id,
                    "unit_amount": 0.25,
                    "user_id": self.technician.id,
                }
                for ticket in tickets
            ]
        )
        tickets[::2].write({"stage_id": self.stage_done.id})
        return tickets

    def page_queries(self, url):
        self.env.flush_all()
        start = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200)
        return self.cr.sql_log_count - start

    def test_contract_page_queries_do_not_grow_with_tickets(self):
        self.contract.sla_policy_id = self.make_sla_policy()
        self.add_tickets(10)
        self.login(self.alice)
        url = f"/my/contracts/{self.contract.id}"
        self.url_open(url)  # compiles the templates, fills the caches
        queries_with_10 = self.page_queries(url)
        self.add_tickets(190)
        self.assertEqual(self.contract.ticket_count, 200)
        self.assertEqual(len(self.contract.usage_ids), 100)
        self.url_open(url)
        with self.assertQueryCount(queries_with_10):
            self.assertEqual(self.url_open(url).status_code, 200)
