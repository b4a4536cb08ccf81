from collections import defaultdict

from odoo import api, fields, models

SLA_STATUSES = [
    ("ongoing", "Ongoing"),
    ("at_risk", "At Risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
RUNNING = ("ongoing", "at_risk")
DECIDED = ("met", "breached")


def next_event(clock, running, now):
    """The next moment the escalation job has to look at a clock (a record,
    or the values of a new one): ``now`` while a notice is due, else its next
    turn while its ticket runs (active, not paused), else none."""
    status = clock["status"]
    if (status == "at_risk" and not clock["risk_sent"]) or (
        status == "breached" and not clock["breach_sent"]
    ):
        return now
    if running and status == "ongoing":
        return clock["risk_date"]
    if running and status == "at_risk":
        return clock["deadline"]
    return False


def clock_status(deadline, risk_date, now, paused, fresh=False):
    """Status values of a running clock at ``now`` from its deadline and
    at-risk moment. A paused clock does not move, except when just planned
    (its dates then assume it resumes now)."""
    if paused and not fresh:
        return {}
    if deadline <= now and not paused:
        return {"status": "breached", "decided_at": deadline}
    return {"status": "at_risk" if risk_date <= now else "ongoing"}


class ServiceSlaClock(models.Model):
    """One target of one ticket: its deadline in the working time of the
    policy's calendar, its status, and the notices sent about it. Only the
    clocks' own bookkeeping writes them."""

    _name = "service.sla.clock"
    _inherit = ["service.computed.figures.mixin", "service.creation.values.mixin"]
    _description = "SLA Clock"
    _order = "ticket_id, id"
    _rec_name = "target"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True
    )
    target = fields.Selection(
        [
            ("response", "Response"),
            ("resolution", "Resolution"),
            ("arrival", "On-site Arrival"),
        ],
        required=True,
    )
    policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        ondelete="set null",
        help="The policy the deadline was planned under.",
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, precompute=True
    )
    deadline = fields.Datetime()
    risk_date = fields.Datetime(string="At Risk From")
    status = fields.Selection(SLA_STATUSES, required=True, default="ongoing")
    decided_at = fields.Datetime(
        string="Result Date", help="When the target was met or breached."
    )
    working_hours_used = fields.Float(
        string="Working Time (h)",
        help="Working hours the target took, counted when its event happened.",
    )
    next_event_date = fields.Datetime(
        index="btree_not_null",
        help="Next moment the escalation job has something to do for the "
        "clock: turning at risk or breached, or a notice to send. Empty for "
        "decided, paused and notified clocks, so that the escalation job "
        "reads only the running clocks due (a partial index).",
    )
    risk_sent = fields.Boolean(string="At-Risk Notice Sent")
    breach_sent = fields.Boolean(string="Breach Notice Sent")

    _sql_constraints = [
        (
            "ticket_target_uniq",
            "unique(ticket_id, target)",
            "A ticket has one clock per target.",
        ),
    ]

    def _computed_figures(self):
        """Everything of a clock: only the clocks' bookkeeping writes it."""
        return super()._computed_figures() | {
            "ticket_id",
            "target",
            "policy_id",
            "deadline",
            "risk_date",
            "status",
            "decided_at",
            "working_hours_used",
            "next_event_date",
            "risk_sent",
            "breach_sent",
        }

    @api.model
    def _target_labels(self):
        """``{target: its name in the user's language}``."""
        return dict(self._fields["target"]._description_selection(self.env))

    def _label(self):
        return self._target_labels()[self.target]

    def _store(self, values):
        """Stores clock bookkeeping, ``{clock: vals}``: one write for all the
        clocks given the same values."""
        groups = defaultdict(list)
        for clock, vals in values.items():
            if vals:
                groups[tuple(sorted(vals.items()))].append(clock.id)
        clocks = self.sudo()
        with self._writing_computed_figures():
            for vals, ids in groups.items():
                clocks.browse(ids).write(dict(vals))

    def _settle(self, now):
        """Turns the running clocks at risk or breached as time has passed."""
        values = {}
        for clock in self:
            if clock.status in RUNNING:
                new = clock_status(
                    clock.deadline, clock.risk_date, now, clock.ticket_id.sla_paused
                )
                if new.get("status", clock.status) != clock.status:
                    values[clock] = new
        self._store(values)

    def _update_next_event(self, now):
        self._store(
            {
                clock: {"next_event_date": event}
                for clock in self
                if (event := next_event(clock, clock.ticket_id._sla_running(), now))
                != clock.next_event_date
            }
        )

    def _send_notices(self):
        """At risk: the assignee is told; breached: the account manager and
        the team leader. Each notice once per clock; the notices of all the
        clocks sent together, target by target."""
        notices = defaultdict(list)
        values = {}
        for clock in self:
            if clock.status == "breached" and not clock.breach_sent:
                values[clock] = {"breach_sent": True, "risk_sent": True}
            elif clock.status == "at_risk" and not clock.risk_sent:
                values[clock] = {"risk_sent": True}
            else:
                continue
            notices[clock.target].append(clock)
        for clocks in notices.values():
            self.env["helpdesk.ticket"]._sla_notify(
                [(clock, clock.status) for clock in clocks]
            )
        self._store(values)
