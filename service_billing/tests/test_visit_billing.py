from ast import literal_eval

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import BillingCase

# A signature as the signature widget sends it: a 1x1 PNG.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestVisitBilling(BillingCase):
    """Field visits in billing: their travel (hours x the contract's or the
    company's travel rate) and their parts reach a billing run once the
    visit is done, and once its signed work report is approved where the
    company asks for approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.travel_rate = 40
        cls.company.visit_approval_required = True
        cls.travel_product = cls.env.ref("service_billing.product_service_travel")
        cls.part = cls.env["product.product"].create(
            {"name": "Compressor relay", "list_price": 42.0, "type": "consu"}
        )
        cls.contract = cls.create_contract(name="Chiller care", travel_rate=50)

    def make_visit(self, travel_hours=1.5, check_out=True, parts=1, **values):
        ticket = self.open_ticket(name="Chiller stopped", **values)
        visit = self.env["service.visit"].create(
            {
                "ticket_id": ticket.id,
                "planned_start": f"{self.today} 08:00:00",
                "planned_end": f"{self.today} 10:00:00",
                "travel_hours": travel_hours,
            }
        )
        on_site = visit.with_user(self.technician)
        on_site.action_check_in()
        self.env["helpdesk.ticket.charge"].create(
            [{"visit_id": visit.id, "product_id": self.part.id, "quantity": 2}] * parts
        )
        if check_out:
            on_site.action_check_out()
        return visit

    def sign(self, visit):
        visit.write({"signed_by": "Alice Acme", "signature": SIGNATURE})

    def billed_lines(self, run):
        return run.invoice_ids.invoice_line_ids.filtered(
            lambda line: line.product_id in (self.travel_product | self.part)
        )

    def test_approved_visit_bills_travel_and_parts_once(self):
        visit = self.make_visit()
        self.sign(visit)
        self.assertEqual(visit.report_state, "signed")
        self.assertFalse(self.billed_lines(self.run_billing()), "not approved yet")
        visit.action_approve_report()
        self.assertEqual(visit.report_state, "approved")
        run = self.run_billing()
        invoice = run.invoice_ids
        self.assertEqual(invoice.partner_id, self.customer)
        lines = self.billed_lines(run).sorted("sequence")
        self.assertEqual(
            [(line.product_id, line.quantity, line.price_unit) for line in lines],
            [(self.part, 2.0, 42.0), (self.travel_product, 1.5, 50.0)],
        )
        self.assertEqual(visit.travel_invoice_line_id.move_id, invoice)
        self.assertEqual(visit.charge_ids.invoice_id, invoice)
        self.assertIn(visit.name, visit.travel_invoice_line_id.name)
        self.assertFalse(self.billed_lines(self.run_billing()), "invoiced once")

    def test_travel_at_the_company_rate_without_contract_rate(self):
        self.contract.travel_rate = 0
        visit = self.make_visit(travel_hours=2)
        self.assertEqual(visit.travel_rate, 40)
        self.assertEqual(visit.travel_amount, 80)
        self.assertEqual(visit.charge_amount, 84)
        self.sign(visit)
        visit.action_approve_report()
        travel = self.billed_lines(self.run_billing()).filtered(
            lambda line: line.product_id == self.travel_product
        )
        self.assertEqual((travel.quantity, travel.price_unit), (2.0, 40.0))

    def test_without_approval_done_visits_bill_at_once(self):
        self.company.visit_approval_required = False
        done = self.make_visit()
        on_site = self.make_visit(check_out=False)
        run = self.run_billing()
        self.assertEqual(done.report_state, "draft")
        self.assertTrue(done.travel_invoice_line_id)
        self.assertTrue(done.charge_ids.invoice_line_id)
        self.assertFalse(on_site.travel_invoice_line_id, "the visit is not done")
        self.assertFalse(on_site.charge_ids.invoice_line_id)
        self.assertEqual(len(self.billed_lines(run)), 2)

    def test_approval_gates_even_a_closed_tickets_parts(self):
        visit = self.make_visit()
        self.close(visit.ticket_id)
        self.sign(visit)
        self.run_billing()
        self.assertFalse(visit.charge_ids.invoice_line_id)
        self.assertFalse(visit.travel_invoice_line_id)

    def test_tickets_not_billed_keep_their_travel(self):
        self.company.visit_approval_required = False
        visit = self.make_visit(billing_mode="none")
        self.run_billing()
        self.assertFalse(visit.travel_invoice_line_id)

    def test_cancelled_invoice_makes_travel_billable_again(self):
        self.company.visit_approval_required = False
        visit = self.make_visit()
        run = self.run_billing()
        run.invoice_ids.button_cancel()
        self.assertFalse(visit.travel_invoice_line_id)
        self.assertTrue(self.billed_lines(self.run_billing()))
        self.assertTrue(visit.travel_invoice_line_id)

    def test_only_signed_reports_are_approved(self):
        visit = self.make_visit()
        with self.assertRaises(UserError):
            visit.action_approve_report()
        self.assertEqual(visit.report_state, "draft")

    def test_technicians_do_not_approve(self):
        visit = self.make_visit()
        self.sign(visit)
        with self.assertRaises(AccessError):
            visit.with_user(self.technician).action_approve_report()
        self.assertEqual(visit.report_state, "signed")

    def test_reports_to_approve_list(self):
        signed = self.make_visit()
        self.sign(signed)
        self.make_visit()
        action = self.env.ref("service_billing.service_visit_action_approval")
        visits = self.env["service.visit"].search(literal_eval(action.domain))
        self.assertEqual(visits, signed)
        views = self.env["service.visit"].get_views(
            [(action.view_ids.view_id.id, "list")]
        )
        arch = views["views"]["list"]["arch"]
        for field in ("travel_hours", "travel_rate", "travel_amount", "charge_amount"):
            self.assertIn(f'name="{field}"', arch)

    def test_charge_on_a_visit_belongs_to_its_ticket(self):
        visit = self.make_visit(check_out=False, parts=0)
        charge = self.env["helpdesk.ticket.charge"].create(
            {"visit_id": visit.id, "product_id": self.part.id}
        )
        self.assertEqual(charge.ticket_id, visit.ticket_id)
        self.assertEqual(visit.charge_ids, charge)
        other = self.open_ticket(name="Another")
        with self.assertRaises(ValidationError):
            charge.ticket_id = other
