from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class HelpdeskTicketCharge(models.Model):
    """A priced item added on a ticket (parts, travel, expenses), invoiced
    with the ticket's work outside contracts."""

    _name = "helpdesk.ticket.charge"
    _description = "Ticket Charge"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    visit_id = fields.Many2one(
        "service.visit",
        index="btree_not_null",
        ondelete="set null",
        domain="[('ticket_id', '=', ticket_id)]",
        help="The field visit where the part was used or the expense made: "
        "it is invoiced with the visit's travel.",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
        precompute=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(
        default=1.0, required=True, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Subtotal", compute="_compute_amount", store=True)
    invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")
    is_invoiced = fields.Boolean(compute="_compute_is_invoiced")

    @api.model_create_multi
    def create(self, vals_list):
        # A charge added on a visit belongs to the visit's ticket.
        visit_ids = {
            vals["visit_id"]
            for vals in vals_list
            if vals.get("visit_id") and not vals.get("ticket_id")
        }
        tickets = {
            visit.id: visit.ticket_id.id
            for visit in self.env["service.visit"].browse(visit_ids)
        }
        for vals in vals_list:
            if vals.get("visit_id") and not vals.get("ticket_id"):
                vals["ticket_id"] = tickets[vals["visit_id"]]
        return super().create(vals_list)

    @api.depends("product_id")
    def _compute_name(self):
        for charge in self:
            charge.name = charge.product_id.display_name or charge.name

    @api.depends("product_id")
    def _compute_price_unit(self):
        for charge in self:
            charge.price_unit = charge.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_amount(self):
        for charge in self:
            charge.amount = charge.quantity * charge.price_unit

    @api.depends("invoice_line_id")
    def _compute_is_invoiced(self):
        for charge in self:
            charge.is_invoiced = bool(charge.invoice_line_id)

    @api.constrains("quantity")
    def _check_quantity(self):
        if any(charge.quantity <= 0 for charge in self):
            raise ValidationError(self.env._("A charge needs a positive quantity."))

    @api.constrains("visit_id", "ticket_id")
    def _check_visit_ticket(self):
        for charge in self.filtered("visit_id"):
            if charge.visit_id.ticket_id != charge.ticket_id:
                raise ValidationError(
                    self.env._(
                        "The charge %(charge)s is on ticket %(ticket)s, and the "
                        "visit %(visit)s is for another ticket.",
                        charge=charge.name,
                        ticket=charge.ticket_id.display_name,
                        visit=charge.visit_id.display_name,
                    )
                )

    def _check_not_invoiced(self):
        invoiced = self.filtered("invoice_line_id")
        if invoiced:
            raise UserError(
                self.env._(
                    "The charge %(charge)s is on invoice %(invoice)s already: change "
                    "the invoice instead, or delete the draft invoice first.",
                    charge=invoiced[0].name,
                    invoice=invoiced[0].invoice_id.display_name,
                )
            )

    def write(self, vals):
        if set(vals) - {"invoice_line_id"}:
            self._check_not_invoiced()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        self._check_not_invoiced()

    # ------------------------------------------------------------------
    # Billing (service.billing.engine): charges of closed tickets
    # ------------------------------------------------------------------
    @api.model
    def _billing_due_domain(self, job):
        # A visit's parts come with the visit (done, and approved where the
        # company asks), the others with the ticket's closing.
        domain = [
            ("date", "<=", job["date"]),
            ("ticket_id.billing_mode", "!=", "none"),
            "|",
            ("visit_id", "!=", False),
            ("ticket_id.stage_id.closed", "=", True),
        ] + self._visit_ready_domain(job["company"])
        if job["contracts"]:
            domain.append(("ticket_id.contract_id", "in", job["contracts"].ids))
        return domain

    @api.model
    def _visit_ready_domain(self, company):
        """Charges whose visit lets them be invoiced: those of no visit, or
        of a visit done (and approved, where the company asks)."""
        return [
            "|",
            ("visit_id", "=", False),
            ("visit_id", "any", self.env["service.visit"]._billable_domain(company)),
        ]

    def _billing_items(self, job):
        return [
            {
                "records": charge,
                "contract": charge.ticket_id.contract_id,
                "partner": charge.partner_id,
                "tickets": charge.ticket_id,
                "sort": (
                    charge.ticket_id.contract_id.code or "",
                    charge.date,
                    3,
                    charge.id,
                ),
            }
            for charge in self
        ]

    @api.model
    def _billing_line_vals(self, item, job):
        charge = item["records"]
        return [
            {
                "product_id": charge.product_id.id,
                "name": "{}\n{}".format(
                    charge.name,
                    self.env._("Ticket %s", charge.ticket_id.display_name),
                ),
                "quantity": charge.quantity,
                "price_unit": charge.price_unit,
            }
        ]
