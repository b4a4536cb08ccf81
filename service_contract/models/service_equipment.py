from odoo import api, fields, models


class ServiceEquipment(models.Model):
    _name = "service.equipment"
    _description = "Customer Equipment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "partner_id, name, id"
    _check_company_auto = True
    _rec_names_search = ["name", "serial_number"]

    name = fields.Char(required=True, tracking=True)
    serial_number = fields.Char(index="trigram", tracking=True, copy=False)
    active = fields.Boolean(default=True)
    product_id = fields.Many2one("product.product", check_company=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    location = fields.Char(help="Where the equipment stands: site, building, room.")
    warranty_end_date = fields.Date(string="Warranty Until", tracking=True)
    under_warranty = fields.Boolean(compute="_compute_under_warranty")
    note = fields.Html(string="Notes")
    contract_ids = fields.Many2many(
        "service.contract",
        "service_contract_equipment_rel",
        "equipment_id",
        "contract_id",
        string="Contracts",
        help="Contracts covering this equipment.",
    )
    maintenance_plan_ids = fields.Many2many(
        "service.maintenance.plan",
        "service_maintenance_plan_equipment_rel",
        "equipment_id",
        "plan_id",
        string="Maintenance Plans",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "equipment_id", string="Tickets")
    maintenance_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "equipment_id",
        string="Maintenance History",
        domain=[("is_preventive", "=", True)],
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    _sql_constraints = [
        (
            "serial_company_uniq",
            "unique(serial_number, company_id)",
            "Another equipment of this company already has this serial number.",
        ),
    ]

    @api.depends("name", "serial_number")
    def _compute_display_name(self):
        for equipment in self:
            equipment.display_name = (
                f"{equipment.name} ({equipment.serial_number})"
                if equipment.serial_number
                else equipment.name
            )

    @api.depends("warranty_end_date")
    @api.depends_context("date")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for equipment in self:
            equipment.under_warranty = bool(
                equipment.warranty_end_date and equipment.warranty_end_date >= today
            )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.ticket_count = counts.get(equipment, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        return super().write(vals)

    def _coverage_reasons(self, contract, today):
        """``[(code, text)]``: why a ticket about this equipment is not plainly
        covered by ``contract``. Equipment the contract lists is covered
        whatever its warranty; other equipment also needs a running warranty."""
        if not self:
            return []
        self.ensure_one()
        reasons = []
        if not contract._covers_equipment(self):
            reasons.append(
                (
                    "equipment",
                    self.env._(
                        "%(equipment)s is not covered by the contract %(contract)s.",
                        equipment=self.display_name,
                        contract=contract.display_name,
                    ),
                )
            )
        expired = self.warranty_end_date and self.warranty_end_date < today
        if expired and self not in contract.equipment_ids:
            reasons.append(
                (
                    "warranty",
                    self.env._(
                        "%(equipment)s is out of warranty since %(date)s.",
                        equipment=self.display_name,
                        date=self.warranty_end_date,
                    ),
                )
            )
        return reasons

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._action_open_tickets("equipment_id", self)
