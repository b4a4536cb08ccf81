import base64
import json

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.service_contract.tests.common import freeze_test_clock


@tagged("post_install", "-at_install")
class TestKpiDashboard(TransactionCase):
    """The managers' KPI dashboard: its spreadsheet loads and every pivot,
    list and chart reads real fields of real models."""

    @classmethod
    def setUpClass(cls):
        cls.startClassPatcher(freeze_test_clock())
        super().setUpClass()
        cls.dashboard = cls.env.ref("service_billing.spreadsheet_dashboard_service_kpi")
        cls.data = json.loads(base64.b64decode(cls.dashboard.spreadsheet_binary_data))

    def domain(self, domain):
        """The domain of a data source, string domains evaluated as the web
        client does."""
        if isinstance(domain, str):
            return safe_eval(
                domain,
                {"context_today": self.today, "relativedelta": relativedelta},
            )
        return domain

    def today(self):
        return fields.Date.context_today(self.env.user)

    def test_dashboard_published_for_managers(self):
        self.assertTrue(self.dashboard.is_published)
        self.assertIn(
            self.env.ref("service_contract.group_service_contract_manager"),
            self.dashboard.group_ids,
        )
        self.assertEqual(len(self.data["sheets"]), 1)
        self.assertEqual(len(self.data["pivots"]), 2)
        self.assertEqual(len(self.data["lists"]), 3)

    def test_pivots_read(self):
        for pivot in self.data["pivots"].values():
            with self.subTest(pivot=pivot["name"]):
                groupby = [
                    ":".join(filter(None, [dim["fieldName"], dim.get("granularity")]))
                    for dim in pivot["rows"] + pivot["columns"]
                ]
                aggregates = [
                    f"{m['fieldName']}:{m['aggregator']}" for m in pivot["measures"]
                ]
                self.env[pivot["model"]].read_group(
                    self.domain(pivot["domain"]), aggregates, groupby, lazy=False
                )

    def test_lists_read(self):
        for definition in self.data["lists"].values():
            with self.subTest(list=definition["name"]):
                order = ", ".join(
                    f"{o['name']} {'asc' if o['asc'] else 'desc'}"
                    for o in definition["orderBy"]
                )
                self.env[definition["model"]].search_read(
                    self.domain(definition["domain"]),
                    definition["columns"],
                    order=order,
                    limit=10,
                )

    def test_ending_contracts_list_is_the_next_60_days(self):
        ending = self.data["lists"]["1"]
        domain = self.domain(ending["domain"])
        limit = (self.today() + relativedelta(days=60)).strftime("%Y-%m-%d")
        self.assertIn(("date_end", "<=", limit), domain)

    def test_charts_read(self):
        figures = [f for f in self.data["sheets"][0]["figures"] if f["tag"] == "chart"]
        self.assertTrue(figures)
        for figure in figures:
            meta = figure["data"]["metaData"]
            with self.subTest(chart=meta["resModel"]):
                self.env[meta["resModel"]].read_group(
                    self.domain(figure["data"]["searchParams"]["domain"]),
                    [f"{meta['measure']}"] if meta["measure"] != "__count" else [],
                    meta["groupBy"],
                    lazy=False,
                )
