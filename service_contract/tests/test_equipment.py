from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ServiceContractCase


class EquipmentCase(ServiceContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.copier = cls.create_equipment("Copier", "CP-1001")
        cls.server = cls.create_equipment("Server", "SRV-2002")

    @classmethod
    def create_equipment(cls, name, serial, partner=None, **values):
        return cls.env["service.equipment"].create(
            {
                "name": name,
                "serial_number": serial,
                "partner_id": (partner or cls.customer).id,
                "warranty_end_date": cls.today + relativedelta(years=1),
                **values,
            }
        )


@tagged("post_install", "-at_install")
class TestEquipment(EquipmentCase):
    def test_serial_number_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.create_equipment("Copier twin", "CP-1001")
        other_company = self.env["res.company"].create({"name": "Other Co"})
        twin = self.create_equipment("Copier", "CP-1001", company_id=other_company.id)
        self.assertEqual(twin.serial_number, self.copier.serial_number)
        # Equipment without a serial number is allowed as often as needed.
        self.create_equipment("Chair", False)
        self.create_equipment("Desk", False)

    def test_found_by_serial_number(self):
        Equipment = self.env["service.equipment"]
        self.assertEqual(
            Equipment.name_search("SRV-20"), [(self.server.id, "Server (SRV-2002)")]
        )
        ticket = self.open_ticket(equipment_id=self.server.id)
        found = self.env["helpdesk.ticket"].search(
            [("equipment_id", "ilike", "SRV-2002")]
        )
        self.assertEqual(found, ticket)

    def test_customer_is_commercial_entity_and_tickets_counted(self):
        equipment = self.create_equipment("Laptop", "LT-1", partner=self.contact)
        self.assertEqual(equipment.partner_id, self.customer)
        self.open_ticket(equipment_id=equipment.id)
        self.open_ticket(equipment_id=equipment.id)
        self.assertEqual(equipment.ticket_count, 2)
        self.assertEqual(len(equipment.ticket_ids), 2)
        self.assertFalse(equipment.maintenance_ticket_ids)
        self.assertIn(equipment, self.customer.service_equipment_ids)

    def test_contract_with_equipment_covers_its_equipment(self):
        contract = self.create_contract(equipment_ids=[self.copier.id])
        self.assertEqual(self.copier.contract_ids, contract)
        ticket = self.open_ticket(equipment_id=self.copier.id)
        self.assertEqual(ticket.contract_id, contract)
        self.assertFalse(ticket.coverage_warning)

        other = self.open_ticket(equipment_id=self.server.id)
        self.assertEqual(
            other.contract_id, contract, "the only contract, with a warning"
        )
        self.assertTrue(other.coverage_doubtful)
        self.assertIn(
            "Server (SRV-2002) is not covered by the contract", other.coverage_warning
        )
        self.assertNotIn("warranty", other.coverage_warning)

        # Adding the server to the contract clears the warning.
        contract.equipment_ids = [(4, self.server.id)]
        self.assertFalse(other.coverage_warning)

    def test_ticket_about_equipment_picks_the_contract_listing_it(self):
        general = self.create_contract(name="General support", sequence=1)
        maintenance = self.create_contract(
            name="Copier maintenance", sequence=2, equipment_ids=[self.copier.id]
        )
        self.assertEqual(
            self.open_ticket(equipment_id=self.copier.id).contract_id, maintenance
        )
        self.assertEqual(
            self.open_ticket(equipment_id=self.server.id).contract_id, general
        )
        self.assertEqual(self.open_ticket().contract_id, general)

    def test_out_of_warranty(self):
        self.server.warranty_end_date = self.today - relativedelta(days=1)
        contract = self.create_contract()
        ticket = self.open_ticket(equipment_id=self.server.id)
        self.assertEqual(ticket.contract_id, contract)
        expired_on = self.server.warranty_end_date
        self.assertIn(
            f"Server (SRV-2002) is out of warranty since {expired_on}",
            ticket.coverage_warning,
        )
        self.assertNotIn("not covered", ticket.coverage_warning)

        # Equipment the contract lists is covered whatever its warranty.
        contract.equipment_ids = [(4, self.server.id)]
        self.assertFalse(ticket.coverage_warning)

        # A contract listing other equipment: both reasons.
        contract.equipment_ids = [(6, 0, self.copier.ids)]
        self.assertIn("not covered by the contract", ticket.coverage_warning)
        self.assertIn("out of warranty", ticket.coverage_warning)

        # Extending the warranty clears it.
        contract.equipment_ids = [(5, 0)]
        self.server.warranty_end_date = self.today + relativedelta(months=6)
        self.assertFalse(ticket.coverage_warning)

    def test_equipment_reasons_do_not_block(self):
        contract = self.create_contract(
            enforcement="block", equipment_ids=[self.copier.id]
        )
        self.server.warranty_end_date = self.today - relativedelta(days=1)
        ticket = self.open_ticket(contract_id=contract.id, equipment_id=self.server.id)
        self.assertIn("not covered", ticket.coverage_warning)

    def test_ticket_form_takes_customer_and_contract_from_equipment(self):
        contract = self.create_contract(equipment_ids=[self.copier.id])
        form = Form(self.env["helpdesk.ticket"])
        form.name = "Paper jam"
        form.description = "<p>Paper jam</p>"
        form.equipment_id = self.copier
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contract_id, contract)
