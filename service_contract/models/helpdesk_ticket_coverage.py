from odoo import api, fields, models
from odoo.exceptions import UserError

COVERAGE_BADGES = [
    ("no_contract", "No contract"),
    ("ended", "Ended"),
    ("not_started", "Not started"),
    ("unpaid", "Unpaid"),
    ("used_up", "Used up"),
    ("not_covered", "Not covered"),
]


class HelpdeskTicket(models.Model):
    """Coverage: every reason a request is not plainly covered by its
    contract, the warning shown to staff and the refusal of blocking
    contracts. An open ticket's coverage is computed when read, on the day
    it is read; a closed ticket keeps the coverage it closed with."""

    _inherit = "helpdesk.ticket"

    # Staff's reasons name contracts, contacts and account managers.
    coverage_warning = fields.Text(
        compute="_compute_coverage_warning",
        groups="base.group_user",
        help="Every reason the request is not plainly covered.",
    )
    coverage_doubtful = fields.Boolean(
        compute="_compute_coverage_warning", search="_search_coverage_doubtful"
    )
    coverage_badge = fields.Selection(
        COVERAGE_BADGES,
        string="Coverage",
        compute="_compute_coverage_warning",
        search="_search_coverage_badge",
        help="The first reason the request is not plainly covered, in short; "
        "the coverage warning gives them all.",
    )
    closing_coverage_warning = fields.Text(
        string="Coverage Warning at Closing",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    closing_coverage_badge = fields.Selection(
        COVERAGE_BADGES, string="Coverage at Closing", readonly=True, copy=False
    )

    def _computed_figures(self):
        return super()._computed_figures() | {
            "coverage_warning",
            "coverage_doubtful",
            "coverage_badge",
            "closing_coverage_warning",
            "closing_coverage_badge",
        }

    @api.depends(
        "contract_id.state",
        "contract_id.date_start",
        "contract_id.date_end",
        "contract_id.remaining_qty",
        "contract_id.allowance_total_qty",
        "contract_id.period_ids.is_paid",
        "contract_id.period_ids.date_start",
        "contract_id.period_ids.date_end",
        "contract_id.category_ids",
        "contract_id.authorized_partner_ids",
        "contract_id.equipment_ids",
        "partner_id",
        "category_id",
        "equipment_id.warranty_end_date",
        "billing_mode",
        "timesheet_ids",
        "stage_id.closed",
        "closing_coverage_warning",
        "closing_coverage_badge",
    )
    @api.depends_context("date")
    def _compute_coverage_warning(self):
        closed = self.filtered(lambda t: t.stage_id.closed)
        live = (self - closed)._live_coverage()
        for ticket in closed:
            ticket.coverage_warning = ticket.closing_coverage_warning
            ticket.coverage_doubtful = bool(ticket.closing_coverage_warning)
            ticket.coverage_badge = ticket.closing_coverage_badge
        for ticket, (warning, badge) in live.items():
            ticket.coverage_warning = warning
            ticket.coverage_doubtful = bool(warning)
            ticket.coverage_badge = badge

    def _live_coverage(self):
        """``{ticket: (warning, badge)}`` of today's coverage of the tickets,
        whatever their stage."""
        reasons_by_ticket = self._coverage_reasons()
        badges = self._coverage_badge_by_reason()
        result = {}
        for ticket in self:
            reasons = reasons_by_ticket.get(ticket, [])
            result[ticket] = (
                "\n".join(text for _code, text in reasons) or False,
                badges[reasons[0][0]] if reasons else False,
            )
        return result

    def _keep_closing_coverage(self):
        """Stores the coverage the tickets close with: a closed ticket keeps
        it whatever happens to its contract afterwards."""
        by_value = {}
        for ticket, value in self._live_coverage().items():
            by_value.setdefault(value, []).append(ticket.id)
        with self._writing_computed_figures():
            for (warning, badge), ids in by_value.items():
                self.browse(ids).write(
                    {
                        "closing_coverage_warning": warning,
                        "closing_coverage_badge": badge,
                    }
                )

    def _search_coverage(self, name, operator, value, closed_domain):
        """The tickets whose coverage field ``name`` satisfies ``operator``
        ``value``: the closed ones by what they closed with
        (``closed_domain``), the open ones by their coverage computed for
        all of them at once."""
        open_tickets = self.with_context(active_test=False).search(
            [("stage_id.closed", "=", False)]
        )
        matching = open_tickets.filtered_domain([(name, operator, value)])
        return [
            "|",
            ("id", "in", matching.ids),
            "&",
            ("stage_id.closed", "=", True),
            *closed_domain,
        ]

    def _search_coverage_doubtful(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        doubtful = (operator == "=") == value
        return self._search_coverage(
            "coverage_doubtful",
            "=",
            doubtful,
            [("closing_coverage_warning", "!=" if doubtful else "=", False)],
        )

    def _search_coverage_badge(self, operator, value):
        return self._search_coverage(
            "coverage_badge",
            operator,
            value,
            [("closing_coverage_badge", operator, value)],
        )

    @api.model
    def _coverage_badge_by_reason(self):
        """The ``coverage_badge`` of each reason code of ``_coverage_reasons``."""
        return {
            "no_customer": "no_contract",
            "no_contract": "no_contract",
            "expired": "ended",
            "not_started": "not_started",
            "unpaid": "unpaid",
            "earlier_unpaid": "unpaid",
            "exhausted": "used_up",
            "category": "not_covered",
            "contact": "not_covered",
            "equipment": "not_covered",
            "warranty": "not_covered",
        }

    def _coverage_reasons(self):
        """``{ticket: [(code, text)]}``: every reason each ticket is not
        plainly covered. Batched: one contract search for the tickets without
        a contract, the others read their (prefetched) contract."""
        today = fields.Date.context_today(self)
        result = {}
        without = self.filtered(
            lambda t: not t.contract_id and t.billing_mode != "none"
        )
        last_contracts = self._last_contracts(without.commercial_partner_id)
        for ticket in self:
            if ticket.billing_mode == "none":
                continue
            contract = ticket.contract_id
            if not contract:
                result[ticket] = ticket._reasons_without_contract(
                    last_contracts.get(ticket.commercial_partner_id.id), today
                )
            else:
                result[ticket] = ticket._reasons_with_contract(contract, today)
        return result

    @api.model
    def _last_contracts(self, partners):
        """The most recent non-draft contract of each customer."""
        if not partners:
            return {}
        contracts = self.env["service.contract"].search(
            [("partner_id", "in", partners.ids), ("state", "!=", "draft")],
            order="date_start desc, id desc",
        )
        last = {}
        for contract in contracts:
            last.setdefault(contract.partner_id.id, contract)
        return last

    def _reasons_without_contract(self, last_contract, today):
        if not self.commercial_partner_id:
            # Nobody to hold to a contract: only work to bill needs a customer.
            if not self.timesheet_ids:
                return []
            return [
                (
                    "no_customer",
                    self.env._(
                        "No customer: the work logged on this ticket cannot be "
                        "billed until its customer is set."
                    ),
                )
            ]
        if last_contract and last_contract.state == "expired":
            return [
                (
                    "expired",
                    self.env._(
                        "No service contracted: %(contract)s expired on %(date)s; "
                        "the work will be invoiced separately.",
                        contract=last_contract.display_name,
                        date=last_contract.date_end,
                    ),
                )
            ]
        return [
            (
                "no_contract",
                self.env._("No active contract: the work will be invoiced separately."),
            )
        ]

    def _reasons_with_contract(self, contract, today):
        reasons = []
        if contract.state in ("expired", "cancelled") or (
            contract.date_end and contract.date_end < today
        ):
            reasons.append(
                ("expired", self.env._("Contract %s has ended.", contract.display_name))
            )
        elif contract.date_start > today or contract.state == "draft":
            reasons.append(
                (
                    "not_started",
                    self.env._(
                        "Contract %(c)s is not in force yet (starts %(d)s).",
                        c=contract.display_name,
                        d=contract.date_start,
                    ),
                )
            )
        current = contract._period_on(today)
        if current and not current.is_paid and current.payment_mode == "prepaid":
            reasons.append(
                (
                    "unpaid",
                    self.env._(
                        "The current service period (%s) is not paid.", current.name
                    ),
                )
            )
        earlier = contract.period_ids.filtered(
            lambda p: (
                not p.is_paid and p.due_date and p.due_date < today and p != current
            )
        )
        if earlier:
            reasons.append(
                (
                    "earlier_unpaid",
                    self.env._(
                        "%(count)s earlier service period(s) unpaid: %(names)s.",
                        count=len(earlier),
                        names=", ".join(earlier.mapped("name")),
                    ),
                )
            )
        if (
            contract.allowance_type != "time"
            and contract.allowance_total_qty
            and contract.remaining_qty <= 0
        ):
            reasons.append(
                (
                    "exhausted",
                    self.env._(
                        "The allowance of %s is used up: the work will be billed "
                        "as overage.",
                        contract.display_name,
                    ),
                )
            )
        if not contract._covers_category(self.category_id):
            reasons.append(
                (
                    "category",
                    self.env._(
                        "The category %s is not covered by the contract.",
                        self.category_id.display_name,
                    ),
                )
            )
        if not contract._covers_contact(self.partner_id):
            reasons.append(
                (
                    "contact",
                    self.env._(
                        "%(contact)s is not authorized to open tickets on this "
                        "contract; ask %(manager)s.",
                        contact=self.partner_id.display_name,
                        manager=contract.user_id.name or contract.company_id.name,
                    ),
                )
            )
        reasons += self.equipment_id._coverage_reasons(contract, today)
        return reasons

    @api.model
    def _blocking_reason_codes(self):
        """Coverage reasons for which a contract with enforcement "block"
        refuses new tickets."""
        return {"expired", "not_started", "unpaid", "earlier_unpaid", "exhausted"}

    def _check_enforcement(self):
        """Refuses new tickets on a blocking contract that is exhausted,
        ended or unpaid, naming every reason."""
        last_contracts = self._last_contracts(
            self.filtered(lambda t: not t.contract_id).commercial_partner_id
        )
        contract_of = {
            ticket: ticket.contract_id
            or last_contracts.get(ticket.commercial_partner_id.id)
            for ticket in self
        }
        enforced = self.filtered(
            lambda t: contract_of[t] and contract_of[t].enforcement == "block"
        )
        if not enforced:
            return
        reasons_by_ticket = enforced._coverage_reasons()
        blocking_codes = self._blocking_reason_codes()
        for ticket in enforced:
            contract = contract_of[ticket]
            blocking = [
                text
                for code, text in reasons_by_ticket.get(ticket, [])
                if code in blocking_codes
            ]
            if blocking:
                raise UserError(
                    self.env._(
                        "This request cannot be accepted under %(contract)s:\n"
                        "%(reasons)s",
                        contract=contract.display_name,
                        reasons="\n".join(blocking),
                    )
                )
