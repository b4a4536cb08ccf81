from odoo import Command, api, fields, models

# Payment states of a paid invoice, and of one that no longer counts as a debt.
PAID_STATES = ("paid", "in_payment")
SETTLED_STATES = (*PAID_STATES, "reversed")


class AccountMove(models.Model):
    _inherit = "account.move"

    is_service_invoice = fields.Boolean(
        string="Service Invoice",
        readonly=True,
        copy=False,
        index=True,
        help="Invoices service contracts or work on tickets.",
    )
    service_billing_run_id = fields.Many2one(
        "service.billing.run",
        string="Billing Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    # Inverses of the links to invoices: they also let the ORM find the
    # periods and contracts to update when a payment changes without a query.
    service_period_ids = fields.One2many(
        "service.contract.period", "invoice_id", string="Service Periods"
    )
    service_suspended_contract_ids = fields.Many2many(
        "service.contract",
        "service_contract_suspension_invoice_rel",
        "move_id",
        "contract_id",
        string="Suspended Contracts",
        readonly=True,
        copy=False,
    )
    service_contract_ids = fields.Many2many(
        "service.contract",
        compute="_compute_service_contract_ids",
        search="_search_service_contract_ids",
        string="Service Contracts",
    )
    service_dunning_level_ids = fields.Many2many(
        "service.dunning.level",
        string="Reminders Sent",
        readonly=True,
        copy=False,
    )
    service_dunning_date = fields.Date(
        string="Last Reminder", readonly=True, copy=False
    )
    is_service_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_service_overdue",
        search="_search_is_service_overdue",
    )

    @api.depends("invoice_line_ids.service_contract_id")
    def _compute_service_contract_ids(self):
        for move in self:
            move.service_contract_ids = move.invoice_line_ids.service_contract_id

    def _search_service_contract_ids(self, operator, value):
        return [("invoice_line_ids.service_contract_id", operator, value)]

    @api.depends("invoice_date_due", "state", "payment_state")
    @api.depends_context("date")
    def _compute_is_service_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.is_service_overdue = bool(
                move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due
                and move.invoice_date_due < today
            )

    def _search_is_service_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        domain = [
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", "&"] + domain

    def _is_service_paid(self):
        """The invoice is posted and paid (or in payment)."""
        self.ensure_one()
        return self.state == "posted" and self.payment_state in PAID_STATES

    def _filtered_service_unsettled(self):
        """Those of these invoices still owed: posted, neither paid nor
        reversed."""
        return self.filtered(
            lambda move: (
                move.state == "posted" and move.payment_state not in SETTLED_STATES
            )
        )

    def button_cancel(self):
        result = super().button_cancel()
        self._release_service_items()
        return result

    def _release_service_items(self):
        """Makes the periods, usage, charges and visits' travel of cancelled invoices
        billable again."""
        service = self.filtered("is_service_invoice").sudo()
        if not service:
            return
        lines = service.invoice_line_ids
        service.service_period_ids.invoice_id = False
        lines.service_usage_ids.invoice_line_id = False
        lines.service_charge_ids.invoice_line_id = False
        lines.service_visit_ids.travel_invoice_line_id = False
        for move in service:
            move.message_post(
                body=self.env._(
                    "Cancelled: the service items it invoiced are billable again."
                )
            )

    def _send_reminder(self, level, reached, today):
        """Sends the dunning ``level`` to the customer (in the chatter), notes
        every level ``reached`` as sent and suspends the service where the
        level says so."""
        self.ensure_one()
        self.message_post_with_source(
            level.mail_template_id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.write(
            {
                "service_dunning_level_ids": [Command.link(lv.id) for lv in reached],
                "service_dunning_date": today,
            }
        )
        if level.suspend_service:
            self.service_contract_ids._suspend(self)

    def _action_open_invoices(self):
        """These customer invoices in the invoices list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            domain=[("id", "in", self.ids)],
            context={"default_move_type": "out_invoice", "create": False},
        )
        return action
