from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class HelpdeskTicket(models.Model):
    _inherit = ["helpdesk.ticket", "service.computed.figures.mixin"]
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
    coverage_warning = fields.Text(
        compute="_compute_coverage_warning",
        store=True,
        help="Every reason the request is not plainly covered.",
    )
    coverage_doubtful = fields.Boolean(
        compute="_compute_coverage_warning", store=True, index=True
    )
    coverage_badge = fields.Selection(
        [
            ("no_contract", "No contract"),
            ("ended", "Ended"),
            ("not_started", "Not started"),
            ("unpaid", "Unpaid"),
            ("used_up", "Used up"),
            ("not_covered", "Not covered"),
        ],
        string="Coverage",
        compute="_compute_coverage_warning",
        store=True,
        help="The first reason the request is not plainly covered, in short; "
        "the coverage warning gives them all.",
    )
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

    def _computed_figures(self):
        return super()._computed_figures() | {"coverage_warning", "coverage_doubtful"}

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
                ticket.billing_mode = "contract" if ticket.contract_id else "invoice"

    @api.depends(
        "contract_id.state",
        "contract_id.date_start",
        "contract_id.date_end",
        "contract_id.remaining_qty",
        "contract_id.allowance_total_qty",
        "contract_id.period_ids.is_paid",
        "contract_id.period_ids.date_start",
        "contract_id.period_ids.date_end",
        "contract_id.category_ids",
        "contract_id.authorized_partner_ids",
        "contract_id.equipment_ids",
        "partner_id",
        "category_id",
        "equipment_id.warranty_end_date",
        "billing_mode",
        "timesheet_ids",
    )
    def _compute_coverage_warning(self):
        reasons_by_ticket = self._coverage_reasons()
        badges = self._coverage_badge_by_reason()
        for ticket in self:
            reasons = reasons_by_ticket.get(ticket, [])
            ticket.coverage_warning = (
                "\n".join(text for _code, text in reasons) or False
            )
            ticket.coverage_doubtful = bool(reasons)
            ticket.coverage_badge = badges[reasons[0][0]] if reasons else False

    @api.model
    def _coverage_badge_by_reason(self):
        """The ``coverage_badge`` of each reason code of ``_coverage_reasons``."""
        return {
            "no_customer": "no_contract",
            "no_contract": "no_contract",
            "expired": "ended",
            "not_started": "not_started",
            "unpaid": "unpaid",
            "earlier_unpaid": "unpaid",
            "exhausted": "used_up",
            "category": "not_covered",
            "contact": "not_covered",
            "equipment": "not_covered",
            "warranty": "not_covered",
        }

    def _coverage_reasons(self):
        """``{ticket: [(code, text)]}``: every reason each ticket is not
        plainly covered. Batched: one contract search for the tickets without
        a contract, the others read their (prefetched) contract."""
        today = fields.Date.context_today(self)
        result = {}
        without = self.filtered(
            lambda t: not t.contract_id and t.billing_mode != "none"
        )
        last_contracts = self._last_contracts(without.commercial_partner_id)
        for ticket in self:
            if ticket.billing_mode == "none":
                continue
            contract = ticket.contract_id
            if not contract:
                result[ticket] = ticket._reasons_without_contract(
                    last_contracts.get(ticket.commercial_partner_id.id), today
                )
            else:
                result[ticket] = ticket._reasons_with_contract(contract, today)
        return result

    @api.model
    def _last_contracts(self, partners):
        """The most recent non-draft contract of each customer."""
        if not partners:
            return {}
        contracts = self.env["service.contract"].search(
            [("partner_id", "in", partners.ids), ("state", "!=", "draft")],
            order="date_start desc, id desc",
        )
        last = {}
        for contract in contracts:
            last.setdefault(contract.partner_id.id, contract)
        return last

    def _reasons_without_contract(self, last_contract, today):
        if not self.commercial_partner_id:
            # Nobody to hold to a contract: only work to bill needs a customer.
            if not self.timesheet_ids:
                return []
            return [
                (
                    "no_customer",
                    self.env._(
                        "No customer: the work logged on this ticket cannot be "
                        "billed until its customer is set."
                    ),
                )
            ]
        if last_contract and last_contract.state == "expired":
            return [
                (
                    "expired",
                    self.env._(
                        "No service contracted: %(contract)s expired on %(date)s; "
                        "the work will be invoiced separately.",
                        contract=last_contract.display_name,
                        date=last_contract.date_end,
                    ),
                )
            ]
        return [
            (
                "no_contract",
                self.env._("No active contract: the work will be invoiced separately."),
            )
        ]

    def _reasons_with_contract(self, contract, today):
        reasons = []
        if contract.state in ("expired", "cancelled") or (
            contract.date_end and contract.date_end < today
        ):
            reasons.append(
                ("expired", self.env._("Contract %s has ended.", contract.display_name))
            )
        elif contract.date_start > today or contract.state == "draft":
            reasons.append(
                (
                    "not_started",
                    self.env._(
                        "Contract %(c)s is not in force yet (starts %(d)s).",
                        c=contract.display_name,
                        d=contract.date_start,
                    ),
                )
            )
        current = contract._period_on(today)
        if current and not current.is_paid and current.payment_mode == "prepaid":
            reasons.append(
                (
                    "unpaid",
                    self.env._(
                        "The current service period (%s) is not paid.", current.name
                    ),
                )
            )
        earlier = contract.period_ids.filtered(
            lambda p: (
                not p.is_paid and p.due_date and p.due_date < today and p != current
            )
        )
        if earlier:
            reasons.append(
                (
                    "earlier_unpaid",
                    self.env._(
                        "%(count)s earlier service period(s) unpaid: %(names)s.",
                        count=len(earlier),
                        names=", ".join(earlier.mapped("name")),
                    ),
                )
            )
        if (
            contract.allowance_type != "time"
            and contract.allowance_total_qty
            and contract.remaining_qty <= 0
        ):
            reasons.append(
                (
                    "exhausted",
                    self.env._(
                        "The allowance of %s is used up: the work will be billed "
                        "as overage.",
                        contract.display_name,
                    ),
                )
            )
        if not contract._covers_category(self.category_id):
            reasons.append(
                (
                    "category",
                    self.env._(
                        "The category %s is not covered by the contract.",
                        self.category_id.display_name,
                    ),
                )
            )
        if not contract._covers_contact(self.partner_id):
            reasons.append(
                (
                    "contact",
                    self.env._(
                        "%(contact)s is not authorized to open tickets on this "
                        "contract; ask %(manager)s.",
                        contact=self.partner_id.display_name,
                        manager=contract.user_id.name or contract.company_id.name,
                    ),
                )
            )
        reasons += self.equipment_id._coverage_reasons(contract, today)
        return reasons

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
        by_partner = self.env["service.contract"]._applicable_contracts_by_partner(
            partners.commercial_partner_id, fields.Date.context_today(self)
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
            # Never a contract the contact is not authorized on: staff may
            # choose one, a ticket never falls under it by itself.
            # (a list, not filtered(): the records keep the prefetch of the
            # whole search)
            candidates = [
                c
                for c in by_partner.get(contact.commercial_partner_id.id, [])
                if c._covers_contact(contact)
            ]
            covering = [
                c for c in candidates if c._covers(contact, category, equipment)
            ]
            # A contract listing the equipment comes before general ones.
            chosen = next(
                (c for c in covering if equipment and equipment in c.equipment_ids),
                (covering or candidates or [None])[0],
            )
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
            closed._post_usage()
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
                newly_closed._post_usage()
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

    @api.model
    def _blocking_reason_codes(self):
        """Coverage reasons for which a contract with enforcement "block"
        refuses new tickets."""
        return {"expired", "not_started", "unpaid", "earlier_unpaid", "exhausted"}

    def _check_enforcement(self):
        """Refuses new tickets on a blocking contract that is exhausted,
        ended or unpaid, naming every reason."""
        last_contracts = self._last_contracts(
            self.filtered(lambda t: not t.contract_id).commercial_partner_id
        )
        contract_of = {
            ticket: ticket.contract_id
            or last_contracts.get(ticket.commercial_partner_id.id)
            for ticket in self
        }
        enforced = self.filtered(
            lambda t: contract_of[t] and contract_of[t].enforcement == "block"
        )
        if not enforced:
            return
        reasons_by_ticket = enforced._coverage_reasons()
        blocking_codes = self._blocking_reason_codes()
        for ticket in enforced:
            contract = contract_of[ticket]
            blocking = [
                text
                for code, text in reasons_by_ticket.get(ticket, [])
                if code in blocking_codes
            ]
            if blocking:
                raise UserError(
                    self.env._(
                        "This request cannot be accepted under %(contract)s:\n"
                        "%(reasons)s",
                        contract=contract.display_name,
                        reasons="\n".join(blocking),
                    )
                )

    def _post_usage(self):
        """Posts the usage of closed tickets (the difference only when a
        ticket is closed again). Runs as superuser: posting is bookkeeping
        that follows from a ticket's closing, which the user may do."""
        tickets = self.filtered(lambda t: t.billing_mode != "none")
        if tickets:
            self.env["service.contract.usage"].sudo()._post_ticket_usage(tickets.sudo())

    @api.model
    def _cron_refresh_coverage(self, batch_size=5000):
        """Time moves coverage on (a period starts, a contract ends): refresh
        the warning of open tickets, in batches."""
        tickets = self.search([("stage_id.closed", "=", False)])
        field = self._fields["coverage_warning"]
        for start in range(0, len(tickets), batch_size):
            batch = tickets[start : start + batch_size]
            self.env.add_to_compute(field, batch)
            batch.flush_recordset(["coverage_warning", "coverage_doubtful"])
