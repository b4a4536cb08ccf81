from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _inherit = [
        "helpdesk.ticket",
        "service.computed.figures.mixin",
        "service.creation.values.mixin",
    ]
    _name = "helpdesk.ticket"

    contract_id = fields.Many2one(
        "service.contract",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id), ('state', '=', 'active')]",
    )
    billing_mode = fields.Selection(
        [
            ("contract", "Counts against the contract"),
            ("none", "Not counted"),
            ("invoice", "Invoiced separately"),
        ],
        compute="_compute_billing_mode",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    usage_ids = fields.One2many("service.contract.usage", "ticket_id")
    contract_remaining_qty = fields.Float(related="contract_id.remaining_qty")
    contract_allowance_unit = fields.Char(related="contract_id.allowance_unit")
    contract_allowance_type = fields.Selection(related="contract_id.allowance_type")
    equipment_id = fields.Many2one(
        "service.equipment",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
    )
    maintenance_plan_id = fields.Many2one(
        "service.maintenance.plan",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    maintenance_occurrence_id = fields.Many2one(
        "service.maintenance.occurrence",
        string="Maintenance Visit",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    maintenance_date = fields.Date(string="Planned Visit", readonly=True)
    is_preventive = fields.Boolean(string="Preventive", readonly=True)

    @api.constrains("contract_id", "partner_id")
    def _check_contract_customer(self):
        """A ticket's contract is one of the ticket's customer (commercial
        entity), whoever writes it: the view's domain alone is no rule."""
        wrong = self.filtered(
            lambda t: (
                t.contract_id
                and t.contract_id.partner_id != t.partner_id.commercial_partner_id
            )
        )
        if not wrong:
            return
        ticket = wrong[0]
        values = {
            "ticket": ticket.display_name,
            "contract": ticket.contract_id.display_name,
            "owner": ticket.contract_id.partner_id.display_name,
            "customer": ticket.partner_id.commercial_partner_id.display_name,
        }
        if ticket.partner_id:
            message = self.env._(
                "Ticket %(ticket)s cannot be under contract %(contract)s: the "
                "contract belongs to %(owner)s, the ticket's customer is "
                "%(customer)s.",
                **values,
            )
        else:
            message = self.env._(
                "Ticket %(ticket)s cannot be under contract %(contract)s: the "
                "contract belongs to %(owner)s and the ticket has no customer.",
                **values,
            )
        raise ValidationError(message)

    @api.depends("contract_id")
    def _compute_billing_mode(self):
        for ticket in self:
            if (
                not ticket.billing_mode
                or ticket.billing_mode == "contract"
                or ticket.contract_id
            ):
                ticket.billing_mode = self._billing_mode_of(ticket.contract_id)

    @api.model
    def _billing_mode_of(self, contract):
        """How a ticket is billed by default: against its contract, or
        invoiced separately without one."""
        return "contract" if contract else "invoice"

    @api.model
    def _add_precomputed_values(self, vals_list):
        """A new ticket's billing mode, read off its values (see
        ``service.creation.values.mixin``)."""
        for vals in vals_list:
            if "billing_mode" not in vals:
                vals["billing_mode"] = self._billing_mode_of(vals.get("contract_id"))
        return super()._add_precomputed_values(vals_list)

    # ------------------------------------------------------------------
    # Contract picking, enforcement, usage
    # ------------------------------------------------------------------
    @api.model
    def _pick_contracts(self, vals_list):
        """Fills ``contract_id`` (and the contract's assignee and team) in
        the values of new tickets, with one contract search for all."""
        todo = [v for v in vals_list if v.get("partner_id") and "contract_id" not in v]
        if not todo:
            return
        partners = self.env["res.partner"].browse({v["partner_id"] for v in todo})
        Contract = self.env["service.contract"]
        by_partner = Contract._applicable_contracts_by_partner(
            partners.commercial_partner_id,
            fields.Date.context_today(self),
            Contract._ticket_picking_fields(),
        )
        categories = self.env["helpdesk.ticket.category"].browse(
            {v["category_id"] for v in todo if v.get("category_id")}
        )
        equipments = self.env["service.equipment"].browse(
            {v["equipment_id"] for v in todo if v.get("equipment_id")}
        )
        for vals in todo:
            contact = partners.browse(vals["partner_id"])
            category = categories.browse(vals.get("category_id"))
            equipment = equipments.browse(vals.get("equipment_id"))
            chosen = by_partner.get(
                contact.commercial_partner_id.id, Contract
            )._choose_for_ticket(contact, category, equipment)
            if not chosen:
                continue
            vals["contract_id"] = chosen.id
            self._apply_contract_defaults(vals, chosen)

    @api.model
    def _apply_contract_defaults(self, vals, contract):
        """Fills in the values of a new ticket what its contract gives and
        the ticket does not say itself (the account manager, the team)."""
        for name, value in contract._prepare_ticket_defaults().items():
            if value and not vals.get(name):
                vals[name] = value

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id and not self.partner_id:
            self.partner_id = self.equipment_id.partner_id

    @api.onchange("partner_id", "category_id", "equipment_id")
    def _onchange_pick_contract(self):
        if (
            self.contract_id
            and self.contract_id.partner_id == self.commercial_partner_id
            and self.contract_id._covers_equipment(self.equipment_id)
        ):
            return
        vals = {
            "partner_id": self.partner_id.id,
            "category_id": self.category_id.id,
            "equipment_id": self.equipment_id.id,
        }
        self._pick_contracts([vals])
        self.contract_id = vals.get("contract_id", False)

    @api.model_create_multi
    def create(self, vals_list):
        self._pick_contracts(vals_list)
        tickets = super().create(vals_list)
        # Preventive tickets are the company's own planning, never refused.
        tickets.filtered(lambda t: not t.is_preventive)._check_enforcement()
        closed = tickets.filtered(lambda t: t.stage_id.closed)
        if closed:
            closed._close_work()
        return tickets

    def write(self, vals):
        was_open = (
            self.filtered(lambda t: not t.stage_id.closed)
            if "stage_id" in vals
            else None
        )
        result = super().write(vals)
        if was_open:
            newly_closed = was_open.filtered(lambda t: t.stage_id.closed)
            if newly_closed:
                newly_closed._close_work()
        return result

    @api.model
    def _action_open_tickets(self, field, record):
        """The tickets list of ``record`` (a contract, a piece of equipment),
        new tickets defaulting to it and to its customer."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            domain=[(field, "=", record.id)],
            context={
                f"default_{field}": record.id,
                "default_partner_id": record.partner_id.id,
            },
        )
        return action

    def _close_work(self):
        """What closing tickets settles: the coverage they close with is
        kept, their usage posted."""
        self._keep_closing_coverage()
        self._post_usage()

    def _post_usage(self):
        """Posts the usage of closed tickets (the difference only when a
        ticket is closed again). Runs as superuser: posting is bookkeeping
        that follows from a ticket's closing, which the user may do."""
        tickets = self.filtered(lambda t: t.billing_mode != "none")
        if tickets:
            self.env["service.contract.usage"].sudo()._post_ticket_usage(tickets.sudo())
