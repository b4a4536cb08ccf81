import json

from odoo.tests import tagged

from .security_common import SecurityCase

HUGE = "99999999999999999999"
# The largest record id (PostgreSQL integer).
MAX_ID = 2**31 - 1
# Values that name no record and no choice of a list.
GARBAGE = (
    "abc",
    HUGE,
    "2147483648",
    "-1",
    "0",
    "1.5",
    "1e3",
    "2026",
    "' OR 1=1 --",
    "[1]",
)
# Errors that are refusals of the request, not failures of the server.
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "werkzeug.exceptions.BadRequest",
    "werkzeug.exceptions.NotFound",
}

# Pages read with GET: (URL, whether a value that is no id or choice of the
# page must be refused with a 4xx; page numbers fall back to the last page).
# {v} is the fuzzed value, {own} Acme's contract.
PAGES = (
    ("/my/contracts?sortby={v}", True),
    ("/my/contracts?filterby={v}", True),
    ("/my/contracts?search_in={v}&search=x", True),
    ("/my/contracts?search={v}", False),
    ("/my/contracts?page={v}", False),
    ("/my/contracts/{v}", True),
    ("/my/contracts/{v}/contract.pdf", True),
    ("/my/contracts/{v}/usage.csv", True),
    ("/my/contracts/{v}/usage.pdf", True),
    ("/my/contracts/{own}/usage.csv?date_from={v}", True),
    ("/my/contracts/{own}/usage.csv?date_to={v}", True),
    ("/my/tickets?sortby={v}", True),
    ("/my/tickets?groupby={v}", True),
    ("/my/tickets?filterby={v}", True),
    ("/my/tickets?search_in={v}&search=x", True),
    ("/my/tickets?search={v}", False),
    ("/my/tickets?search_in=contract&search={v}", False),
    ("/my/tickets?date_begin={v}&date_end={v}", True),
    ("/my/tickets/page/{v}", False),
    ("/my/ticket/{v}", True),
    ("/new/ticket?contract={v}", True),
)

# Forms posted: (URL, form values); {v} fuzzed, {own_ticket} Pat's ticket of
# Acme (that Alice may read too), {done} the closing stage.
FORMS = (
    ("/ticket/close", {"ticket_id": "{v}", "stage_id": "{done}"}),
    ("/ticket/close", {"ticket_id": "{own_ticket}", "stage_id": "{v}"}),
    ("/submitted/ticket", {"subject": "Fuzzed", "category": "{v}"}),
    ("/submitted/ticket", {"subject": "Fuzzed", "team": "{v}"}),
    ("/submitted/ticket", {"subject": "Fuzzed", "contract": "{v}"}),
)

# Public methods of the product over RPC: (model, method, record); record
# names an attribute of the test set-up.
METHODS = (
    ("service.contract", "action_activate", "other_contract"),
    ("service.contract", "action_cancel", "other_contract"),
    ("service.contract", "action_renew", "other_contract"),
    ("service.contract", "action_cancel", "contract"),
    ("service.billing.run", "action_preview", "billing_run"),
    ("service.billing.run", "action_post", "billing_run"),
)

# Another customer's records, read over RPC: (model, record, fields).
RECORDS = (
    ("helpdesk.ticket", "other_ticket", ["name", "contract_id"]),
    ("helpdesk.ticket.charge", "other_charge", ["ticket_id", "amount"]),
    ("service.sla.report", "other_sla_row", ["ticket_id", "partner_id"]),
    ("service.contract.profitability", "other_margin_row", ["margin"]),
    ("service.contract", "contract", ["revenue", "margin"]),
)


