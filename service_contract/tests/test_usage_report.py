import csv
import io

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree
from openpyxl import load_workbook

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .test_equipment import EquipmentCase


class UsageReportCase(EquipmentCase):
    """An 8-hour bag: 4 h used two months ago, then in the last month 3 h
    (ticket A, on the copier) and 2.5 h (ticket B: 1 h of allowance left,
    1.5 h overage); ticket C is open with 1.5 h logged this month, ticket D
    open with time logged two months ago only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.create_contract(
            allowance_qty=8, date_start=cls.today - relativedelta(months=3)
        )
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Printers"})
        earlier = cls.today - relativedelta(months=2)
        with freeze_time(earlier):
            cls.old = cls.ticket_with_time(4, "Old request")
            cls.close_ticket(cls.old)
            cls.dormant = cls.ticket_with_time(1, "Dormant request")
        cls.ticket_a = cls.ticket_with_time(3, "Copier jam", equipment_id=cls.copier.id)
        cls.close_ticket(cls.ticket_a)
        cls.ticket_b = cls.ticket_with_time(
            2.5, "New mailbox", category_id=cls.category.id
        )
        cls.close_ticket(cls.ticket_b)
        cls.ticket_c = cls.ticket_with_time(1.5, "Slow network")

    @classmethod
    def ticket_with_time(cls, hours, name, **values):
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": f"<p>{name}</p>",
                "partner_id": cls.contact.id,
                "team_id": cls.team.id,
                "project_id": cls.project.id,
                **values,
            }
        )
        cls.env["account.analytic.line"].with_user(cls.technician).create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": cls.project.id,
                "unit_amount": hours,
            }
        )
        return ticket

    @classmethod
    def close_ticket(cls, ticket):
        ticket.write({"stage_id": cls.stage_done.id})
        cls.env.flush_all()

    def new_report(self, user=None):
        return (
            self.env["service.contract.usage.report"]
            .with_user(user or self.technician)
            .create(
                {
                    "contract_id": self.contract.id,
                    "date_from": self.today - relativedelta(months=1),
                    "date_to": self.today,
                }
            )
        )

    def export(self, report, file_format):
        action = getattr(report, f"action_export_{file_format}")()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        return report.env["ir.attachment"].browse(attachment_id)


@tagged("post_install", "-at_install")
class TestUsageReport(UsageReportCase):
    def assert_rows(self, rows, number, *expected):
        """``rows``: ``{status or ticket: {column: value}}`` read back from a
        file; ``expected``: quantity, hours, value and overage."""
        expected = [number, *expected]
        row = rows[number]
        self.assertEqual(
            [
                row["Ticket"],
                row["Quantity"],
                row["Hours"],
                row["Value"],
                row["Overage"],
            ],
            expected,
        )

    def check_content(self, rows):
        """The rows of any format, as ``[{column label: value}]``."""
        by_key = {row["Ticket"] or row["Status"]: row for row in rows}
        a, b, c = self.ticket_a.number, self.ticket_b.number, self.ticket_c.number
        self.assertEqual(
            [row["Status"] for row in rows],
            ["Counted", "Counted", "In progress"]
            + ["Total counted", "Total in progress", "Remaining allowance"],
        )
        self.assert_rows(by_key, a, 3.0, 3.0, 240.0, 0.0)
        self.assert_rows(by_key, b, 2.5, 2.5, 200.0, 1.5)
        self.assert_rows(by_key, c, 1.5, 1.5, 120.0, 0.0)
        self.assertEqual(by_key[a]["Equipment"], "Copier (CP-1001)")
        self.assertEqual(by_key[b]["Category"], "Printers")
        self.assertEqual(by_key[a]["Unit"], "h")
        self.assertEqual(by_key["Total counted"]["Quantity"], 5.5)
        self.assertEqual(by_key["Total counted"]["Overage"], 1.5)
        self.assertEqual(by_key["Total in progress"]["Quantity"], 1.5)
        self.assertEqual(by_key["Remaining allowance"]["Quantity"], 0.0)
        self.assertNotIn(self.old.number, by_key, "closed before the period")
        self.assertNotIn(self.dormant.number, by_key, "no time logged in the period")

    def test_csv(self):
        attachment = self.export(self.new_report(), "csv")
        self.assertEqual(attachment.mimetype, "text/csv")
        self.assertTrue(attachment.name.endswith(".csv"))
        rows = list(csv.DictReader(io.StringIO(attachment.raw.decode())))
        numeric = {"Quantity", "Hours", "Value", "Overage"}
        self.check_content(
            [
                {k: float(v) if k in numeric and v else v for k, v in row.items()}
                for row in rows
            ]
        )

    def test_xlsx(self):
        attachment = self.export(self.new_report(), "xlsx")
        sheet = load_workbook(io.BytesIO(attachment.raw)).active
        self.assertEqual(sheet["A1"].value, self.contract.display_name)
        self.assertEqual(sheet["A2"].value, "Acme Corp")
        self.assertEqual(sheet["B3"].value.date(), self.today - relativedelta(months=1))
        table = list(sheet.iter_rows(min_row=5, values_only=True))
        header = table[0]
        rows = [
            {
                label: "" if value is None else value
                for label, value in zip(header, line, strict=True)
            }
            for line in table[1:]
        ]
        self.assertEqual(rows[0]["Date"].date(), self.today)
        self.check_content(rows)

    def test_xml(self):
        attachment = self.export(self.new_report(), "xml")
        root = etree.fromstring(attachment.raw)
        self.assertEqual(root.tag, "usage_report")
        self.assertEqual(root.get("contract"), self.contract.code)
        self.assertEqual(root.get("unit"), "h")
        counted = root.findall("counted/ticket")
        self.assertEqual(
            [t.get("number") for t in counted],
            [self.ticket_a.number, self.ticket_b.number],
        )
        self.assertEqual(counted[1].findtext("overage"), "1.50")
        self.assertEqual(counted[0].findtext("equipment"), "Copier (CP-1001)")
        in_progress = root.findall("in_progress/ticket")
        self.assertEqual([t.get("number") for t in in_progress], [self.ticket_c.number])
        self.assertEqual(in_progress[0].findtext("hours"), "1.50")
        totals = root.find("totals")
        self.assertEqual(totals.get("counted_quantity"), "5.50")
        self.assertEqual(totals.get("counted_amount"), "440.00")
        self.assertEqual(totals.get("in_progress_hours"), "1.50")
        self.assertEqual(totals.get("remaining"), "0.00")

    def test_pdf_content(self):
        report = self.new_report()
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "service_contract.action_report_contract_usage", report.ids
        )
        html = html.decode()
        self.assertIn("Contract Usage", html)
        self.assertIn(self.contract.display_name, html)
        self.assertIn("Acme Corp", html)
        for ticket in (self.ticket_a, self.ticket_b, self.ticket_c):
            self.assertIn(ticket.number, html)
        self.assertNotIn(self.old.number, html)
        self.assertNotIn(self.dormant.number, html)
        self.assertIn("5.50", html, "total counted")
        self.assertIn("05:30", html, "total hours")
        self.assertIn("Remaining Allowance", html)
        action = report.action_print()
        self.assertEqual(
            action["report_name"], "service_contract.report_contract_usage"
        )

    def test_dates_default_and_checked(self):
        report = self.env["service.contract.usage.report"].create(
            {"contract_id": self.contract.id}
        )
        self.assertEqual(report.date_from, self.contract.date_start)
        self.assertEqual(report.date_to, self.today)
        with self.assertRaisesRegex(ValidationError, "cannot end before it starts"):
            report.date_from = self.today + relativedelta(days=1)

    def test_files_belong_to_their_author(self):
        attachment = self.export(self.new_report(), "csv")
        Attachment = self.env["ir.attachment"]
        domain = [("id", "=", attachment.id)]
        self.assertEqual(
            Attachment.with_user(self.technician).search(domain), attachment
        )
        self.assertFalse(Attachment.with_user(self.manager).search(domain))
        with self.assertRaises(AccessError):
            attachment.with_user(self.manager).check("read")


@tagged("post_install", "-at_install")
class TestUsageReportDownload(HttpCase, UsageReportCase):
    def test_download_through_the_web(self):
        action = self.new_report().action_export_csv()
        self.assertEqual(action["target"], "download")
        self.authenticate("technician", "technician")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.number, response.text)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.authenticate("contract_manager", "contract_manager")
        self.assertEqual(self.url_open(action["url"]).status_code, 404)
