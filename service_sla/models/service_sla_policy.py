from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .service_sla_clock import RUNNING

# Tickets re-planned per batch when a policy or a calendar changes.
REPLAN_BATCH = 1000


class ServiceSlaPolicy(models.Model):
    _name = "service.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the policy between companies.",
    )
    description = fields.Html(string="Terms")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="The clocks count only the working time of this calendar, in its "
        "time zone; its time off (without a resource) are public holidays.",
    )
    line_ids = fields.One2many(
        "service.sla.policy.line", "policy_id", string="Targets", copy=True
    )
    pause_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        string="Pause Stages",
        help="While a ticket sits in one of these stages (e.g. waiting for the "
        "customer) its clocks stop.",
    )
    at_risk_percent = fields.Float(
        string="At Risk at (%)",
        default=80,
        help="A clock is at risk once this share of its target has elapsed.",
    )
    contract_ids = fields.One2many(
        "service.contract", "sla_policy_id", string="Contracts"
    )
    team_ids = fields.One2many(
        "helpdesk.ticket.team", "sla_policy_id", string="Default for Teams"
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    @api.constrains("at_risk_percent")
    def _check_at_risk_percent(self):
        for policy in self:
            if not 0 < policy.at_risk_percent < 100:
                raise ValidationError(
                    self.env._(
                        "Policy %s: the at-risk share must lie between 0 and 100 %%.",
                        policy.display_name,
                    )
                )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.ticket_count = counts.get(policy, 0)

    def write(self, vals):
        paused_before = self.pause_stage_ids
        result = super().write(vals)
        if {"calendar_id", "at_risk_percent"} & vals.keys():
            self._replan_running_tickets()
        if "pause_stage_ids" in vals:
            self._sync_pauses_in(paused_before | self.pause_stage_ids)
        return result

    def _sync_pauses_in(self, stages):
        """A stage added to or removed from the pause stages stops or
        resumes at once the clocks of the open tickets sitting in it."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("sla_policy_id", "in", self.ids),
                    ("stage_id", "in", stages.filtered(lambda s: not s.closed).ids),
                ]
            )
        )
        now = fields.Datetime.now()
        for start in range(0, len(tickets), REPLAN_BATCH):
            batch = tickets[start : start + REPLAN_BATCH]
            batch._sla_refresh(now, replan=batch.browse())

    def _lines_by_priority(self):
        """``{(policy, priority): line}`` for these policies."""
        return {(line.policy_id, line.priority): line for line in self.line_ids}

    def _replan_running_tickets(self):
        """A change of targets or working time moves the clocks still
        running; met and breached results stay as they were decided."""
        if not self:
            return
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sla_policy_id", "in", self.ids),
                    ("sla_clock_ids", "any", [("status", "in", RUNNING)]),
                ]
            )
        )
        now = fields.Datetime.now()
        for start in range(0, len(tickets), REPLAN_BATCH):
            batch = tickets[start : start + REPLAN_BATCH]
            batch._sla_settle(now)
            batch._sla_plan(now)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            domain=[("sla_policy_id", "=", self.id)],
            context={"default_sla_policy_id": self.id},
        )
        return action
