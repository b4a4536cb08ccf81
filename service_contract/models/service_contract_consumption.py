from odoo import api, fields, models

CONSUMPTION_FIELDS = (
    "allowance_total_qty",
    "consumed_qty",
    "remaining_qty",
    "consumed_percent",
    "overage_qty",
)


class ServiceContract(models.Model):
    """What the allowance has drawn. The figures of today are computed when
    read, from the facts the ledger and the service periods store (what each
    period consumed): nothing stored depends on the date."""

    _inherit = "service.contract"

    allowance_total_qty = fields.Float(
        string="Available",
        compute="_compute_consumption",
        search="_search_allowance_total_qty",
        help="Allowance of the current scope, with the units carried over "
        "from the previous period.",
    )
    consumed_qty = fields.Float(string="Consumed", compute="_compute_consumption")
    remaining_qty = fields.Float(
        string="Remaining",
        compute="_compute_consumption",
        search="_search_remaining_qty",
    )
    consumed_percent = fields.Float(
        string="Consumed (%)", compute="_compute_consumption"
    )
    overage_qty = fields.Float(string="Overage", compute="_compute_consumption")
    in_progress_qty = fields.Float(
        string="In Progress",
        compute="_compute_in_progress_qty",
        help="Work logged on tickets not yet closed: not yet counted.",
    )

    def _computed_figures(self):
        return super()._computed_figures() | {*CONSUMPTION_FIELDS, "in_progress_qty"}

    @api.depends(
        "allowance_type",
        "allowance_qty",
        "allowance_scope",
        "usage_ids.quantity",
        "usage_ids.is_overage",
        "period_ids.date_start",
        "period_ids.date_end",
        "period_ids.carried_qty",
        "period_ids.consumed_qty",
        "period_ids.overage_qty",
    )
    @api.depends_context("date")
    def _compute_consumption(self):
        """The figures of the current scope: the whole contract (one grouped
        read of the ledger), or the service period running today (its stored
        consumption)."""
        today = fields.Date.context_today(self)
        whole = self.filtered(
            lambda c: c.allowance_type == "time" or c.allowance_scope != "period"
        )
        totals = self.env["service.contract.usage"]._ledger_totals(whole._origin)
        for contract in self:
            allowance, consumed, overage = contract._scope_figures(
                totals.get(contract._origin.id, (0.0, 0.0)),
                contract._period_on(today),
            )
            contract.allowance_total_qty = allowance
            contract.consumed_qty = consumed
            contract.overage_qty = overage
            contract.remaining_qty = max(allowance - consumed, 0.0)
            contract.consumed_percent = (
                100.0 * consumed / allowance if allowance else 0.0
            )

    def _scope_figures(self, totals, period):
        """(allowance, consumed, overage) of the scope ``period`` belongs
        to, from the contract's ledger ``totals`` (quantity, overage)."""
        self.ensure_one()
        quantity, overage = totals
        if self.allowance_type == "time":
            return 0.0, quantity, 0.0
        if self.allowance_scope == "period":
            return (
                self.allowance_qty + period.carried_qty,
                period.consumed_qty,
                period.overage_qty,
            )
        return self.allowance_qty, quantity, overage

    def _search_consumption(self, name, operator, value):
        """The contracts whose figure ``name`` of today satisfies
        ``operator`` ``value`` (for the lists' filters): the figures are
        computed for all the contracts at once and compared."""
        # pylint: disable=no-search-all
        contracts = self.with_context(active_test=False).search([])
        return [("id", "in", contracts.filtered_domain([(name, operator, value)]).ids)]

    def _search_allowance_total_qty(self, operator, value):
        return self._search_consumption("allowance_total_qty", operator, value)

    def _search_remaining_qty(self, operator, value):
        return self._search_consumption("remaining_qty", operator, value)

    @api.depends("ticket_ids.stage_id", "ticket_ids.timesheet_ids.unit_amount")
    def _compute_in_progress_qty(self):
        """Work logged on the open tickets, from the timesheets that count:
        one search and one grouped read whatever the number of tickets
        (the search reads their contract only, not whole tickets)."""
        tickets = self.env["helpdesk.ticket"].search_fetch(
            [("contract_id", "in", self._origin.ids), ("stage_id.closed", "=", False)],
            ["contract_id"],
        )
        hours = self.env["service.contract.usage"]._counted_hours(tickets)
        work = {}
        for ticket in tickets:
            count, logged = work.get(ticket.contract_id, (0, 0.0))
            work[ticket.contract_id] = (count + 1, logged + hours.get(ticket, 0.0))
        for contract in self:
            count, logged = work.get(contract._origin, (0, 0.0))
            contract.in_progress_qty = contract._to_allowance_units(logged, count)
