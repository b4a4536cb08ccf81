from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.anchored_calendar import anchored_date, next_anchored_date

# (months, days) of one interval unit
INTERVAL_STEPS = {"day": (0, 1), "week": (0, 7), "month": (1, 0)}


class ServiceMaintenancePlan(models.Model):
    """A contract's preventive maintenance: every N days, weeks or months,
    tickets are created ahead of the visit (one per equipment) and the
    customer is told before it."""

    _name = "service.maintenance.plan"
    _description = "Preventive Maintenance Plan"
    _inherit = ["mail.thread"]
    _order = "date_next, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "service.contract",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(
        related="contract_id.partner_id", store=True, string="Customer"
    )
    active = fields.Boolean(default=True)
    name = fields.Char(
        string="Ticket Title",
        required=True,
        tracking=True,
        help="Title of the tickets the plan creates, e.g. Quarterly inspection.",
    )
    description = fields.Html(help="Work to do, copied into each ticket.")
    category_id = fields.Many2one("helpdesk.ticket.category")
    team_id = fields.Many2one(
        "helpdesk.ticket.team", help="Empty: the contract's team."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        tracking=True,
        help="Empty: the contract's account manager.",
    )
    planned_hours = fields.Float(string="Estimated Hours")
    contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="Contact of the tickets, told of each visit. Empty: the customer.",
    )
    equipment_ids = fields.Many2many(
        "service.equipment",
        "service_maintenance_plan_equipment_rel",
        "plan_id",
        "equipment_id",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="One ticket per equipment at each visit. Empty: one ticket for the "
        "contract as a whole.",
    )
    interval_number = fields.Integer(string="Every", default=3, required=True)
    interval_type = fields.Selection(
        [("day", "Days"), ("week", "Weeks"), ("month", "Months")],
        string="Interval",
        default="month",
        required=True,
    )
    date_start = fields.Date(
        string="First Visit",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The schedule counts from this date: a first visit on January 31 "
        "repeated every month falls on the last day of shorter months.",
    )
    date_next = fields.Date(
        string="Next Visit",
        compute="_compute_date_next",
        inverse="_inverse_date_next",
        store=True,
        readonly=False,
        help="The next due date that has no tickets yet. Changing it moves the "
        "schedule: the next visit falls on that date and the following ones "
        "count from it.",
    )
    lead_days = fields.Integer(
        string="Tickets Ahead (days)",
        default=14,
        help="The tickets of a visit are created this many days before it.",
    )
    notice_days = fields.Integer(
        string="Customer Notice (days)",
        default=7,
        help="The customer contact is e-mailed this many days before the visit. "
        "Zero: no notice.",
    )
    date_generate = fields.Date(
        string="Tickets Created On",
        compute="_compute_date_generate",
        store=True,
        index=True,
        help="When the next visit's tickets are created; empty once the "
        "contract has ended.",
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "maintenance_plan_id", string="Tickets"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    occurrence_ids = fields.One2many(
        "service.maintenance.occurrence", "plan_id", string="Visits"
    )

    @api.constrains("interval_number", "lead_days", "notice_days")
    def _check_schedule(self):
        for plan in self:
            if plan.interval_number < 1:
                raise ValidationError(
                    self.env._("A plan repeats at least every 1 day.")
                )
            if plan.lead_days < 0 or plan.notice_days < 0:
                raise ValidationError(
                    self.env._(
                        "The lead time and the customer notice cannot be negative."
                    )
                )
            if plan.notice_days > plan.lead_days:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the customer is told of a visit once its tickets "
                        "exist; give a lead time of at least %(days)s days.",
                        plan=plan.name,
                        days=plan.notice_days,
                    )
                )

    @api.constrains("date_start", "contract_id")
    def _check_date_start(self):
        for plan in self:
            contract = plan.contract_id
            if plan.date_start < contract.date_start or (
                contract.date_end and plan.date_start > contract.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The first visit of %(plan)s must lie within the dates of "
                        "%(contract)s.",
                        plan=plan.name,
                        contract=contract.display_name,
                    )
                )

    @api.constrains("equipment_ids", "contract_id")
    def _check_equipment(self):
        for plan in self:
            foreign = plan.equipment_ids.filtered(
                lambda e, plan=plan: e.partner_id != plan.partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(equipment)s does not belong to %(customer)s.",
                        equipment=", ".join(foreign.mapped("display_name")),
                        customer=plan.partner_id.display_name,
                    )
                )

    def _last_visit_dates(self):
        """``{plan: date of its last visit}`` for the plans that have one."""
        return dict(
            self.env["service.maintenance.occurrence"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["date:max"]
            )
        )

    @api.depends(
        "date_start", "interval_number", "interval_type", "occurrence_ids.date"
    )
    def _compute_date_next(self):
        last_dates = self._origin._last_visit_dates()
        for plan in self:
            plan.date_next = plan._scheduled_next_date(last_dates.get(plan._origin))

    def _scheduled_next_date(self, last):
        """The next due date of the schedule after the last visit ``last``."""
        if not self.date_start or self.interval_number < 1:
            return False
        if last and last >= self.date_start:
            return self._due_date_after(last)
        return self.date_start

    def _inverse_date_next(self):
        """Moves the schedule's anchor to the written next visit (where it is
        not the one the schedule gives already)."""
        last_dates = self._last_visit_dates()
        for plan in self.filtered("date_next"):
            last = last_dates.get(plan)
            if plan.date_next == plan._scheduled_next_date(last):
                continue
            if last and plan.date_next <= last:
                raise ValidationError(
                    self.env._(
                        "The next visit of %(plan)s must come after its last "
                        "visit, on %(date)s.",
                        plan=plan.name,
                        date=last,
                    )
                )
            plan.date_start = plan.date_next

    @api.depends("date_next", "lead_days", "contract_id.date_end")
    def _compute_date_generate(self):
        for plan in self:
            end = plan.contract_id.date_end
            plan.date_generate = (
                plan.date_next - relativedelta(days=plan.lead_days)
                if plan.date_next and not (end and plan.date_next > end)
                else False
            )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("maintenance_plan_id", "in", self.ids)],
                ["maintenance_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.ticket_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------
    def _interval(self):
        """The plan's interval as keyword arguments of the anchored calendar."""
        months, days = INTERVAL_STEPS[self.interval_type]
        return {
            "months": months * self.interval_number,
            "days": days * self.interval_number,
        }

    def _due_date(self, index):
        """The ``index``-th due date, counted from the first visit (never from
        the previous one, so month ends do not drift)."""
        return anchored_date(self.date_start, index, **self._interval())

    def _due_date_after(self, day):
        """The first due date strictly after ``day``."""
        return next_anchored_date(self.date_start, day, **self._interval())

    def _dates_to_generate(self, today):
        """Due dates whose tickets are due by ``today``, within the contract."""
        self.ensure_one()
        horizon = today + relativedelta(days=self.lead_days)
        if self.contract_id.date_end:
            horizon = min(horizon, self.contract_id.date_end)
        dates = []
        day = self.date_next
        while day and day <= horizon:
            dates.append(day)
            day = self._due_date_after(day)
        return dates

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------
    @api.model
    def _due_domain(self, today):
        return [("date_generate", "<=", today), ("contract_id.state", "=", "active")]

    @api.model
    def _skip_locked(self, records):
        """The rows of ``records`` that no other transaction holds, locked
        for this one: workers running the same job at once share the work."""
        if not records:
            return records
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(records._table),
                tuple(records.ids),
            )
        )
        return records.browse([row[0] for row in self.env.cr.fetchall()])

    def _generate(self, today):
        """Creates the visits due by ``today`` and their tickets, in two batch
        creates. A visit is unique per plan and date: running twice is
        harmless."""
        Occurrence = self.env["service.maintenance.occurrence"]
        occurrences = Occurrence.create(
            [
                {"plan_id": plan.id, "date": day}
                for plan in self
                for day in plan._dates_to_generate(today)
            ]
        )
        equipment_none = self.env["service.equipment"]
        self.env["helpdesk.ticket"].create(
            [
                occurrence.plan_id._ticket_vals(occurrence, equipment)
                for occurrence in occurrences
                for equipment in (occurrence.plan_id.equipment_ids or [equipment_none])
            ]
        )
        return occurrences

    def _ticket_vals(self, occurrence, equipment):
        self.ensure_one()
        contract = self.contract_id
        team = self.team_id or contract.team_id
        return {
            "name": self.name,
            "description": self.description or Markup("<p>%s</p>") % self.name,
            "partner_id": (self.contact_id or contract.partner_id).id,
            "contract_id": contract.id,
            "company_id": contract.company_id.id,
            "category_id": self.category_id.id,
            "team_id": team.id,
            "user_id": (self.user_id or contract.user_id).id,
            "project_id": team.allow_timesheet and team.default_project_id.id,
            "planned_hours": self.planned_hours,
            "equipment_id": equipment.id,
            "maintenance_plan_id": self.id,
            "maintenance_occurrence_id": occurrence.id,
            "maintenance_date": occurrence.date,
            "is_preventive": True,
        }

    def action_generate(self):
        """Creates now the tickets of the visits that are due."""
        today = fields.Date.context_today(self)
        inactive = self.contract_id.filtered(lambda c: c.state != "active")
        if inactive:
            raise UserError(
                self.env._(
                    "%s is not active: its maintenance plans create no tickets.",
                    inactive[0].display_name,
                )
            )
        due = self._skip_locked(self.filtered_domain(self._due_domain(today)))
        if not due:
            raise UserError(
                self.env._(
                    "No visit is due yet: tickets are created %(days)s days before "
                    "each visit, next on %(date)s.",
                    days=self[:1].lead_days,
                    date=self[:1].date_generate
                    or self.env._("no date (the contract ends first)"),
                )
            )
        due._generate(today)
        self.env["service.maintenance.occurrence"]._send_due_notices(today, plans=due)
        return True

    @api.model
    def _cron_generate_tickets(self, batch_size=100):
        """Daily: creates the tickets of the visits that are due and tells
        customers of the coming ones. One batch per call; the scheduler
        calls again while some are left."""
        today = fields.Date.context_today(self)
        domain = self._due_domain(today)
        plans = self._skip_locked(self.search(domain, limit=batch_size))
        plans._generate(today)
        self.env["service.maintenance.occurrence"]._send_due_notices(today)
        self.env["ir.cron"]._notify_progress(
            done=len(plans), remaining=self.search_count(domain)
        )

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(domain=[("maintenance_plan_id", "=", self.id)], context={})
        return action