@tagged("post_install", "-at_install")
class TestSecurityFuzz(SecurityCase):
    """Every portal route and public RPC method of the product, called by a
    portal user (Alice of Acme) and a "personal tickets" user (Pat) with
    another customer's ids, garbage, huge numbers and without CSRF tokens:
    each answer is a refusal or a 4xx, never a server error, and carries
    nothing of Globex."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_run = cls.env["service.billing.run"].create({"date": cls.today})
        cls.other_charge = cls.other_ticket.charge_ids
        cls.other_sla_row = cls.env["service.sla.report"].search(
            [("ticket_id", "=", cls.other_ticket.id)]
        )
        cls.other_margin_row = cls.env["service.contract.profitability"].search(
            [("contract_id", "=", cls.other_contract.id)], limit=1
        )
        if not cls.other_margin_row:
            cls.env["account.analytic.line"].create(
                {
                    "name": "Work",
                    "ticket_id": cls.other_ticket.id,
                    "project_id": cls.project.id,
                    "unit_amount": 2,
                    "user_id": cls.technician.id,
                }
            )
            cls.env.flush_all()
            cls.other_margin_row = cls.env["service.contract.profitability"].search(
                [("contract_id", "=", cls.other_contract.id)], limit=1
            )

    def attackers(self):
        return ((self.alice, "alice-pass"), (self.pat, "pat-pass"))

    def fuzz_values(self):
        """Another customer's ids, then garbage."""
        return (
            str(self.other_contract.id),
            str(self.other_ticket.id),
            self.other_contract.code,
            *GARBAGE,
        )

    @staticmethod
    def must_refuse(template, strict, value):
        """Whether ``value`` in ``template`` must be refused: on a strict
        page, unless it is a well-formed id in the query string (an id that
        is not the user's is then left out, as any unknown id)."""
        in_query = "?" in template and template.index("{v}") > template.index("?")
        well_formed = value.isdigit() and 0 < int(value) <= MAX_ID
        return strict and not (in_query and well_formed)

    def test_pages(self):
        for user, _password in self.attackers():
            self.login(user)
            for template, strict in PAGES:
                for value in self.fuzz_values():
                    url = template.format(v=value, own=self.contract.id)
                    response = self.url_open(url, allow_redirects=False)
                    label = f"{user.login} {url}: {response.status_code}"
                    self.assertLess(response.status_code, 500, label)
                    if self.must_refuse(template, strict, value):
                        self.assertTrue(300 <= response.status_code < 500, label)
                    self.assertNoSecret(response.text, label, sent=value)

    def form_data(self, form, value):
        return {
            key: val.format(
                v=value, own_ticket=self.pat_ticket.id, done=self.stage_done.id
            )
            for key, val in form.items()
        }

    def test_forms(self):
        for user, _password in self.attackers():
            self.login(user)
            for url, form in FORMS:
                for value in self.fuzz_values():
                    data = dict(self.form_data(form, value), csrf_token=self.csrf())
                    response = self.url_open(url, data=data, allow_redirects=False)
                    label = f"{user.login} {url} {data}: {response.status_code}"
                    self.assertLess(response.status_code, 500, label)
                    if value in GARBAGE:
                        self.assertTrue(400 <= response.status_code < 500, label)
                    self.assertNoSecret(response.text, label, sent=value)
        self.assertFalse(self.other_ticket.closed)
        fuzzed = self.env["helpdesk.ticket"].search([("name", "=", "Fuzzed")])
        self.assertFalse(fuzzed.contract_id - self.contract)

    def test_forms_without_csrf_token(self):
        """Another site's request, however right its values: refused."""
        for user, _password in self.attackers():
            self.login(user)
            for url, form in FORMS:
                data = self.form_data(form, "")
                response = self.url_open(url, data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 400, f"{user.login} {url}")
        self.assertFalse(self.pat_ticket.closed)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Fuzzed")]))

    def json_call(self, route, params, sent=None):
        """The JSON-RPC answer as a dict, with its full text checked (but
        for the value ``sent``, which errors may quote)."""
        response = self.url_open(
            route,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertLess(response.status_code, 500, f"{route} {params}")
        self.assertNoSecret(response.text, f"{route} {params}", sent=sent)
        return response.json()

    def assertRefusal(self, answer, label):
        self.assertIn("error", answer, label)
        self.assertIn(answer["error"]["data"]["name"], REFUSALS, label)

    def test_coverage_route(self):
        for user, _password in self.attackers():
            self.login(user)
            for value in self.fuzz_values():
                for key in ("contract_id", "category_id"):
                    answer = self.json_call(
                        "/my/contracts/coverage", {key: value}, sent=value
                    )
                    if "error" in answer:
                        self.assertRefusal(answer, f"{user.login} {key}={value}")

    def test_rpc_methods(self):
        states = {c: c.state for c in self.contract | self.other_contract}
        for user, _password in self.attackers():
            self.login(user)
            for model, method, attribute in METHODS:
                record = getattr(self, attribute)
                for ids in (record.ids, [int(HUGE)], [-1], [0]):
                    answer = self.json_call(
                        f"/web/dataset/call_kw/{model}/{method}",
                        {"model": model, "method": method, "args": [ids], "kwargs": {}},
                    )
                    self.assertRefusal(answer, f"{user.login} {model}.{method}{ids}")
        self.assertEqual({c: c.state for c in states}, states)
        self.assertEqual(self.billing_run.state, "draft")

    def test_rpc_reads_of_another_customer(self):
        self.assertTrue(self.other_margin_row and self.other_sla_row)
        for user, _password in self.attackers():
            self.login(user)
            for model, attribute, fnames in RECORDS:
                record = getattr(self, attribute)
                label = f"{user.login} {model} {fnames}"
                for method, args, kwargs in (
                    ("read", [record.ids, fnames], {}),
                    ("search_read", [[("id", "=", record.id)], fnames], {}),
                    (
                        "web_read",
                        [record.ids],
                        {"specification": {"display_name": {}}},
                    ),
                ):
                    answer = self.json_call(
                        f"/web/dataset/call_kw/{model}/{method}",
                        {
                            "model": model,
                            "method": method,
                            "args": args,
                            "kwargs": kwargs,
                        },
                    )
                    if "error" in answer:
                        self.assertRefusal(answer, f"{label} {method}")
                    elif model != "service.contract":
                        self.assertFalse(answer["result"], f"{label} {method}")

    def test_xmlrpc_as_the_attackers(self):
        """The same refusals through XML-RPC, the integrators' way in."""
        for user, password in self.attackers():
            for model, attribute, fnames in RECORDS:
                record = getattr(self, attribute)
                try:
                    found = self.xmlrpc(
                        user,
                        password,
                        model,
                        "search_read",
                        [("id", "=", record.id)],
                        fnames,
                    )
                except Exception as error:  # noqa: BLE001 - xmlrpc Fault
                    self.assertNoSecret(str(error))
                    self.assertRegex(str(error), "AccessError|access")
                    continue
                if model != "service.contract":
                    self.assertFalse(found, f"{user.login} {model}")
            with self.assertRaises(Exception) as caught:  # noqa: B017
                self.xmlrpc(
                    user,
                    password,
                    "helpdesk.ticket.charge",
                    "create",
                    {"ticket_id": self.other_ticket.id, "product_id": self.part.id},
                )
            self.assertNoSecret(str(caught.exception))
        self.assertEqual(len(self.other_ticket.charge_ids), 1)
        self.assertFalse(
            self.other_ticket.charge_ids.filtered(lambda c: c.create_uid == self.pat)
        )
