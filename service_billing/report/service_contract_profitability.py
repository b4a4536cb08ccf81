from odoo import fields, models, tools
from odoo.tools import SQL


class ServiceContractProfitability(models.Model):
    """Revenue invoiced against the cost of the time logged, per contract and
    service period (work outside any period has no period)."""

    _name = "service.contract.profitability"
    _description = "Contract Profitability"
    _auto = False
    _order = "contract_id, date_start"
    _rec_name = "contract_id"
    _depends = {
        "account.move": ["state"],
        "account.move.line": [
            "balance",
            "display_type",
            "move_id",
            "service_contract_id",
            "service_period_id",
        ],
        "account.analytic.line": ["amount", "date", "ticket_id", "unit_amount"],
        "helpdesk.ticket": ["contract_id"],
        "service.contract": ["company_id", "partner_id", "user_id"],
        "service.contract.period": ["contract_id", "date_end", "date_start"],
    }

    contract_id = fields.Many2one("service.contract", readonly=True)
    period_id = fields.Many2one("service.contract.period", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Account Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_start = fields.Date(string="Period Start", readonly=True)
    revenue = fields.Monetary(
        readonly=True, help="Posted invoices, net of credit notes."
    )
    hours = fields.Float(readonly=True, help="Time logged on the contract's tickets.")
    cost = fields.Monetary(
        readonly=True, help="The time logged at the employees' hourly cost."
    )
    margin = fields.Monetary(readonly=True)
    margin_percent = fields.Float(string="Margin (%)", readonly=True, aggregator=None)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE VIEW %(table)s AS (
    WITH revenue AS (
        SELECT line.service_contract_id AS contract_id,
               line.service_period_id AS period_id,
               SUM(-line.balance) AS revenue
          FROM account_move_line line
          JOIN account_move move ON move.id = line.move_id
         WHERE move.state = 'posted'
           AND line.display_type = 'product'
           AND line.service_contract_id IS NOT NULL
      GROUP BY 1, 2
    ), cost AS (
        SELECT ticket.contract_id,
               period.id AS period_id,
               SUM(timesheet.unit_amount) AS hours,
               SUM(-timesheet.amount) AS cost
          FROM account_analytic_line timesheet
          JOIN helpdesk_ticket ticket ON ticket.id = timesheet.ticket_id
     LEFT JOIN service_contract_period period
            ON period.contract_id = ticket.contract_id
           AND timesheet.date BETWEEN period.date_start AND period.date_end
         WHERE ticket.contract_id IS NOT NULL
      GROUP BY 1, 2
    ), figures AS (
        SELECT COALESCE(r.contract_id, c.contract_id) AS contract_id,
               COALESCE(r.period_id, c.period_id) AS period_id,
               COALESCE(r.revenue, 0.0) AS revenue,
               COALESCE(c.hours, 0.0) AS hours,
               COALESCE(c.cost, 0.0) AS cost
          FROM revenue r
     FULL JOIN cost c
            ON c.contract_id = r.contract_id
           AND c.period_id IS NOT DISTINCT FROM r.period_id
    )
    SELECT ROW_NUMBER() OVER (ORDER BY f.contract_id, f.period_id) AS id,
           f.contract_id,
           f.period_id,
           contract.partner_id,
           contract.user_id,
           contract.company_id,
           company.currency_id,
           period.date_start,
           f.revenue,
           f.hours,
           f.cost,
           f.revenue - f.cost AS margin,
           CASE WHEN f.revenue <> 0
                THEN 100.0 * (f.revenue - f.cost) / f.revenue END AS margin_percent
      FROM figures f
      JOIN service_contract contract ON contract.id = f.contract_id
      JOIN res_company company ON company.id = contract.company_id
 LEFT JOIN service_contract_period period ON period.id = f.period_id
)
                """,
                table=SQL.identifier(self._table),
            )
        )
