import threading

from odoo import Command, api, fields, models
from odoo.tools import SQL, format_datetime

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


class HelpdeskTicket(models.Model):
    """Escalation: the clocks turning at risk or breached as time passes,
    and the notices about them."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _cron_sla_escalate(self, batch_size=ESCALATION_BATCH):
        """Turns clocks at risk or breached as time passes and sends each
        notice once. Reads only the clocks whose next event is due (a partial
        index holds the running clocks only), in batches locked with SKIP
        LOCKED so that several workers can share the work; commits after
        each batch."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        now = fields.Datetime.now()
        Clock = self.env["service.sla.clock"].sudo()
        done = 0
        while True:
            Clock.flush_model(["next_event_date"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM service_sla_clock
                     WHERE next_event_date <= %s
                     ORDER BY next_event_date
                     LIMIT %s
                       FOR NO KEY UPDATE SKIP LOCKED
                    """,
                    now,
                    batch_size,
                )
            )
            clocks = Clock.browse([row[0] for row in self.env.cr.fetchall()])
            if not clocks:
                break
            clocks = clocks.with_context(tracking_disable=True, active_test=False)
            clocks._settle(now)
            clocks._send_notices()
            clocks._update_next_event(now)
            done += len(clocks)
            if auto_commit:
                # each batch's notices are sent: keep them if a later one fails
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    def _sla_notice_users(self, event):
        if event == "at_risk":
            return self.user_id or self.team_id.user_id or self.contract_id.user_id
        return (self.contract_id.user_id | self.team_id.user_id) or self.user_id

    def _sla_notice_texts(self, clock, event):
        """Subject and message of a notice about the ticket's ``clock``
        turning ``event`` (at risk or breached)."""
        calendar = self.sla_policy_id.calendar_id
        deadline = format_datetime(
            self.env, clock.deadline, tz=calendar.tz, dt_format="short"
        )
        deadline = f"{deadline} ({calendar.tz})"
        params = {
            "ticket": self.display_name,
            "customer": self.commercial_partner_id.name or self.partner_name or "",
            "target": clock._label(),
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

    @api.model
    def _sla_notify(self, notices):
        """Sends the notices about clocks of one target, ``[(clock, event)]``:
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
        for clock, event in notices:
            ticket = clock.ticket_id
            users = ticket._sla_notice_users(event).filtered(lambda u: not u.share)
            if not users:
                continue
            subject, message = ticket._sla_notice_texts(clock, event)
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
