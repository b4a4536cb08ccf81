from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.service_sla_clock import SLA_STATUSES


class ServiceSlaReport(models.Model):
    """SLA compliance, one row per ticket under a policy. Measures: share of
    targets met among those decided, average and 90th percentile of the
    working hours to the first response and to the resolution."""

    _name = "service.sla.report"
    _description = "SLA Compliance"
    _auto = False
    _order = "date desc"
    _depends = {
        "helpdesk.ticket": [
            "sla_policy_id",
            "contract_id",
            "commercial_partner_id",
            "team_id",
            "user_id",
            "priority",
            "company_id",
            "stage_id",
            "active",
            "sla_start_date",
            "sla_first_response_date",
        ],
        "service.sla.clock": ["ticket_id", "target", "status", "working_hours_used"],
        "helpdesk.ticket.stage": ["closed"],
    }

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    policy_id = fields.Many2one(
        "service.sla.policy", string="SLA Policy", readonly=True
    )
    contract_id = fields.Many2one("service.contract", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    priority = fields.Selection(
        lambda self: self.env["helpdesk.ticket"]._fields["priority"].selection,
        readonly=True,
    )
    date = fields.Datetime(string="Opened", readonly=True)
    response_status = fields.Selection(SLA_STATUSES, readonly=True)
    resolution_status = fields.Selection(SLA_STATUSES, readonly=True)
    response_met_percent = fields.Float(
        string="Response Met (%)", aggregator="avg", readonly=True
    )
    resolution_met_percent = fields.Float(
        string="Resolution Met (%)", aggregator="avg", readonly=True
    )
    response_hours = fields.Float(
        string="Response Time (h, avg)", aggregator="avg", readonly=True
    )
    response_hours_p90 = fields.Float(
        string="Response Time (h, 90th pct)", aggregator="p90", readonly=True
    )
    resolution_hours = fields.Float(
        string="Resolution Time (h, avg)", aggregator="avg", readonly=True
    )
    resolution_hours_p90 = fields.Float(
        string="Resolution Time (h, 90th pct)", aggregator="p90", readonly=True
    )

    def _read_group_select(self, aggregate_spec, query):
        """Adds the ``p90`` aggregate: the 90th percentile (continuous)."""
        fname, __, func = models.parse_read_group_spec(aggregate_spec)
        if func != "p90":
            return super()._read_group_select(aggregate_spec, query)
        # checks the field and the access as for the standard aggregates
        super()._read_group_select(f"{fname}:max", query)
        return SQL(
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)",
            self._field_to_sql(self._table, fname, query),
        )

    def _met_percent(self, column):
        return SQL("CASE %s WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END", column)

    def _query(self):
        response_done = SQL("t.sla_first_response_date IS NOT NULL")
        resolved = SQL("s.closed")
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.sla_policy_id AS policy_id,
                   t.contract_id AS contract_id,
                   t.commercial_partner_id AS partner_id,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.company_id AS company_id,
                   t.priority AS priority,
                   t.sla_start_date AS date,
                   rc.status AS response_status,
                   sc.status AS resolution_status,
                   %(response_met)s AS response_met_percent,
                   %(resolution_met)s AS resolution_met_percent,
                   CASE WHEN %(response_done)s THEN rc.working_hours_used END
                       AS response_hours,
                   CASE WHEN %(response_done)s THEN rc.working_hours_used END
                       AS response_hours_p90,
                   CASE WHEN %(resolved)s THEN sc.working_hours_used END
                       AS resolution_hours,
                   CASE WHEN %(resolved)s THEN sc.working_hours_used END
                       AS resolution_hours_p90
              FROM helpdesk_ticket t
              LEFT JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
              LEFT JOIN service_sla_clock rc
                     ON rc.ticket_id = t.id AND rc.target = 'response'
              LEFT JOIN service_sla_clock sc
                     ON sc.ticket_id = t.id AND sc.target = 'resolution'
             WHERE t.sla_policy_id IS NOT NULL
               AND t.active
               AND (rc.id IS NOT NULL OR sc.id IS NOT NULL)
            """,
            response_met=self._met_percent(SQL("rc.status")),
            resolution_met=self._met_percent(SQL("sc.status")),
            response_done=response_done,
            resolved=resolved,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
