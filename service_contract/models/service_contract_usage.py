import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class ServiceContractUsage(models.Model):
    """The usage ledger. Lines are only ever added: a correction is a new
    line (a reversal carries negative quantities)."""

    _name = "service.contract.usage"
    _description = "Contract Usage"
    _order = "date desc, id desc"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "service.contract", index=True, ondelete="restrict", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    period_id = fields.Many2one(
        "service.contract.period", index=True, ondelete="restrict", readonly=True
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True, default=fields.Date.context_today, readonly=True, index=True
    )
    name = fields.Char(string="Description", readonly=True)
    allowance_type = fields.Selection(related="contract_id.allowance_type")
    quantity = fields.Float(
        readonly=True,
        digits="Product Unit of Measure",
        help="In the contract's allowance unit: hours, tickets or money.",
    )
    hours = fields.Float(readonly=True)
    amount = fields.Monetary(string="Value", readonly=True)
    is_overage = fields.Boolean(string="Overage", readonly=True, index=True)
    is_billable = fields.Boolean(
        compute="_compute_is_billable",
        store=True,
        index=True,
        help="Overage, or work outside any contract: to be invoiced.",
    )

    @api.depends("is_overage", "contract_id")
    def _compute_is_billable(self):
        for line in self:
            line.is_billable = line.is_overage or not line.contract_id

    @api.model
    def _mutable_fields(self):
        """Fields other modules may still set on a posted line (e.g. the
        invoice line that billed it); everything else is the ledger and never
        changes."""
        return {"display_name", "is_billable"}

    def write(self, vals):
        frozen = set(vals) - self._mutable_fields()
        if frozen:
            raise UserError(
                self.env._(
                    "Usage lines are never edited: post a correcting line instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Usage lines are never deleted: post a correcting line instead.")
        )

    @api.model
    def _usage_by_period(self, contracts):
        """``{contract_id: {period_id: (quantity, overage quantity)}}`` in one
        grouped read."""
        result = defaultdict(dict)
        if not contracts.ids:
            return result
        groups = self._read_group(
            [("contract_id", "in", contracts.ids)],
            ["contract_id", "period_id", "is_overage"],
            ["quantity:sum"],
        )
        for contract, period, is_overage, quantity in groups:
            total, overage = result[contract.id].get(period.id, (0.0, 0.0))
            result[contract.id][period.id] = (
                total + quantity,
                overage + (quantity if is_overage else 0.0),
            )
        return result

    # ------------------------------------------------------------------
    # Posting a ticket's usage
    # ------------------------------------------------------------------
    @api.model
    def _round_hours(self, hours, contract):
        """A closed ticket's hours as the contract counts them."""
        if not contract or float_is_zero(hours, precision_digits=6) or hours < 0:
            return hours
        minutes = hours * 60.0
        if contract.time_rounding_minutes:
            step = contract.time_rounding_minutes
            minutes = math.ceil(round(minutes / step, 6)) * step
        minutes = max(minutes, contract.min_ticket_minutes)
        return minutes / 60.0

    @api.model
    def _post_ticket_usage(self, tickets):
        """Posts what each closed ticket has not posted yet: the difference
        between its work and the ledger's lines for it. Locks the contracts
        first, so that tickets closing at once never lose or double usage."""
        contracts = tickets.contract_id
        stack = self.env["service.contract"]._applicable_contracts_by_partner(
            contracts.partner_id, fields.Date.context_today(self)
        )
        locked = contracts | self.env["service.contract"].concat(*stack.values())
        if locked:
            self.env.cr.execute(
                "SELECT id FROM service_contract WHERE id IN %s ORDER BY id FOR UPDATE",
                [tuple(locked.ids)],
            )
        hours_by_ticket = dict(
            self.env["account.analytic.line"]._read_group(
                [("ticket_id", "in", tickets.ids)], ["ticket_id"], ["unit_amount:sum"]
            )
        )
        posted = defaultdict(list)
        for line in self.search([("ticket_id", "in", tickets.ids)], order="id"):
            posted[line.ticket_id.id].append(line)
        vals_list = []
        for ticket in tickets:
            lines = posted[ticket.id]
            if ticket.billing_mode == "contract":
                vals_list += self._contract_usage_vals(
                    ticket, hours_by_ticket.get(ticket, 0.0), lines, stack
                )
            else:
                vals_list += self._billable_usage_vals(
                    ticket, hours_by_ticket.get(ticket, 0.0), lines
                )
            # Each block's figures depend on what the previous tickets drew.
            if vals_list and ticket != tickets[-1]:
                self.create(vals_list)
                vals_list = []
        created = self.create(vals_list) if vals_list else self.browse()
        locked._check_consumption_alerts()
        return created

    def _ticket_target(self, ticket, contract, hours):
        """(quantity, hours, value) the closed ticket counts for."""
        rounded = self._round_hours(hours, contract)
        if not contract:
            return rounded, rounded, rounded * ticket.company_id.service_hourly_rate
        return (
            contract._to_allowance_units(rounded),
            rounded,
            rounded * contract._hourly_value(),
        )

    def _line_vals(self, ticket, contract, quantity, overage):
        today = fields.Date.context_today(self)
        period = contract._period_on(today)
        return {
            "contract_id": contract.id,
            "partner_id": ticket.commercial_partner_id.id or contract.partner_id.id,
            "period_id": period.id,
            "ticket_id": ticket.id,
            "company_id": ticket.company_id.id,
            "date": today,
            "name": ticket.display_name,
            "quantity": quantity,
            "is_overage": overage,
        }

    def _contract_usage_vals(self, ticket, hours, lines, stack):
        contract = ticket.contract_id
        if not contract:
            raise UserError(
                self.env._(
                    "Ticket %s counts against a contract but has none: choose its "
                    "contract, or bill it separately.",
                    ticket.display_name,
                )
            )
        quantity, rounded, value = self._ticket_target(ticket, contract, hours)
        delta = quantity - sum(line.quantity for line in lines)
        hours_delta = rounded - sum(line.hours for line in lines)
        if float_is_zero(delta, precision_digits=6) and float_is_zero(
            hours_delta, precision_digits=6
        ):
            return []
        if delta < 0 or float_is_zero(delta, precision_digits=6):
            return self._reversal_vals(ticket, lines, delta, hours_delta, value)
        # Draw the ticket's own contract first, then the customer's other
        # contracts of the same unit in draw order; the rest is overage.
        draws = [contract] + [
            other
            for other in stack.get(contract.partner_id.id, [])
            if other != contract and other.allowance_type == contract.allowance_type
        ]
        vals_list = []
        rest = delta
        for source in draws:
            if contract.allowance_type == "time":
                break
            available = source.remaining_qty
            take = min(rest, available)
            if take > 0:
                vals_list.append(self._line_vals(ticket, source, take, False))
                rest -= take
            if float_is_zero(rest, precision_digits=6):
                rest = 0.0
                break
        if rest > 0 or contract.allowance_type == "time":
            vals_list.append(
                self._line_vals(
                    ticket, contract, rest, contract.allowance_type != "time"
                )
            )
        # Hours and value follow the quantities' shares.
        for vals in vals_list:
            share = vals["quantity"] / delta
            vals["hours"] = hours_delta * share
            vals["amount"] = (value - sum(line.amount for line in lines)) * share
        return vals_list

    def _reversal_vals(self, ticket, lines, delta, hours_delta, value):
        """Negative lines taking back ``delta``: overage first, then the
        allowances in reverse draw order."""
        net = defaultdict(float)
        for line in lines:
            net[(line.contract_id, line.is_overage)] += line.quantity
        vals_list = []
        rest = -delta
        for (contract, overage), quantity in sorted(
            net.items(),
            key=lambda item: (not item[0][1], -item[0][0].sequence, -item[0][0].id),
        ):
            take = min(rest, quantity) if rest > 0 else 0.0
            if take > 0:
                vals_list.append(self._line_vals(ticket, contract, -take, overage))
                rest -= take
        if not vals_list:
            # Same quantity (e.g. a ticket allowance), other hours.
            first = lines[0]
            vals_list.append(
                self._line_vals(ticket, first.contract_id, 0.0, first.is_overage)
            )
        amount_delta = value - sum(line.amount for line in lines)
        for index, vals in enumerate(vals_list):
            share = vals["quantity"] / delta if delta else (1.0 if index == 0 else 0.0)
            vals["hours"] = hours_delta * share
            vals["amount"] = amount_delta * share
        return vals_list

    def _billable_usage_vals(self, ticket, hours, lines):
        """Work outside a contract (or billed separately): billable lines
        with no contract, valued at the contract's or the company's rate."""
        today = fields.Date.context_today(self)
        hours = self._round_hours(hours, ticket.contract_id)
        rate = (
            ticket.contract_id._hourly_value()
            if ticket.contract_id
            else ticket.company_id.service_hourly_rate
        )
        delta = hours - sum(line.hours for line in lines)
        if float_is_zero(delta, precision_digits=6):
            return []
        if not ticket.commercial_partner_id:
            raise UserError(
                self.env._(
                    "Ticket %s has work to bill but no customer: set its customer, "
                    "or mark it as not counted.",
                    ticket.display_name,
                )
            )
        return [
            {
                "partner_id": ticket.commercial_partner_id.id,
                "ticket_id": ticket.id,
                "company_id": ticket.company_id.id,
                "date": today,
                "name": ticket.display_name,
                "quantity": delta,
                "hours": delta,
                "amount": delta * rate,
            }
        ]
