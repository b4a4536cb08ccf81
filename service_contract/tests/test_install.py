from odoo.tests import tagged

from .common import ServiceContractCase


@tagged("post_install", "-at_install")
class TestInstall(ServiceContractCase):
    def test_contracts_menu_under_helpdesk(self):
        menu = self.env.ref("service_contract.menu_service_contract_root")
        self.assertEqual(
            menu.parent_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        )
        visible = self.env["ir.ui.menu"].with_user(self.technician)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    def test_access_rights(self):
        Contract = self.env["service.contract"]
        self.assertTrue(Contract.with_user(self.technician).has_access("read"))
        self.assertFalse(Contract.with_user(self.technician).has_access("create"))
        self.assertTrue(Contract.with_user(self.manager).has_access("create"))
        Usage = self.env["service.contract.usage"]
        self.assertFalse(Usage.with_user(self.manager).has_access("unlink"))

    def test_reference_from_sequence(self):
        first = self.create_contract()
        second = self.create_contract(name="Second")
        self.assertTrue(first.code.startswith("SC/"))
        self.assertNotEqual(first.code, second.code)
        self.assertIn(first.code, first.display_name)

    def test_contract_partner_is_commercial_entity(self):
        contract = self.create_contract(partner_id=self.contact.id)
        self.assertEqual(contract.partner_id, self.customer)

    def test_tickets_button_lists_the_contract_tickets(self):
        contract = self.create_contract()
        ticket = self.open_ticket()
        self.open_ticket(partner=self.env["res.partner"].create({"name": "Other"}))
        action = contract.action_view_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(action["domain"]), ticket)
        self.assertEqual(action["context"]["default_contract_id"], contract.id)
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
