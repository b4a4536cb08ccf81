from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class ServiceContractUsage(models.Model):
    _inherit = "service.contract.usage"

    invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    invoice_id = fields.Many2one(related="invoice_line_id.move_id", string="Invoice")

    @api.model
    def _mutable_fields(self):
        return super()._mutable_fields() | {"invoice_line_id"}

    # ------------------------------------------------------------------
    # Billing (service.billing.engine): overage, one item per contract and
    # period; work outside contracts, one item per ticket
    # ------------------------------------------------------------------
    @api.model
    def _billing_due_domain(self, job):
        date = job["date"]
        domain = [
            ("is_billable", "=", True),
            "|",
            ("contract_id", "=", False),
            ("contract_id.state", "!=", "draft"),
            # Overage counted per period, or of a postpaid period, is due
            # with the period's end; the rest when it is posted.
            "|",
            "&",
            "&",
            ("period_id", "!=", False),
            ("period_id.date_end", "<=", date),
            "|",
            ("contract_id.allowance_scope", "=", "period"),
            ("period_id.payment_mode", "=", "postpaid"),
            "&",
            ("date", "<=", date),
            "|",
            ("period_id", "=", False),
            "&",
            ("contract_id.allowance_scope", "=", "contract"),
            ("period_id.payment_mode", "=", "prepaid"),
        ]
        if job["contracts"]:
            ids = job["contracts"].ids
            domain += [
                "|",
                ("contract_id", "in", ids),
                ("ticket_id.contract_id", "in", ids),
            ]
        return domain

    def _billing_items(self, job):
        offsets = self._billing_overage_offsets(self.contract_id)
        items = [
            {
                "records": lines,
                "contract": contract,
                "partner": contract.partner_id,
                "tickets": lines.ticket_id,
                "sort": (
                    contract.code,
                    period.date_end or max(lines.mapped("date")),
                    1,
                    lines[0].id,
                ),
                "is_overage": True,
                "offsets": offsets,
            }
            for (contract, period), lines in self.filtered("contract_id")
            .grouped(lambda u: (u.contract_id, u.period_id))
            .items()
        ]
        for ticket, lines in (
            self.filtered(lambda u: not u.contract_id).grouped("ticket_id").items()
        ):
            contract = ticket.contract_id
            items.append(
                {
                    "records": lines,
                    "contract": contract,
                    "partner": lines[0].partner_id,
                    "tickets": ticket,
                    "sort": (
                        contract.code or "",
                        max(lines.mapped("date")),
                        2,
                        ticket.id,
                    ),
                    "is_overage": False,
                }
            )
        return items

    @api.model
    def _billing_overage_offsets(self, contracts):
        """``{(contract, period): units}`` of overage invoiced already in each
        tiered scope (a period, or the whole contract: period empty)."""
        tiered = contracts.filtered("overage_tier_ids")
        offsets = defaultdict(float)
        if not tiered:
            return offsets
        for contract, period, quantity in self._read_group(
            [
                ("contract_id", "in", tiered.ids),
                ("is_overage", "=", True),
                ("invoice_line_id", "!=", False),
            ],
            ["contract_id", "period_id"],
            ["quantity:sum"],
        ):
            scope = period if contract.allowance_scope == "period" else period.browse()
            offsets[contract, scope] += quantity
        return offsets

    @api.model
    def _billing_line_vals(self, item, job):
        if item["is_overage"]:
            return self._billing_overage_line_vals(item)
        usage = item["records"]
        hours = sum(usage.mapped("hours"))
        amount = sum(usage.mapped("amount"))
        company = job["company"]
        product = self.env["service.billing.engine"]._product(
            company._service_hours_product(),
            _lt(
                "No product to invoice the hours of work outside contracts: "
                "choose one in the settings."
            ),
        )
        ticket = item["tickets"]
        return [
            {
                "product_id": product,
                "name": self.env._("Work on ticket %s", ticket.display_name)
                if ticket
                else "\n".join(usage.mapped("name")),
                "quantity": hours,
                "price_unit": amount / hours if hours else company.service_hourly_rate,
            }
        ]

    @api.model
    def _billing_overage_line_vals(self, item):
        """One line per price: the tiers reached, then the overage price."""
        usage, contract = item["records"], item["contract"]
        period = usage.period_id
        if period:
            label = self.env._(
                "Beyond the allowance, %(start)s to %(end)s",
                start=format_date(self.env, period.date_start),
                end=format_date(self.env, period.date_end),
            )
        else:
            label = self.env._(
                "Beyond the allowance, until %s",
                format_date(self.env, max(usage.mapped("date"))),
            )
        product = self.env["service.billing.engine"]._product(
            contract._overage_product(),
            _lt(
                "No product to invoice the overage of %(contract)s: choose one on "
                "the contract or in the settings.",
                contract=contract.display_name,
            ),
        )
        scope = period if contract.allowance_scope == "period" else period.browse()
        quantity = sum(usage.mapped("quantity"))
        offsets = item["offsets"]
        lines = [
            {
                "product_id": product,
                "name": f"{contract.display_name}\n{label}",
                "quantity": segment_qty,
                "price_unit": price,
                "service_period_id": period.id,
            }
            for segment_qty, price in contract._overage_segments(
                offsets[contract, scope], quantity
            )
        ]
        offsets[contract, scope] += quantity
        return lines
