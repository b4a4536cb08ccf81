from collections import defaultdict

from odoo import api, fields, models

from .service_sla_clock import (
    DECIDED,
    RUNNING,
    SLA_STATUSES,
    clock_status,
    next_event,
)

# Writing these fields may move the clocks.
SLA_TRIGGERS = {
    "stage_id",
    "priority",
    "sla_policy_id",
    "sla_start_date",
    "contract_id",
    "team_id",
    "user_id",
    "active",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        help="The contract's policy, else the team's default policy. A closed "
        "ticket keeps the policy its results were decided under.",
    )
    sla_start_date = fields.Datetime(
        string="SLA Start",
        default=fields.Datetime.now,
        copy=False,
        help="The clocks count working time from this moment.",
    )
    sla_clock_ids = fields.One2many(
        "service.sla.clock", "ticket_id", string="SLA Clocks", readonly=True
    )
    sla_response_deadline = fields.Datetime(
        string="Response Deadline", compute="_compute_sla_summary", store=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolution Deadline", compute="_compute_sla_summary", store=True
    )
    sla_response_status = fields.Selection(
        SLA_STATUSES,
        string="Response SLA",
        compute="_compute_sla_summary",
        store=True,
        index=True,
    )
    sla_resolution_status = fields.Selection(
        SLA_STATUSES,
        string="Resolution SLA",
        compute="_compute_sla_summary",
        store=True,
        index=True,
    )
    sla_first_response_date = fields.Datetime(
        string="First Response",
        copy=False,
        readonly=True,
        help="First public reply of an employee to the customer.",
    )
    sla_pause_ids = fields.One2many(
        "service.sla.pause", "ticket_id", string="SLA Pauses", readonly=True
    )
    sla_paused = fields.Boolean(string="SLA Paused", compute="_compute_sla_paused")
    sla_next_event_date = fields.Datetime(
        compute="_compute_sla_next_event_date",
        help="Next moment the escalation job has something to do for the "
        "ticket (the earliest of its clocks').",
    )

    @api.depends("contract_id.sla_policy_id", "team_id.sla_policy_id", "company_id")
    def _compute_sla_policy_id(self):
        for ticket in self:
            if ticket.stage_id.closed and ticket.sla_policy_id:
                continue  # its results were decided under that policy
            policy = ticket.contract_id.sla_policy_id or ticket.team_id.sla_policy_id
            if policy.company_id and policy.company_id != ticket.company_id:
                policy = policy.browse()  # another company's policy
            ticket.sla_policy_id = policy

    def _compute_field_value(self, field):
        """A policy brought by the contract or the team (their policy changed,
        or the ticket's contract or team) moves the running clocks at once."""
        if field.name != "sla_policy_id":
            return super()._compute_field_value(field)
        tickets = self.filtered(lambda t: isinstance(t.id, int))
        before = {ticket: ticket.sla_policy_id for ticket in tickets}
        result = super()._compute_field_value(field)
        changed = tickets.filtered(lambda t: t.sla_policy_id != before[t])
        if changed:
            changed._sla_refresh(fields.Datetime.now(), replan=changed)
        return result

    @api.depends(
        "sla_clock_ids.target", "sla_clock_ids.status", "sla_clock_ids.deadline"
    )
    def _compute_sla_summary(self):
        for ticket in self:
            response = ticket._sla_clock("response")
            resolution = ticket._sla_clock("resolution")
            ticket.sla_response_status = response.status
            ticket.sla_response_deadline = response.deadline
            ticket.sla_resolution_status = resolution.status
            ticket.sla_resolution_deadline = resolution.deadline

    @api.depends("sla_pause_ids.date_end")
    def _compute_sla_paused(self):
        for ticket in self:
            ticket.sla_paused = any(not p.date_end for p in ticket.sla_pause_ids)

    @api.depends("sla_clock_ids.next_event_date")
    def _compute_sla_next_event_date(self):
        for ticket in self:
            events = ticket.sla_clock_ids.filtered("next_event_date")
            ticket.sla_next_event_date = min(
                events.mapped("next_event_date"), default=False
            )

    def _sla_clock(self, target):
        """The ticket's clock of ``target`` (an empty recordset if none)."""
        return self._sla_clocks_by_target().get(target, self.sla_clock_ids.browse())

    def _sla_clocks_by_target(self):
        """``{target: clock}`` of the ticket (one clock per target)."""
        return {clock.target: clock for clock in self.sla_clock_ids}

    def _sla_running(self):
        """Whether the ticket's clocks move (it is active and not paused)."""
        return self.active and not self.sla_paused

    def _sla_needs_arrival(self):
        """Whether the ticket needs a technician on site (an arrival clock);
        the field-service work says when."""
        self.ensure_one()
        return False

    def _sla_arrival_date(self):
        """When a technician arrived on site (the first visit's check-in),
        or False; the field-service work gives it."""
        self.ensure_one()
        return False

    def _sla_targets(self):
        targets = ["response", "resolution"]
        if self._sla_needs_arrival():
            targets.append("arrival")
        return targets

    def _computed_figures(self):
        """The SLA results: only the clocks write them."""
        return super()._computed_figures() | {
            "sla_response_deadline",
            "sla_resolution_deadline",
            "sla_first_response_date",
            "sla_response_status",
            "sla_resolution_status",
            "sla_next_event_date",
            "sla_paused",
            "sla_badge",
            "sla_badge_status",
        }

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------
    @api.model
    def _create(self, data_list):
        """A new ticket's policy column is empty until its policy is
        computed: say so to the cache (as Odoo does for the fields it does
        not compute), so that the computation does not read it back."""
        tickets = super()._create(data_list)
        field = self._fields["sla_policy_id"]
        for data, ticket in zip(data_list, tickets, strict=True):
            if field.name not in data["stored"]:
                self.env.cache.set(ticket, field, None)
        return tickets

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        now = fields.Datetime.now()
        # A policy computed from the contract or the team starts the clocks
        # as it is computed (_compute_field_value); a policy given here not.
        under_policy = tickets.filtered("sla_policy_id")
        unplanned = under_policy.filtered(lambda t: not t.sla_clock_ids)
        if unplanned:
            unplanned._sla_refresh(now, replan=unplanned)
        closed = under_policy.filtered(lambda t: t.stage_id.closed)
        if closed:
            closed._sla_close(now)
        return tickets

    def write(self, vals):
        if not SLA_TRIGGERS & vals.keys():
            return super().write(vals)
        now = fields.Datetime.now()
        self._sla_settle(now)
        before = {ticket: (ticket.stage_id, ticket.sla_policy_id) for ticket in self}
        result = super().write(vals)
        self._sla_after_change(vals, before, now)
        return result

    def _message_post_after_hook(self, message, msg_vals):
        """The first public reply of an employee meets the response target
        (not an internal note, not an automatic mail, not the customer)."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            self._sla_clock("response")
            and not self.sla_first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and not message.subtype_id.internal
            and any(not user.share for user in message.author_id.user_ids)
        ):
            with self._writing_computed_figures():
                self.sudo().with_context(tracking_disable=True).write(
                    {"sla_first_response_date": message.date}
                )
            self._sla_stop("response", message.date)
        return result

    def _sla_refresh(self, now, replan):
        """Settles the clocks, opens or ends the pauses the tickets' stages
        and policies call for, plans ``replan`` and the resumed clocks."""
        self._sla_settle(now)
        resumed = self._sla_sync_pauses(now)
        (replan | resumed)._sla_plan(now)
        self._sla_update_next_event(now)

    def _sla_after_change(self, vals, before, now):
        """Pauses, closing, reopening and re-planning after a write;
        ``before`` holds each ticket's stage and policy before it."""
        tickets = self.filtered(lambda t: t.sla_policy_id or t.sla_clock_ids)
        was_closed = {ticket: before[ticket][0].closed for ticket in tickets}
        reopened = tickets.filtered(lambda t: was_closed[t] and not t.stage_id.closed)
        # A reopened ticket is not resolved any more: a met resolution clock
        # runs again (the closed time counts as a pause); a breach stays.
        reopened.sla_clock_ids._store(
            {
                clock: {"status": "ongoing", "decided_at": False}
                for clock in reopened.sla_clock_ids
                if clock.target == "resolution" and clock.status == "met"
            }
        )
        if {"priority", "sla_start_date"} & vals.keys():
            replan = tickets
        elif "sla_policy_id" in vals:
            replan = tickets.filtered(lambda t: t.sla_policy_id != before[t][1])
        else:
            replan = tickets.browse()  # a computed policy re-plans by itself
        tickets._sla_refresh(now, replan=replan | reopened)
        tickets.filtered(lambda t: t.stage_id.closed and not was_closed[t])._sla_close(
            now
        )

    def _sla_sync_pauses(self, now):
        """Opens a pause where a ticket entered a pause stage of its policy
        or a closed stage, ends it where the ticket left; returns the
        tickets whose clocks resumed."""
        Pause = self.env["service.sla.pause"].sudo()
        to_open, to_end = [], Pause
        for ticket in self:
            open_pause = ticket.sla_pause_ids.filtered(lambda p: not p.date_end)
            stage = ticket.stage_id
            hold = ticket.sla_policy_id and (
                stage.closed or stage in ticket.sla_policy_id.pause_stage_ids
            )
            if hold and not open_pause:
                to_open.append(
                    {"ticket_id": ticket.id, "stage_id": stage.id, "date_start": now}
                )
            elif open_pause and not hold:
                to_end |= open_pause
        to_end.write({"date_end": now})
        Pause.create(to_open)
        return to_end.ticket_id

    def _sla_close(self, now):
        """Reaching a closed stage meets the resolution target, and the
        response and arrival targets if they were still awaited."""
        self._sla_stop("response", now, measure=False)
        self._sla_stop("arrival", now, measure=False)
        self._sla_stop("resolution", now)

    def _sla_arrived(self):
        """A technician checked in on site: the arrival clocks are met at
        the first check-in (called by the field-service work)."""
        for ticket in self:
            if arrival := ticket._sla_arrival_date():
                ticket._sla_stop("arrival", arrival)

    # ------------------------------------------------------------------
    # Clocks
    # ------------------------------------------------------------------
    def _sla_plan(self, now):
        """Plans the clocks not decided yet: deadline and at-risk moment of
        each target, counted in the working time of the policy's calendar
        from the SLA start, without the pauses. Met and breached clocks are
        history and stay; a running clock without a target any more goes.
        One read of each calendar for all tickets."""
        lines = self.sla_policy_id._lines_by_priority()
        requests = defaultdict(list)
        dropped = self.env["service.sla.clock"]
        for ticket in self:
            policy = ticket.sla_policy_id
            line = lines.get((policy, ticket.priority))
            holds = ticket.sla_pause_ids._holds(now)
            start = ticket.sla_start_date or ticket.create_date
            targets = ticket._sla_targets()
            for clock in ticket.sla_clock_ids:
                if clock.status in RUNNING and clock.target not in targets:
                    dropped |= clock
            for target in targets:
                clock = ticket._sla_clock(target)
                if clock.status in DECIDED:
                    continue
                hours = line._target_hours(target) if line else 0
                if not hours:
                    dropped |= clock
                    continue
                risk_hours = hours * policy.at_risk_percent / 100
                requests[policy.calendar_id].append(
                    (ticket, target, clock, (start, hours, holds))
                )
                requests[policy.calendar_id].append(
                    (ticket, target, clock, (start, risk_hours, holds))
                )
        values, new = {}, []
        for calendar, items in requests.items():
            moments = calendar._sla_plan_hours([item[3] for item in items])
            for index in range(0, len(items), 2):
                ticket, target, clock, _request = items[index]
                deadline, risk_date = moments[index], moments[index + 1]
                vals = {
                    "policy_id": ticket.sla_policy_id.id,
                    "deadline": deadline,
                    "risk_date": risk_date,
                    "decided_at": False,
                    **clock_status(
                        deadline, risk_date, now, ticket.sla_paused, fresh=True
                    ),
                }
                if clock:
                    values[clock] = vals
                    continue
                vals.update(ticket_id=ticket.id, target=target)
                vals["next_event_date"] = next_event(
                    dict(vals, risk_sent=False, breach_sent=False),
                    ticket._sla_running(),
                    now,
                )
                new.append(vals)
        Clock = self.env["service.sla.clock"].sudo()
        with Clock._writing_computed_figures():
            dropped.sudo().unlink()
            Clock.create(new)
        Clock._store(values)
        self._sla_update_next_event(now)

    def _sla_settle(self, now):
        """Turns the running clocks at risk or breached as time has passed
        (from their stored dates)."""
        self.sla_clock_ids._settle(now)

    def _sla_stop(self, target, moment, measure=True):
        """The awaited event of ``target`` happened at ``moment``: a running
        clock is met (unless its deadline passed already); with ``measure``
        the working hours it took are kept for the reports."""
        self._sla_settle(moment)
        values = defaultdict(dict)
        counts = defaultdict(list)
        for ticket in self:
            clock = ticket._sla_clock(target)
            if not clock:
                continue
            if clock.status in RUNNING:
                values[clock].update({"status": "met", "decided_at": moment})
            if measure and ticket.sla_policy_id:
                holds = ticket.sla_pause_ids._holds(moment)
                start = ticket.sla_start_date or ticket.create_date
                counts[ticket.sla_policy_id.calendar_id].append(
                    (clock, (start, moment, holds))
                )
        for calendar, items in counts.items():
            hours = calendar._sla_count_hours([request for _c, request in items])
            for (clock, _request), value in zip(items, hours, strict=True):
                values[clock]["working_hours_used"] = value
        self.sla_clock_ids._store(values)
        self._sla_update_next_event(moment)

    def _sla_update_next_event(self, now):
        self.sla_clock_ids._update_next_event(now)
