import csv
import io

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import xlsxwriter

# Leading characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xml": "application/xml",
}


class ServiceContractUsageReport(models.TransientModel):
    """Usage of a contract over a date range: tickets counted (closed, usage
    posted in the range) and tickets in progress (open, time logged in the
    range, not yet counted), with totals and the remaining allowance. As a
    PDF, or as CSV, XLSX or XML files."""

    _name = "service.contract.usage.report"
    _description = "Contract Usage Report"

    contract_id = fields.Many2one("service.contract", required=True)
    date_from = fields.Date(
        string="From",
        required=True,
        compute="_compute_date_from",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    @api.depends("contract_id")
    def _compute_date_from(self):
        for report in self:
            contract = report.contract_id
            report.date_from = (
                contract.current_period_id.date_start or contract.date_start
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for report in self:
            if report.date_from > report.date_to:
                raise ValidationError(
                    self.env._("The report cannot end before it starts.")
                )

    # ------------------------------------------------------------------
    # Content, shared by every format
    # ------------------------------------------------------------------
    def _columns(self):
        return [
            ("status", self.env._("Status")),
            ("number", self.env._("Ticket")),
            ("title", self.env._("Title")),
            ("date", self.env._("Date")),
            ("category", self.env._("Category")),
            ("equipment", self.env._("Equipment")),
            ("quantity", self.env._("Quantity")),
            ("unit", self.env._("Unit")),
            ("hours", self.env._("Hours")),
            ("amount", self.env._("Value")),
            ("overage", self.env._("Overage")),
        ]

    def _report_data(self):
        """Rows and totals of the report, as plain values. Anyone who may read
        the contract may read its usage; the figures are then read as
        superuser (a technician may not see every ticket of it)."""
        self.ensure_one()
        self.contract_id.check_access("read")
        contract = self.contract_id.sudo()
        unit = contract.allowance_unit
        counted = self._counted_rows(contract, unit)
        in_progress = self._in_progress_rows(contract, unit)

        def total(rows, key):
            return sum(row[key] for row in rows)

        return {
            "contract": contract,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "unit": unit,
            "counted": counted,
            "in_progress": in_progress,
            "totals": {
                "counted_quantity": total(counted, "quantity"),
                "counted_hours": total(counted, "hours"),
                "counted_amount": total(counted, "amount"),
                "counted_overage": total(counted, "overage"),
                "in_progress_quantity": total(in_progress, "quantity"),
                "in_progress_hours": total(in_progress, "hours"),
                "allowance": contract.allowance_total_qty,
                "remaining": contract.remaining_qty,
            },
        }

    def _ticket_row(self, status, ticket, unit):
        return {
            "status": status,
            "number": ticket.number or "",
            "title": ticket.name or self.env._("Correction"),
            "category": ticket.category_id.name or "",
            "equipment": ticket.equipment_id.display_name or "",
            "unit": unit,
        }

    def _counted_rows(self, contract, unit):
        groups = (
            self.env["service.contract.usage"]
            .sudo()
            ._read_group(
                [
                    ("contract_id", "=", contract.id),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                ["ticket_id", "is_overage"],
                ["quantity:sum", "hours:sum", "amount:sum", "date:max"],
            )
        )
        rows = {}
        for ticket, is_overage, quantity, hours, amount, date in groups:
            row = rows.setdefault(
                ticket,
                dict(
                    self._ticket_row(self.env._("Counted"), ticket, unit),
                    date=date,
                    quantity=0.0,
                    hours=0.0,
                    amount=0.0,
                    overage=0.0,
                ),
            )
            row["date"] = max(row["date"], date)
            row["quantity"] += quantity
            row["hours"] += hours
            row["amount"] += amount
            row["overage"] += quantity if is_overage else 0.0
        return sorted(rows.values(), key=lambda row: (row["date"], row["number"]))

    def _in_progress_rows(self, contract, unit):
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("ticket_id.contract_id", "=", contract.id),
                    ("ticket_id.stage_id.closed", "=", False),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ]
                + self.env["service.contract.usage"]._counted_timesheet_domain(),
                ["ticket_id"],
                ["unit_amount:sum", "date:max"],
            )
        )
        rows = []
        for ticket, hours, date in groups:
            quantity = contract._to_allowance_units(hours)
            rows.append(
                dict(
                    self._ticket_row(self.env._("In progress"), ticket, unit),
                    date=date,
                    quantity=quantity,
                    hours=hours,
                    amount=hours * contract._hourly_value(),
                    overage=0.0,
                )
            )
        return sorted(rows, key=lambda row: (row["date"], row["number"]))

    def _total_rows(self, data):
        totals, unit = data["totals"], data["unit"]
        blank = dict.fromkeys(key for key, _label in self._columns())
        return [
            dict(
                blank,
                status=self.env._("Total counted"),
                quantity=totals["counted_quantity"],
                unit=unit,
                hours=totals["counted_hours"],
                amount=totals["counted_amount"],
                overage=totals["counted_overage"],
            ),
            dict(
                blank,
                status=self.env._("Total in progress"),
                quantity=totals["in_progress_quantity"],
                unit=unit,
                hours=totals["in_progress_hours"],
            ),
            dict(
                blank,
                status=self.env._("Remaining allowance"),
                quantity=totals["remaining"],
                unit=unit,
            ),
        ]

    # ------------------------------------------------------------------
    # Files
    # ------------------------------------------------------------------
    def _rows(self, data):
        return data["counted"] + data["in_progress"] + self._total_rows(data)

    def _render_csv(self, data):
        columns = self._columns()
        output = io.StringIO()
        writer = csv.writer(output, quoting=csv.QUOTE_ALL)
        writer.writerow([label for _key, label in columns])
        for row in self._rows(data):
            writer.writerow([self._csv_value(row[key]) for key, _label in columns])
        return output.getvalue().encode()

    @staticmethod
    def _csv_value(value):
        """A cell of the CSV file. Text that a spreadsheet would read as a
        formula (a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return:
        a customer writes ticket titles) gets a leading quote, as OWASP
        recommends against formula injection."""
        if isinstance(value, float):
            return round(value, 2)
        if value in (None, False):
            return ""
        if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
            return f"'{value}"
        return value

    def _render_xlsx(self, data):
        columns = self._columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Usage"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        number_format = workbook.add_format({"num_format": "#,##0.00"})
        contract = data["contract"]
        # Text is written as text (write_string): never read as a formula.
        sheet.write_string(0, 0, contract.display_name, bold)
        sheet.write_string(1, 0, contract.partner_id.display_name or "")
        sheet.write_string(2, 0, self.env._("From"))
        sheet.write_datetime(2, 1, data["date_from"], date_format)
        sheet.write_string(2, 2, self.env._("To"))
        sheet.write_datetime(2, 3, data["date_to"], date_format)
        header = 4
        for col, (_key, label) in enumerate(columns):
            sheet.write_string(header, col, label, bold)
        for index, row in enumerate(self._rows(data), start=header + 1):
            for col, (key, _label) in enumerate(columns):
                value = row[key]
                if isinstance(value, float):
                    sheet.write_number(index, col, value, number_format)
                elif key == "date" and value:
                    sheet.write_datetime(index, col, value, date_format)
                elif value not in (None, False, ""):
                    sheet.write_string(index, col, str(value))
        sheet.set_column(0, len(columns) - 1, 16)
        workbook.close()
        return output.getvalue()

    def _render_xml(self, data):
        contract, totals = data["contract"], data["totals"]
        root = etree.Element(
            "usage_report",
            contract=contract.code or "",
            name=contract.name,
            customer=contract.partner_id.display_name,
            date_from=str(data["date_from"]),
            date_to=str(data["date_to"]),
            unit=data["unit"],
        )
        for section in ("counted", "in_progress"):
            node = etree.SubElement(root, section)
            for row in data[section]:
                ticket = etree.SubElement(node, "ticket", number=row["number"])
                for key in ("title", "date", "category", "equipment"):
                    etree.SubElement(ticket, key).text = str(row[key] or "")
                for key in ("quantity", "hours", "amount", "overage"):
                    etree.SubElement(ticket, key).text = f"{row[key]:.2f}"
        etree.SubElement(
            root, "totals", {key: f"{value:.2f}" for key, value in totals.items()}
        )
        return etree.tostring(
            root, encoding="UTF-8", xml_declaration=True, pretty_print=True
        )

    def _export(self, file_format):
        """The report as a file attached to this report record (readable by
        its author only) and a download action for it."""
        self.ensure_one()
        content = getattr(self, f"_render_{file_format}")(self._report_data())
        code = (self.contract_id.code or self.contract_id.name).replace("/", "-")
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{code}_usage_{self.date_from}_{self.date_to}.{file_format}",
                "raw": content,
                "mimetype": EXPORT_FORMATS[file_format],
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_export_csv(self):
        return self._export("csv")

    def action_export_xlsx(self):
        return self._export("xlsx")

    def action_export_xml(self):
        return self._export("xml")

    def action_print(self):
        return self.env.ref(
            "service_contract.action_report_contract_usage"
        ).report_action(self)
