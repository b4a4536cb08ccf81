from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

VISIT_STATES = [
    ("provisional", "Provisional"),
    ("confirmed", "Confirmed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# Where a maintenance plan's visit starts, in the coordinator's time zone.
PLANNED_DAY_START = time(8)


class ServiceVisit(models.Model):
    """A technician's visit on site for a ticket: planned by a dispatcher (or
    provisionally by a maintenance plan), checked in and out on site, closed
    by the work report the customer signs."""

    _name = "service.visit"
    _description = "Field Service Visit"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "service.computed.figures.mixin",
    ]
    _order = "planned_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    contract_id = fields.Many2one(
        related="ticket_id.contract_id", store=True, index="btree_not_null"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="ticket_id.commercial_partner_id",
        store=True,
        index=True,
    )
    contact_id = fields.Many2one(
        related="ticket_id.partner_id",
        string="Customer Contact",
        help="Told of the confirmed slot and sent the signed work report.",
    )
    maintenance_plan_id = fields.Many2one(
        related="ticket_id.maintenance_plan_id", store=True, index="btree_not_null"
    )
    equipment_ids = fields.Many2many(
        "service.equipment",
        "service_visit_equipment_rel",
        "visit_id",
        "equipment_id",
        compute="_compute_equipment_ids",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    user_ids = fields.Many2many(
        "res.users",
        "service_visit_res_users_rel",
        "visit_id",
        "user_id",
        string="Technicians",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    planned_start = fields.Datetime(required=True, tracking=True, index=True)
    planned_end = fields.Datetime(required=True, tracking=True)
    state = fields.Selection(
        VISIT_STATES,
        default="confirmed",
        required=True,
        tracking=True,
        copy=False,
        group_expand=True,
        help="Provisional: planned by a maintenance plan, to be confirmed.",
    )
    check_in = fields.Datetime(readonly=True, copy=False, tracking=True)
    check_out = fields.Datetime(readonly=True, copy=False, tracking=True)
    worked_hours = fields.Float(
        string="Hours on Site", compute="_compute_worked_hours", store=True
    )
    travel_hours = fields.Float(
        string="Travel Time", help="Hours spent travelling to and from the site."
    )
    work_summary = fields.Html(copy=False)
    photo_ids = fields.Many2many(
        "ir.attachment",
        "service_visit_photo_rel",
        "visit_id",
        "attachment_id",
        string="Photos",
        copy=False,
    )
    timesheet_ids = fields.One2many(
        "account.analytic.line", "visit_id", string="Timesheets"
    )
    reminder_date = fields.Date(
        compute="_compute_reminder_date",
        store=True,
        index="btree_not_null",
        help="When the coordinator is reminded to confirm a provisional visit.",
    )
    reminder_sent = fields.Boolean(readonly=True, copy=False)

    def _computed_figures(self):
        return super()._computed_figures() | {
            "worked_hours",
            "suggested_user_ids",
            "overlap_warning",
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("service.visit")
        return super().create(vals_list)

    @api.constrains("planned_start", "planned_end")
    def _check_planned_slot(self):
        for visit in self:
            if visit.planned_end <= visit.planned_start:
                raise ValidationError(
                    self.env._("The visit %s must end after it starts.", visit.name)
                )

    @api.depends("ticket_id")
    def _compute_equipment_ids(self):
        for visit in self:
            visit.equipment_ids = visit.ticket_id.equipment_id

    @api.depends("check_in", "check_out")
    def _compute_worked_hours(self):
        for visit in self:
            start, end = visit.check_in, visit.check_out
            visit.worked_hours = (
                (end - start).total_seconds() / 3600 if start and end else 0
            )

    @api.depends("state", "planned_start", "ticket_id.maintenance_plan_id.confirm_days")
    def _compute_reminder_date(self):
        for visit in self:
            plan = visit.ticket_id.maintenance_plan_id
            visit.reminder_date = (
                visit.planned_start.date() - timedelta(days=plan.confirm_days)
                if visit.state == "provisional" and plan and visit.planned_start
                else False
            )

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------
    def _check_state(self, allowed, message):
        """Refuses with ``message`` (a sentence naming ``%(visit)s`` and
        ``%(state)s``) when a visit of ``self`` is not in an ``allowed`` state."""
        wrong = self.filtered(lambda v: v.state not in allowed)[:1]
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                message % {"visit": wrong.name, "state": states[wrong.state]}
            )

    def action_confirm(self):
        """Confirms the slot: the coordinator's reminder is done and the
        customer contact is told the date and time."""
        self._check_state(
            ["provisional"],
            self.env._(
                "%(visit)s is %(state)s: only a provisional visit is confirmed."
            ),
        )
        self.write({"state": "confirmed"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        template = self.env.ref("service_contract.mail_template_visit_confirmed")
        for visit in self.filtered("contact_id.email"):
            visit.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_check_in(self):
        """The technician arrives on site: the visit is in progress and the
        technician is one of its technicians."""
        self._check_state(
            ["provisional", "confirmed"],
            self.env._("%(visit)s is %(state)s: it cannot be checked in."),
        )
        self.write(
            {
                "state": "in_progress",
                "check_in": fields.Datetime.now(),
                "user_ids": [Command.link(self.env.uid)],
            }
        )
        return True

    def action_check_out(self):
        """The technician leaves: the visit is done and its time on site is
        logged on the ticket's timesheet."""
        self._check_state(
            ["in_progress"],
            self.env._("%(visit)s is %(state)s: it cannot be checked out."),
        )
        self.write({"state": "done", "check_out": fields.Datetime.now()})
        # The technician may not see the ticket (only the visit): the time is
        # logged in their name by the visit itself.
        self.env["account.analytic.line"].sudo().create(
            [visit.sudo()._prepare_timesheet_vals() for visit in self]
        )
        return True

    def _prepare_timesheet_vals(self):
        self.ensure_one()
        ticket = self.ticket_id
        project = ticket.project_id or ticket.team_id.default_project_id
        if not project:
            raise UserError(
                self.env._(
                    "The ticket %s has no project: its visit's time cannot be logged.",
                    ticket.display_name,
                )
            )
        return {
            "name": self.env._("Visit %s", self.name),
            "ticket_id": ticket.id,
            "project_id": project.id,
            "visit_id": self.id,
            "user_id": self.env.uid,
            "date": fields.Date.context_today(self, self.check_in),
            "unit_amount": self.worked_hours,
        }

    def action_cancel(self):
        self._check_state(
            ["provisional", "confirmed"],
            self.env._("%(visit)s is %(state)s: it cannot be cancelled."),
        )
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reset(self):
        """A cancelled visit is planned again, as confirmed."""
        self._check_state(
            ["cancelled"],
            self.env._(
                "%(visit)s is %(state)s: only a cancelled visit is planned again."
            ),
        )
        self.write({"state": "confirmed"})
        return True

    # ------------------------------------------------------------------
    # Maintenance plans: provisional visits and the coordinator's reminder
    # ------------------------------------------------------------------
    @api.model
    def _create_for_tickets(self, tickets):
        """Provisional visits of the tickets a maintenance plan created."""
        return self.create([self._prepare_visit_vals(ticket) for ticket in tickets])

    @api.model
    def _prepare_visit_vals(self, ticket):
        plan = ticket.maintenance_plan_id
        coordinator = ticket.maintenance_occurrence_id.user_id
        tz = pytz.timezone(
            coordinator.tz or ticket.company_id.resource_calendar_id.tz or "UTC"
        )
        local = tz.localize(
            datetime.combine(ticket.maintenance_date, PLANNED_DAY_START)
        )
        start = local.astimezone(pytz.utc).replace(tzinfo=None)
        return {
            "ticket_id": ticket.id,
            "state": "provisional",
            "planned_start": start,
            "planned_end": start + timedelta(hours=max(plan.planned_hours, 1.0)),
        }

    @api.model
    def _cron_remind_provisional(self, batch_size=500):
        """Daily: the coordinator of each provisional visit whose reminder
        date has come gets an activity to confirm it, once."""
        today = fields.Date.context_today(self)
        domain = [
            ("state", "=", "provisional"),
            ("reminder_sent", "=", False),
            ("reminder_date", "<=", today),
        ]
        visits = self.search(domain, limit=batch_size)
        for visit in visits:
            coordinator = visit.ticket_id.maintenance_occurrence_id.user_id
            visit.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=visit.planned_start.date(),
                summary=self.env._("Confirm the visit with the customer"),
                user_id=(coordinator or self.env.user).id,
            )
        visits.write({"reminder_sent": True})
        self.env["ir.cron"]._notify_progress(
            done=len(visits), remaining=self.search_count(domain)
        )

    def action_view_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }
