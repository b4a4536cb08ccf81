import base64

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .test_equipment import EquipmentCase


@tagged("post_install", "-at_install")
class TestContractDocument(EquipmentCase):
    def render(self, contract):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "service_contract.action_report_service_contract", contract.ids
        )
        return html.decode()

    def test_contract_pdf_content(self):
        contract = self.create_contract(
            name="Yearly maintenance",
            allowance_type="hours",
            allowance_qty=40,
            allowance_scope="period",
            period_type="quarterly",
            period_amount=1500,
            equipment_ids=[self.copier.id],
            description="<p>Response within four business hours.</p>",
        )
        html = self.render(contract)
        self.assertIn(contract.code, html)
        self.assertIn("Yearly maintenance", html)
        self.assertIn("Acme Corp", html)
        self.assertIn("40.00", html)
        self.assertIn("per service period", html)
        for period in contract.period_ids:
            self.assertIn(period.date_start.strftime("%m/%d/%Y"), html)
        self.assertEqual(html.count("1,500.00"), len(contract.period_ids))
        self.assertIn("CP-1001", html)
        self.assertIn("Response within four business hours.", html)

    def test_contract_pdf_shows_sla_policy_when_installed(self):
        contract = self.create_contract()
        if "sla_policy_id" not in contract._fields:
            self.assertNotIn("Service Level", self.render(contract))
            return
        policy = self.env["service.sla.policy"].create({"name": "Gold 4h"})
        contract.sla_policy_id = policy
        self.assertIn("Gold 4h", self.render(contract))

    def test_report_printable_from_the_contract(self):
        report = self.env.ref("service_contract.action_report_service_contract")
        self.assertEqual(report.binding_model_id.model, "service.contract")
        action = report.report_action(self.create_contract(), config=False)
        self.assertEqual(
            action["report_name"], "service_contract.report_service_contract"
        )

    def test_signed_copy_flag(self):
        contract = self.create_contract(date_end=self.today + relativedelta(years=1))
        self.assertFalse(contract.is_signed)
        contract.write(
            {
                "signed_scan": base64.b64encode(b"%PDF-1.4 signed"),
                "signed_scan_name": "contract-signed.pdf",
            }
        )
        self.assertTrue(contract.is_signed)
        unsigned = self.env["service.contract"].search(
            [("is_signed", "=", False), ("id", "=", contract.id)]
        )
        self.assertFalse(unsigned)
        contract.signed_scan = False
        self.assertFalse(contract.is_signed)
