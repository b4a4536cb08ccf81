import threading
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.tools import SQL, format_datetime

SLA_STATUSES = [
    ("ongoing", "Ongoing"),
    ("at_risk", "At Risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
RUNNING = ("ongoing", "at_risk")
DECIDED = ("met", "breached")
KINDS = ("response", "resolution")
# Changes of these fields move the clocks.
# Writing these fields may move the clocks (the assignee and the team may
# bring another policy).
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
ESCALATION_BATCH = 500
# What the notice template gives its e-mails.
NOTICE_MAIL_FIELDS = (
    "auto_delete",
    "body_html",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "model",
    "reply_to",
    "res_id",
    "scheduled_date",
    "subject",
)


def _format_hours(hours):
    minutes = round(hours * 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


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
        help="The contract's policy, else the team's default policy.",
    )
    sla_start_date = fields.Datetime(
        string="SLA Start",
        default=fields.Datetime.now,
        copy=False,
        help="The clocks count working time from this moment.",
    )
    sla_response_deadline = fields.Datetime(
        string="Response Deadline", copy=False, readonly=True
    )
    sla_resolution_deadline = fields.Datetime(
        string="Resolution Deadline", copy=False, readonly=True
    )
    sla_response_risk_date = fields.Datetime(
        string="Response at Risk From", copy=False, readonly=True
    )
    sla_resolution_risk_date = fields.Datetime(
        string="Resolution at Risk From", copy=False, readonly=True
    )
    sla_first_response_date = fields.Datetime(
        string="First Response",
        copy=False,
        readonly=True,
        help="First public reply of an employee to the customer.",
    )
    sla_response_status = fields.Selection(
        SLA_STATUSES, string="Response SLA", copy=False, readonly=True, index=True
    )
    sla_resolution_status = fields.Selection(
        SLA_STATUSES, string="Resolution SLA", copy=False, readonly=True, index=True
    )
    sla_response_decided_date = fields.Datetime(
        string="Response Result Date",
        copy=False,
        readonly=True,
        help="When the response target was met or breached.",
    )
    sla_resolution_decided_date = fields.Datetime(
        string="Resolution Result Date",
        copy=False,
        readonly=True,
        help="When the resolution target was met or breached.",
    )
    sla_response_hours = fields.Float(
        string="Response Time (working h)", copy=False, readonly=True
    )
    sla_resolution_hours = fields.Float(
        string="Resolution Time (working h)", copy=False, readonly=True
    )
    sla_pause_ids = fields.One2many(
        "service.sla.pause", "ticket_id", string="SLA Pauses", readonly=True
    )
    sla_paused = fields.Boolean(string="SLA Paused", compute="_compute_sla_paused")
    sla_next_event_date = fields.Datetime(
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Next moment the escalation job has something to do for the "
        "ticket: a clock turning at risk or breached, or a notice to send.",
    )
    sla_response_risk_sent = fields.Boolean(copy=False, readonly=True)
    sla_response_breach_sent = fields.Boolean(copy=False, readonly=True)
    sla_resolution_risk_sent = fields.Boolean(copy=False, readonly=True)
    sla_resolution_breach_sent = fields.Boolean(copy=False, readonly=True)
    sla_badge = fields.Char(string="SLA", compute="_compute_sla_badge")
    sla_badge_status = fields.Selection(SLA_STATUSES, compute="_compute_sla_badge")

    @api.depends("contract_id", "team_id", "company_id")
    def _compute_sla_policy_id(self):
        for ticket in self:
            policy = ticket.contract_id.sla_policy_id or ticket.team_id.sla_policy_id
            if policy.company_id and policy.company_id != ticket.company_id:
                policy = policy.browse()  # another company's policy
            ticket.sla_policy_id = policy

    @api.depends("sla_pause_ids.date_end")
    def _compute_sla_paused(self):
        for ticket in self:
            ticket.sla_paused = any(not p.date_end for p in ticket.sla_pause_ids)

    @api.depends(
        "sla_response_status",
        "sla_resolution_status",
        "sla_response_deadline",
        "sla_resolution_deadline",
        "sla_first_response_date",
        "stage_id",
        "sla_paused",
    )
    def _compute_sla_badge(self):
        """The clock the team works against (the first response, then the
        resolution) with the working time left or overdue, or the final
        result of a closed ticket."""
        now = fields.Datetime.now()
        counts = defaultdict(list)
        for ticket in self:
            ticket.sla_badge = ticket.sla_badge_status = False
            kind = ticket._sla_outstanding_kind()
            if not kind:
                statuses = {ticket.sla_response_status, ticket.sla_resolution_status}
                result = "breached" if "breached" in statuses else "met"
                if ticket.stage_id.closed and result in statuses:
                    ticket.sla_badge_status = result
                    ticket.sla_badge = (
                        self.env._("SLA met")
                        if result == "met"
                        else self.env._("SLA breached")
                    )
                continue
            ticket.sla_badge_status = ticket[f"sla_{kind}_status"]
            if ticket.sla_paused:
                ticket.sla_badge = self.env._("%s paused", ticket._sla_label(kind))
                continue
            deadline = ticket[f"sla_{kind}_deadline"]
            span = (now, deadline) if now < deadline else (deadline, now)
            counts[ticket.sla_policy_id.calendar_id].append((ticket, kind, span))
        for calendar, items in counts.items():
            hours = calendar._sla_count_hours(
                [(start, stop, []) for _t, _k, (start, stop) in items]
            )
            for (ticket, kind, (start, _stop)), value in zip(items, hours, strict=True):
                params = {
                    "target": ticket._sla_label(kind),
                    "time": _format_hours(value),
                }
                ticket.sla_badge = (
                    self.env._("%(target)s: %(time)s left", **params)
                    if start == now
                    else self.env._("%(target)s: %(time)s overdue", **params)
                )

    def _sla_outstanding_kind(self):
        """The target still awaited on an open ticket under a policy."""
        if self.stage_id.closed or not self.sla_policy_id:
            return False
        if self.sla_response_status and not self.sla_first_response_date:
            return "response"
        return "resolution" if self.sla_resolution_status else False

    def _sla_label(self, kind):
        return (
            self.env._("Response") if kind == "response" else self.env._("Resolution")
        )

    def _computed_figures(self):
        """The SLA results: only the clocks write them."""
        return super()._computed_figures() | {
            "sla_response_deadline",
            "sla_resolution_deadline",
            "sla_response_risk_date",
            "sla_resolution_risk_date",
            "sla_first_response_date",
            "sla_response_status",
            "sla_resolution_status",
            "sla_response_decided_date",
            "sla_resolution_decided_date",
            "sla_response_hours",
            "sla_resolution_hours",
            "sla_next_event_date",
            "sla_response_risk_sent",
            "sla_response_breach_sent",
            "sla_resolution_risk_sent",
            "sla_resolution_breach_sent",
            "sla_paused",
            "sla_badge",
            "sla_badge_status",
        }

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("sla_policy_id")._sla_start(fields.Datetime.now())
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
            self.sla_response_status
            and not self.sla_first_response_date
            and message.message_type == "comment"
            and not message.is_internal
            and not message.subtype_id.internal
            and any(not user.share for user in message.author_id.user_ids)
        ):
            self._sla_write({self: {"sla_first_response_date": message.date}})
            self._sla_stop("response", message.date)
        return result

    def _sla_start(self, now):
        """Starts the clocks of new tickets."""
        self._sla_sync_pauses(now)
        self._sla_plan(now)
        closed = self.filtered(lambda t: t.stage_id.closed)
        if closed:
            closed._sla_close(now)

    def _sla_after_change(self, vals, before, now):
        """Pauses, closing, reopening and re-planning after a write;
        ``before`` holds each ticket's stage and policy before it."""
        tickets = self.filtered(
            lambda t: (
                t.sla_policy_id or t.sla_response_status or t.sla_resolution_status
            )
        )
        was_closed = {ticket: before[ticket][0].closed for ticket in tickets}
        resumed = tickets._sla_sync_pauses(now)
        reopened = tickets.filtered(lambda t: was_closed[t] and not t.stage_id.closed)
        # A reopened ticket is not resolved any more: a met resolution clock
        # runs again (the closed time counts as a pause); a breach stays.
        tickets._sla_write(
            {
                ticket: {
                    "sla_resolution_status": False,
                    "sla_resolution_decided_date": False,
                }
                for ticket in reopened
                if ticket.sla_resolution_status == "met"
            }
        )
        if {"priority", "sla_start_date"} & vals.keys():
            replan = tickets
        else:
            replan = tickets.filtered(lambda t: t.sla_policy_id != before[t][1])
        (replan | resumed | reopened)._sla_plan(now)
        tickets.filtered(lambda t: t.stage_id.closed and not was_closed[t])._sla_close(
            now
        )
        tickets._sla_update_next_event(now)

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
                    {
                        "ticket_id": ticket.id,
                        "stage_id": stage.id,
                        "date_start": now,
                    }
                )
            elif open_pause and not hold:
                to_end |= open_pause
        to_end.write({"date_end": now})
        Pause.create(to_open)
        return to_end.ticket_id

    def _sla_close(self, now):
        """Reaching a closed stage meets the resolution target, and the
        response target if no reply came first."""
        self._sla_stop("response", now, measure=False)
        self._sla_stop("resolution", now)

    # ------------------------------------------------------------------
    # Clocks
    # ------------------------------------------------------------------
    def _sla_plan(self, now):
        """Plans the clocks not decided yet: deadline and at-risk moment of
        each target, counted in the working time of the policy's calendar
        from the SLA start, without the pauses. Met and breached clocks are
        history and stay. One read of each calendar for all tickets."""
        lines = self.sla_policy_id._lines_by_priority()
        requests = defaultdict(list)
        values = defaultdict(dict)
        for ticket in self:
            policy = ticket.sla_policy_id
            line = lines.get((policy, ticket.priority))
            holds = ticket.sla_pause_ids._holds(now)
            start = ticket.sla_start_date or ticket.create_date
            for kind in KINDS:
                if ticket[f"sla_{kind}_status"] in DECIDED:
                    continue
                hours = line[f"{kind}_hours"] if line else 0
                if not hours:
                    if ticket[f"sla_{kind}_status"]:
                        values[ticket].update(
                            {
                                f"sla_{kind}_status": False,
                                f"sla_{kind}_deadline": False,
                                f"sla_{kind}_risk_date": False,
                            }
                        )
                    continue
                risk_hours = hours * policy.at_risk_percent / 100
                requests[policy.calendar_id] += [
                    (ticket, f"sla_{kind}_deadline", (start, hours, holds)),
                    (ticket, f"sla_{kind}_risk_date", (start, risk_hours, holds)),
                ]
        for calendar, items in requests.items():
            moments = calendar._sla_plan_hours([request for _t, _f, request in items])
            for (ticket, fname, _request), moment in zip(items, moments, strict=True):
                values[ticket][fname] = moment
        for ticket, vals in values.items():
            for kind in KINDS:
                if vals.get(f"sla_{kind}_deadline"):
                    vals.update(ticket._sla_status_values(kind, vals, now, fresh=True))
        self._sla_write(values)
        self._sla_update_next_event(now)

    def _sla_status_values(self, kind, dates, now, fresh=False):
        """Status of a running clock at ``now``, from its ``dates`` (a
        mapping with its deadline and at-risk moment). A paused clock does
        not move, except when just planned (its dates then assume it
        resumes now)."""
        paused = self.sla_paused
        if paused and not fresh:
            return {}
        deadline = dates[f"sla_{kind}_deadline"]
        if deadline <= now and not paused:
            return {
                f"sla_{kind}_status": "breached",
                f"sla_{kind}_decided_date": deadline,
            }
        at_risk = dates[f"sla_{kind}_risk_date"] <= now
        return {f"sla_{kind}_status": "at_risk" if at_risk else "ongoing"}

    def _sla_settle(self, now):
        """Turns the running clocks at risk or breached as time has passed
        (from their stored dates)."""
        values = {}
        for ticket in self:
            vals = {}
            for kind in KINDS:
                status = ticket[f"sla_{kind}_status"]
                if status in RUNNING:
                    new = ticket._sla_status_values(kind, ticket, now)
                    if new.get(f"sla_{kind}_status", status) != status:
                        vals.update(new)
            if vals:
                values[ticket] = vals
        self._sla_write(values)

    def _sla_stop(self, kind, moment, measure=True):
        """The awaited event of a target happened at ``moment``: a running
        clock is met (unless its deadline passed already); with ``measure``
        the working hours it took are kept for the reports."""
        self._sla_settle(moment)
        values = defaultdict(dict)
        counts = defaultdict(list)
        for ticket in self:
            status = ticket[f"sla_{kind}_status"]
            if not status:
                continue
            if status in RUNNING:
                values[ticket].update(
                    {
                        f"sla_{kind}_status": "met",
                        f"sla_{kind}_decided_date": moment,
                    }
                )
            if measure and ticket.sla_policy_id:
                holds = ticket.sla_pause_ids._holds(moment)
                start = ticket.sla_start_date or ticket.create_date
                counts[ticket.sla_policy_id.calendar_id].append(
                    (ticket, (start, moment, holds))
                )
        for calendar, items in counts.items():
            hours = calendar._sla_count_hours([request for _t, request in items])
            for (ticket, _request), value in zip(items, hours, strict=True):
                values[ticket][f"sla_{kind}_hours"] = value
        self._sla_write(values)
        self._sla_update_next_event(moment)

    def _sla_next_event(self, now):
        """The next moment the escalation job has to look at the ticket."""
        events = []
        for kind in KINDS:
            status = self[f"sla_{kind}_status"]
            if (status == "at_risk" and not self[f"sla_{kind}_risk_sent"]) or (
                status == "breached" and not self[f"sla_{kind}_breach_sent"]
            ):
                events.append(now)
            elif self.active and not self.sla_paused:
                if status == "ongoing":
                    events.append(self[f"sla_{kind}_risk_date"])
                elif status == "at_risk":
                    events.append(self[f"sla_{kind}_deadline"])
        return min(events, default=False)

    def _sla_update_next_event(self, now):
        self._sla_write(
            {
                ticket: {"sla_next_event_date": event}
                for ticket in self
                if (event := ticket._sla_next_event(now)) != ticket.sla_next_event_date
            }
        )

    def _sla_write(self, values):
        """Stores SLA bookkeeping, ``{ticket: vals}``: one write for all the
        tickets given the same values; the values reach the database in
        batched updates."""
        groups = defaultdict(list)
        for ticket, vals in values.items():
            if vals:
                groups[tuple(sorted(vals.items()))].append(ticket.id)
        tickets = self.sudo().with_context(tracking_disable=True)
        with self._writing_computed_figures():
            for vals, ids in groups.items():
                tickets.browse(ids).write(dict(vals))

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_sla_escalate(self, batch_size=ESCALATION_BATCH):
        """Turns clocks at risk or breached as time passes and sends each
        notice once. Reads only the tickets whose next event is due (an
        indexed column), in batches locked with SKIP LOCKED so that several
        workers can share the work; commits after each batch."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        now = fields.Datetime.now()
        tickets = self.sudo().with_context(tracking_disable=True, active_test=False)
        done = 0
        while True:
            self.env["helpdesk.ticket"].flush_model(["sla_next_event_date"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM helpdesk_ticket
                     WHERE sla_next_event_date <= %s
                     ORDER BY sla_next_event_date
                     LIMIT %s
                       FOR NO KEY UPDATE SKIP LOCKED
                    """,
                    now,
                    batch_size,
                )
            )
            batch = tickets.browse([row[0] for row in self.env.cr.fetchall()])
            if not batch:
                break
            batch._sla_settle(now)
            batch._sla_send_notices()
            batch._sla_update_next_event(now)
            done += len(batch)
            if auto_commit:
                # each batch's notices are sent: keep them if a later one fails
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    def _sla_send_notices(self):
        """At risk: the assignee is told; breached: the account manager
        and the team leader. Each notice once per ticket and target; the
        notices of all the tickets sent together, target by target."""
        notices = defaultdict(list)
        values = defaultdict(dict)
        for ticket in self:
            for kind in KINDS:
                status = ticket[f"sla_{kind}_status"]
                if status == "breached" and not ticket[f"sla_{kind}_breach_sent"]:
                    values[ticket].update(
                        {f"sla_{kind}_breach_sent": True, f"sla_{kind}_risk_sent": True}
                    )
                elif status == "at_risk" and not ticket[f"sla_{kind}_risk_sent"]:
                    values[ticket][f"sla_{kind}_risk_sent"] = True
                else:
                    continue
                notices[kind].append((ticket, status))
        for kind, kind_notices in notices.items():
            self._sla_notify(kind, kind_notices)
        self._sla_write(values)

    def _sla_notice_users(self, event):
        if event == "at_risk":
            return self.user_id or self.team_id.user_id or self.contract_id.user_id
        return (self.contract_id.user_id | self.team_id.user_id) or self.user_id

    def _sla_notice_texts(self, kind, event):
        """Subject and message of a notice about the ticket's ``kind``
        target turning ``event`` (at risk or breached)."""
        calendar = self.sla_policy_id.calendar_id
        deadline = format_datetime(
            self.env, self[f"sla_{kind}_deadline"], tz=calendar.tz, dt_format="short"
        )
        deadline = f"{deadline} ({calendar.tz})"
        params = {
            "ticket": self.display_name,
            "customer": self.commercial_partner_id.name or self.partner_name or "",
            "target": self._sla_label(kind),
            "deadline": deadline,
        }
        if event == "at_risk":
            return (
                self.env._("%(target)s at risk: due %(deadline)s", **params),
                self.env._(
                    "%(ticket)s (%(customer)s) has used most of its %(target)s "
                    "time; the target is due %(deadline)s.",
                    **params,
                ),
            )
        return (
            self.env._("%(target)s breached: it was due %(deadline)s", **params),
            self.env._(
                "%(ticket)s (%(customer)s) missed its %(target)s target, due "
                "%(deadline)s.",
                **params,
            ),
        )

    def _sla_notify(self, kind, notices):
        """Sends the notices about the ``kind`` target, ``[(ticket, event)]``:
        an activity for every recipient and one e-mail to them all. The
        activities are made in one create (without the "assigned to you" mail
        of each), the e-mails rendered together and made in one create. A
        ticket comes at most once: the template renders one e-mail per
        ticket, and the followers added by the activities must not repeat."""
        activity_type = (
            self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
            or self._default_activity_type()
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities, subjects, messages, recipients = [], {}, {}, {}
        for ticket, event in notices:
            users = ticket._sla_notice_users(event).filtered(lambda u: not u.share)
            if not users:
                continue
            subject, message = ticket._sla_notice_texts(kind, event)
            activities += [
                {
                    "activity_type_id": activity_type.id,
                    "summary": subject,
                    "note": message,
                    "automated": True,
                    "date_deadline": today,
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "user_id": user.id,
                }
                for user in users
            ]
            subjects[ticket.id] = subject
            messages[ticket.id] = message
            recipients[ticket.id] = users.partner_id.ids
        if not activities:
            return
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        template = self.env.ref("service_sla.mail_template_sla_notice").with_context(
            sla_subjects=subjects, sla_messages=messages
        )
        mails = []
        rendered = template._generate_template(list(subjects), NOTICE_MAIL_FIELDS)
        for res_id, values in rendered.items():
            values["recipient_ids"] = [Command.link(pid) for pid in recipients[res_id]]
            values["body"] = values["body_html"]
            if not values.get("email_from"):
                del values["email_from"]
            mails.append(values)
        self.env["mail.mail"].sudo().create(mails)
