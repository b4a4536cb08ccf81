import ast

from lxml import etree

from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestViews(SlaCase):
    def test_ticket_views_show_the_sla(self):
        views = self.env["helpdesk.ticket"].get_views(
            [(False, view) for view in ("form", "list", "kanban", "search")]
        )["views"]
        for view in ("form", "list", "kanban"):
            arch = etree.fromstring(views[view]["arch"])
            self.assertTrue(arch.xpath("//field[@name='sla_badge']"), view)
        search = etree.fromstring(views["search"]["arch"])
        for name in ("sla_at_risk", "sla_breached", "sla_paused"):
            self.assertTrue(search.xpath(f"//filter[@name='{name}']"), name)

    def test_paused_filter(self):
        paused = self.ticket_at("2024-03-04 09:00")
        self.move(paused, self.stage_awaiting, "2024-03-04 10:00")
        running = self.ticket_at("2024-03-04 09:00")
        search = etree.fromstring(
            self.env["helpdesk.ticket"].get_views([(False, "search")])["views"][
                "search"
            ]["arch"]
        )
        (paused_filter,) = search.xpath("//filter[@name='sla_paused']")
        found = self.env["helpdesk.ticket"].search(
            ast.literal_eval(paused_filter.get("domain"))
        )
        self.assertIn(paused, found)
        self.assertNotIn(running, found)

    def test_report_views(self):
        views = self.env["service.sla.report"].get_views(
            [(False, view) for view in ("pivot", "graph", "list", "search")]
        )["views"]
        pivot = etree.fromstring(views["pivot"]["arch"])
        self.assertTrue(pivot.xpath("//field[@name='resolution_hours_p90']"))

    def test_ticket_form_lists_its_clocks(self):
        form = etree.fromstring(
            self.env["helpdesk.ticket"].get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
        )
        (clocks,) = form.xpath("//page[@name='sla']//field[@name='sla_clock_ids']")
        self.assertTrue(clocks.xpath(".//field[@name='deadline']"))
        views = self.env["service.sla.clock"].get_views(
            [(False, view) for view in ("form", "list", "search")]
        )["views"]
        arch = etree.fromstring(views["list"]["arch"])
        self.assertEqual(arch.get("create"), "0")
        policy_form = etree.fromstring(
            self.env["service.sla.policy"].get_views([(False, "form")])["views"][
                "form"
            ]["arch"]
        )
        self.assertTrue(policy_form.xpath("//field[@name='arrival_hours']"))
