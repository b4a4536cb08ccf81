from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ServiceMaintenanceOccurrence(models.Model):
    """One visit of a maintenance plan: the plan remembers each due date it
    generated tickets for, so a date is never generated twice."""

    _name = "service.maintenance.occurrence"
    _description = "Maintenance Visit"
    _order = "date, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "service.maintenance.plan",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(related="plan_id.name")
    date = fields.Date(string="Visit", required=True, readonly=True, index=True)
    contract_id = fields.Many2one(
        related="plan_id.contract_id", store=True, index=True, string="Contract"
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    contact_id = fields.Many2one(
        "res.partner",
        compute="_compute_contact_id",
        store=True,
        string="Customer Contact",
    )
    user_id = fields.Many2one(
        "res.users", compute="_compute_user_id", store=True, string="Assignee"
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "maintenance_occurrence_id", string="Tickets"
    )
    equipment_ids = fields.Many2many(
        "service.equipment", compute="_compute_equipment_ids"
    )
    notice_date = fields.Date(
        compute="_compute_notice_date",
        store=True,
        index=True,
        help="When the customer contact is told of the visit.",
    )
    notice_sent = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")],
        compute="_compute_state",
        store=True,
    )

    _sql_constraints = [
        (
            "plan_date_uniq",
            "unique(plan_id, date)",
            "A maintenance plan has one visit per due date.",
        ),
    ]

    @api.depends("plan_id.contact_id", "plan_id.partner_id")
    def _compute_contact_id(self):
        for occurrence in self:
            occurrence.contact_id = (
                occurrence.plan_id.contact_id or occurrence.plan_id.partner_id
            )

    @api.depends("plan_id.user_id", "plan_id.contract_id.user_id")
    def _compute_user_id(self):
        for occurrence in self:
            plan = occurrence.plan_id
            occurrence.user_id = plan.user_id or plan.contract_id.user_id

    @api.depends("ticket_ids.equipment_id")
    def _compute_equipment_ids(self):
        for occurrence in self:
            occurrence.equipment_ids = occurrence.ticket_ids.equipment_id

    @api.depends("date", "plan_id.notice_days")
    def _compute_notice_date(self):
        for occurrence in self:
            days = occurrence.plan_id.notice_days
            occurrence.notice_date = (
                occurrence.date - relativedelta(days=days) if days else False
            )

    @api.depends("ticket_ids.stage_id.closed")
    def _compute_state(self):
        for occurrence in self:
            tickets = occurrence.ticket_ids
            done = tickets and all(tickets.mapped("stage_id.closed"))
            occurrence.state = "done" if done else "planned"

    @api.depends("plan_id.name", "date")
    def _compute_display_name(self):
        for occurrence in self:
            occurrence.display_name = f"{occurrence.plan_id.name} ({occurrence.date})"

    @api.model
    def _send_due_notices(self, today, plans=None):
        """E-mails the customer contact of each visit whose notice date has
        come, once per visit (never for a visit already past)."""
        domain = [
            ("notice_sent", "=", False),
            ("notice_date", "<=", today),
            ("date", ">=", today),
            ("contact_id.email", "!=", False),
        ]
        if plans is not None:
            domain.append(("plan_id", "in", plans.ids))
        Plan = self.env["service.maintenance.plan"]
        occurrences = Plan._skip_locked(self.search(domain))
        if occurrences:
            template = self.env.ref("service_contract.mail_template_maintenance_notice")
            template.send_mail_batch(occurrences.ids)
            occurrences.write({"notice_sent": True})
        return occurrences

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(domain=[("maintenance_occurrence_id", "=", self.id)], context={})
        return action
