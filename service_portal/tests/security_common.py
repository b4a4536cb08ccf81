from odoo import Command, http
from odoo.tests import new_test_user

from .common import ServicePortalCase


class SecurityCase(ServicePortalCase):
    """The portal set-up with what an attacker aims at: a "personal tickets"
    helpdesk user (Pat), a ticket of Acme assigned to Pat and a ticket of
    Globex he may not open, both with a charge and SLA clocks; Globex's
    names are the secrets no answer may carry to Alice or Pat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pat = new_test_user(
            cls.env,
            login="pat",
            name="Pat Personal",
            password="pat-pass",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
        )
        cls.policy = cls.make_sla_policy()
        (cls.contract | cls.other_contract).sla_policy_id = cls.policy
        cls.part = cls.env["product.product"].create(
            {"name": "Spare fan", "sale_ok": True, "lst_price": 25.0}
        )
        cls.pat_ticket = cls._ticket(cls.contact, "Acme printer jam", cls.pat)
        cls.other_ticket = cls._ticket(
            cls.gina_contact, "Globex vault alarm", cls.manager
        )
        cls.other_ticket.charge_ids = [
            Command.create({"product_id": cls.part.id, "quantity": 1})
        ]
        cls.secrets = (
            cls.other_contract.name,
            cls.other_contract.code,
            cls.other_ticket.name,
            cls.other_ticket.number,
            "Gina Globex",
        )

    @classmethod
    def _ticket(cls, partner, name, user):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": "<p>Help</p>",
                "partner_id": partner.id,
                "team_id": cls.team.id,
                "project_id": cls.project.id,
                "user_id": user.id,
            }
        )

    def csrf(self):
        return http.Request.csrf_token(self)

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def xmlrpc(self, user, password, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, model, method, list(args), kwargs
        )

    def assertNoSecret(self, text, msg=None, sent=None):
        """None of Globex's names in ``text``, but the value ``sent`` by
        the attacker, which a page may repeat (a search box)."""
        for secret in self.secrets:
            if secret != sent:
                self.assertNotIn(secret, text, msg)
