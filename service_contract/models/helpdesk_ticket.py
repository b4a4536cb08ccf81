from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html2plaintext

# How many likely duplicates and known solutions a ticket shows.
CANDIDATE_LIMIT = 10
SOLVED_LIMIT = 5
# The text compared: the title and the start of the description without its
# markup. The same expression backs the trigram index of ``init``, so that
# PostgreSQL uses the index when it looks the whole company's tickets up.
TEXT_LENGTH = 1000
# pg_trgm's "similar" operator (true over ``pg_trgm.similarity_threshold``),
# the one its GIN indexes answer; written as a fragment because SQL() code
# takes no escaped ``%``.
SIMILAR = SQL("%%")


def _text_sql(name, description):
    """The SQL expression of the compared text of a ticket (or of a request
    being written) from the SQL of its title and its HTML description."""
    return SQL(
        "left(coalesce(%s, '') || ' ' || "
        "regexp_replace(coalesce(%s, ''), '<[^>]*>', ' ', 'g'), %s)",
        name,
        description,
        TEXT_LENGTH,
    )


def _aliased_text_sql(alias):
    """The compared text of the tickets (or requests) of a query's ``alias``."""
    return _text_sql(
        SQL.identifier(alias, "name"), SQL.identifier(alias, "description")
    )


class HelpdeskTicket(models.Model):
    _inherit = ["helpdesk.ticket", "service.computed.figures.mixin"]
    _name = "helpdesk.ticket"

    contract_id = fields.Many2one(
        "service.contract",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id), ('state', '=', 'active')]",
    )
    billing_mode = fields.Selection(
        [
            ("contract", "Counts against the contract"),
            ("none", "Not counted"),
            ("invoice", "Invoiced separately"),
        ],
        compute="_compute_billing_mode",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    usage_ids = fields.One2many("service.contract.usage", "ticket_id")
    contract_remaining_qty = fields.Float(related="contract_id.remaining_qty")
    contract_allowance_unit = fields.Char(related="contract_id.allowance_unit")
    contract_allowance_type = fields.Selection(related="contract_id.allowance_type")
    # Staff's reasons name contracts, contacts and account managers.
    coverage_warning = fields.Text(
        compute="_compute_coverage_warning",
        store=True,
        groups="base.group_user",
        help="Every reason the request is not plainly covered.",
    )
    coverage_doubtful = fields.Boolean(
        compute="_compute_coverage_warning", store=True, index=True
    )
    coverage_badge = fields.Selection(
        [
            ("no_contract", "No contract"),
            ("ended", "Ended"),
            ("not_started", "Not started"),
            ("unpaid", "Unpaid"),
            ("used_up", "Used up"),
            ("not_covered", "Not covered"),
        ],
        string="Coverage",
        compute="_compute_coverage_warning",
        store=True,
        help="The first reason the request is not plainly covered, in short; "
        "the coverage warning gives them all.",
    )
    equipment_id = fields.Many2one(
        "service.equipment",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', commercial_partner_id)]",
    )
    maintenance_plan_id = fields.Many2one(
        "service.maintenance.plan",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    maintenance_occurrence_id = fields.Many2one(
        "service.maintenance.occurrence",
        string="Maintenance Visit",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    maintenance_date = fields.Date(string="Planned Visit", readonly=True)
    is_preventive = fields.Boolean(string="Preventive", readonly=True)

    def _computed_figures(self):
        return super()._computed_figures() | {
            "coverage_warning",
            "coverage_doubtful",
            "coverage_badge",
            "duplicate_candidate_ids",
            "duplicate_candidate_count",
            "duplicate_similarity",
            "similar_solved_ids",
            "solution_text",
        }

    @api.constrains("contract_id", "partner_id")
    def _check_contract_customer(self):
        """A ticket's contract is one of the ticket's customer (commercial
        entity), whoever writes it: the view's domain alone is no rule."""
        wrong = self.filtered(
            lambda t: (
                t.contract_id
                and t.contract_id.partner_id != t.partner_id.commercial_partner_id
            )
        )
        if not wrong:
            return
        ticket = wrong[0]
        values = {
            "ticket": ticket.display_name,
            "contract": ticket.contract_id.display_name,
            "owner": ticket.contract_id.partner_id.display_name,
            "customer": ticket.partner_id.commercial_partner_id.display_name,
        }
        if ticket.partner_id:
            message = self.env._(
                "Ticket %(ticket)s cannot be under contract %(contract)s: the "
                "contract belongs to %(owner)s, the ticket's customer is "
                "%(customer)s.",
                **values,
            )
        else:
            message = self.env._(
                "Ticket %(ticket)s cannot be under contract %(contract)s: the "
                "contract belongs to %(owner)s and the ticket has no customer.",
                **values,
            )
        raise ValidationError(message)

    @api.depends("contract_id")
    def _compute_billing_mode(self):
        for ticket in self:
            if (
                not ticket.billing_mode
                or ticket.billing_mode == "contract"
                or ticket.contract_id
            ):
                ticket.billing_mode = "contract" if ticket.contract_id else "invoice"

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
    )
    def _compute_coverage_warning(self):
        reasons_by_ticket = self._coverage_reasons()
        badges = self._coverage_badge_by_reason()
        for ticket in self:
            reasons = reasons_by_ticket.get(ticket, [])
            ticket.coverage_warning = (
                "\n".join(text for _code, text in reasons) or False
            )
            ticket.coverage_doubtful = bool(reasons)
            ticket.coverage_badge = badges[reasons[0][0]] if reasons else False

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

    # ------------------------------------------------------------------
    # Contract picking, enforcement, usage
    # ------------------------------------------------------------------
    @api.model
    def _pick_contracts(self, vals_list):
        """Fills ``contract_id`` (and the contract's assignee and team) in
        the values of new tickets, with one contract search for all."""
        todo = [v for v in vals_list if v.get("partner_id") and "contract_id" not in v]
        if not todo:
            return
        partners = self.env["res.partner"].browse({v["partner_id"] for v in todo})
        by_partner = self.env["service.contract"]._applicable_contracts_by_partner(
            partners.commercial_partner_id, fields.Date.context_today(self)
        )
        categories = self.env["helpdesk.ticket.category"].browse(
            {v["category_id"] for v in todo if v.get("category_id")}
        )
        equipments = self.env["service.equipment"].browse(
            {v["equipment_id"] for v in todo if v.get("equipment_id")}
        )
        for vals in todo:
            contact = partners.browse(vals["partner_id"])
            category = categories.browse(vals.get("category_id"))
            equipment = equipments.browse(vals.get("equipment_id"))
            # Never a contract the contact is not authorized on: staff may
            # choose one, a ticket never falls under it by itself.
            # (a list, not filtered(): the records keep the prefetch of the
            # whole search)
            candidates = [
                c
                for c in by_partner.get(contact.commercial_partner_id.id, [])
                if c._covers_contact(contact)
            ]
            covering = [
                c for c in candidates if c._covers(contact, category, equipment)
            ]
            # A contract listing the equipment comes before general ones.
            chosen = next(
                (c for c in covering if equipment and equipment in c.equipment_ids),
                (covering or candidates or [None])[0],
            )
            if not chosen:
                continue
            vals["contract_id"] = chosen.id
            self._apply_contract_defaults(vals, chosen)

    @api.model
    def _apply_contract_defaults(self, vals, contract):
        """Fills in the values of a new ticket what its contract gives and
        the ticket does not say itself (the account manager, the team)."""
        for name, value in contract._prepare_ticket_defaults().items():
            if value and not vals.get(name):
                vals[name] = value

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id and not self.partner_id:
            self.partner_id = self.equipment_id.partner_id

    @api.onchange("partner_id", "category_id", "equipment_id")
    def _onchange_pick_contract(self):
        if (
            self.contract_id
            and self.contract_id.partner_id == self.commercial_partner_id
            and self.contract_id._covers_equipment(self.equipment_id)
        ):
            return
        vals = {
            "partner_id": self.partner_id.id,
            "category_id": self.category_id.id,
            "equipment_id": self.equipment_id.id,
        }
        self._pick_contracts([vals])
        self.contract_id = vals.get("contract_id", False)

    @api.model_create_multi
    def create(self, vals_list):
        self._pick_contracts(vals_list)
        tickets = super().create(vals_list)
        # Preventive tickets are the company's own planning, never refused.
        tickets.filtered(lambda t: not t.is_preventive)._check_enforcement()
        closed = tickets.filtered(lambda t: t.stage_id.closed)
        if closed:
            closed._post_usage()
        return tickets

    def write(self, vals):
        was_open = (
            self.filtered(lambda t: not t.stage_id.closed)
            if "stage_id" in vals
            else None
        )
        result = super().write(vals)
        if was_open:
            newly_closed = was_open.filtered(lambda t: t.stage_id.closed)
            if newly_closed:
                newly_closed._post_usage()
        return result

    @api.model
    def _action_open_tickets(self, field, record):
        """The tickets list of ``record`` (a contract, a piece of equipment),
        new tickets defaulting to it and to its customer."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update(
            domain=[(field, "=", record.id)],
            context={
                f"default_{field}": record.id,
                "default_partner_id": record.partner_id.id,
            },
        )
        return action

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

    def _post_usage(self):
        """Posts the usage of closed tickets (the difference only when a
        ticket is closed again). Runs as superuser: posting is bookkeeping
        that follows from a ticket's closing, which the user may do."""
        tickets = self.filtered(lambda t: t.billing_mode != "none")
        if tickets:
            self.env["service.contract.usage"].sudo()._post_ticket_usage(tickets.sudo())

    @api.model
    def _cron_refresh_coverage(self, batch_size=5000):
        """Time moves coverage on (a period starts, a contract ends): refresh
        the warning of open tickets, in batches."""
        tickets = self.search([("stage_id.closed", "=", False)])
        field = self._fields["coverage_warning"]
        for start in range(0, len(tickets), batch_size):
            batch = tickets[start : start + batch_size]
            self.env.add_to_compute(field, batch)
            batch.flush_recordset(["coverage_warning", "coverage_doubtful"])

    # ------------------------------------------------------------------
    # Likely duplicates and known solutions
    # ------------------------------------------------------------------
    commercial_partner_id = fields.Many2one(index=True)
    duplicate_candidate_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Likely Duplicates",
        compute="_compute_duplicate_candidate_ids",
        help="Open tickets of the same customer created within the company's "
        "duplicate window with a similar title or description or the same "
        "equipment, most similar first.",
    )
    duplicate_candidate_count = fields.Integer(
        compute="_compute_duplicate_candidate_ids"
    )
    duplicate_similarity = fields.Integer(
        string="Similarity (%)",
        compute="_compute_duplicate_similarity",
        help="How much this ticket looks like the ticket it is shown on.",
    )
    similar_solved_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Known Solutions",
        compute="_compute_similar_solved_ids",
        help="Closed tickets of the company with a similar title or "
        "description, most similar first.",
    )
    solution_text = fields.Text(
        string="Solution",
        compute="_compute_solution_text",
        help="The last message or note an employee wrote on the ticket.",
    )

    def init(self):
        res = super().init()
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner
        # may create it. Odoo creates the fields' trigram indexes only when it
        # is there.
        self.env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.env.registry.has_trigram = True
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS helpdesk_ticket_duplicate_text_index "
                "ON helpdesk_ticket USING gin ((%s) gin_trgm_ops)",
                _text_sql(SQL.identifier("name"), SQL.identifier("description")),
            )
        )
        return res

    # ------------------------------------------------------------------
    # Lookups
    # ------------------------------------------------------------------
    def _duplicate_sources(self):
        """The values compared for each ticket of ``self`` (saved or being
        written in a form): ``[(ticket, commercial partner, company,
        reference date, equipment, title, description, id)]``, as
        ``_duplicate_matches`` takes them."""
        now = fields.Datetime.now()
        return [
            (
                ticket,
                ticket.commercial_partner_id.id,
                ticket.company_id.id or self.env.company.id,
                ticket.create_date or now,
                ticket.equipment_id.id,
                ticket.name or "",
                ticket.description or "",
                ticket._origin.id,
            )
            for ticket in self
        ]

    @api.model
    def _duplicate_matches(self, sources, limit=CANDIDATE_LIMIT):
        """``{key: [(ticket id, similarity 0-1)]}``: for each source
        ``(key, commercial partner id, company id, reference date, equipment
        id, title, HTML description, ticket id to leave out)``, the open
        tickets of that customer created within the company's window of the
        reference date that are neither marked as duplicates themselves nor
        planned maintenance, with a
        text similarity over the company's threshold or the same equipment
        (similarity 1), best first.

        The likely duplicates of those tickets count too, at the lower of the
        two similarities: reports of one incident in other words or another
        language are tied together by the one that names the same machine or
        shares their words. Two queries for all the sources; record rules are
        not applied (the callers filter what the user may read)."""
        direct = self._direct_duplicate_matches(sources)
        hops = self._direct_duplicate_matches(
            self.browse(
                {tid for found in direct.values() for tid, _score in found}
            )._duplicate_sources()
        )
        hops = {ticket.id: found for ticket, found in hops.items()}
        created = dict(
            self.browse({tid for found in hops.values() for tid, _s in found})
            .sudo()
            .mapped(lambda t: (t.id, t.create_date))
        )
        companies = self.env["res.company"].browse({s[2] for s in sources})
        matches = {}
        for key, _partner, company_id, date, _eq, _name, _desc, own_id in sources:
            window = timedelta(days=companies.browse(company_id).duplicate_window_days)
            best = dict(direct.get(key, []))
            for via_id, via_score in direct.get(key, []):
                for tid, score in hops.get(via_id, []):
                    if tid != own_id and abs(created[tid] - date) <= window:
                        best[tid] = max(best.get(tid, 0), min(score, via_score))
            if best:
                matches[key] = sorted(best.items(), key=lambda m: -m[1])[:limit]
        return matches

    @api.model
    def _direct_duplicate_matches(self, sources):
        """The direct matches of ``_duplicate_matches``, with one query."""
        sources = [s for s in sources if s[1]]
        if not sources:
            return {}
        self.env["helpdesk.ticket"].flush_model()
        self.env["helpdesk.ticket.stage"].flush_model(["closed"])
        self.env["res.company"].flush_model(
            ["duplicate_window_days", "duplicate_threshold"]
        )
        rows = self.env.execute_query(self._duplicate_query(sources, CANDIDATE_LIMIT))
        matches = defaultdict(list)
        for key, ticket_id, score in rows:
            matches[sources[key][0]].append((ticket_id, float(score)))
        return matches

    @api.model
    def _duplicate_query(self, sources, limit):
        """The query of ``_duplicate_matches``: rows ``(index of the source,
        ticket id, similarity)``. The customer's index narrows the tickets
        compared to those of the sources' customers."""
        return SQL(
            """
            WITH src AS (
                SELECT s.key, s.partner_id, s.company_id, s.equipment_id,
                       s.exclude_id, %(source_text)s AS body,
                       co.duplicate_threshold AS threshold,
                       s.ref_date - make_interval(days => co.duplicate_window_days)
                           AS date_from,
                       s.ref_date + make_interval(days => co.duplicate_window_days)
                           AS date_to
                  FROM unnest(%(keys)s::int[], %(partners)s::int[],
                              %(companies)s::int[], %(dates)s::timestamp[],
                              %(equipments)s::int[], %(names)s::text[],
                              %(descriptions)s::text[], %(excludes)s::int[])
                       AS s(key, partner_id, company_id, ref_date, equipment_id,
                            name, description, exclude_id)
                  JOIN res_company co ON co.id = s.company_id
            )
            SELECT key, id, score FROM (
                SELECT src.key, t.id, m.score,
                       row_number() OVER (
                           PARTITION BY src.key
                           ORDER BY m.score DESC, t.create_date, t.id
                       ) AS rank
                  FROM src
                  JOIN helpdesk_ticket t
                    ON t.commercial_partner_id = src.partner_id
                   AND t.company_id = src.company_id
                   AND t.create_date BETWEEN src.date_from AND src.date_to
             LEFT JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                 CROSS JOIN LATERAL (
                     SELECT CASE WHEN t.equipment_id = src.equipment_id THEN 1.0
                                 ELSE similarity(%(candidate_text)s, src.body)
                            END AS score
                 ) m
                 WHERE t.active
                   AND t.duplicate_id IS NULL
                   AND t.is_preventive IS NOT TRUE
                   AND st.closed IS NOT TRUE
                   AND t.id IS DISTINCT FROM src.exclude_id
                   AND m.score * 100 >= src.threshold
            ) ranked
            WHERE rank <= %(limit)s
            ORDER BY key, rank
            """,
            source_text=_aliased_text_sql("s"),
            candidate_text=_aliased_text_sql("t"),
            keys=list(range(len(sources))),
            partners=[s[1] for s in sources],
            companies=[s[2] for s in sources],
            dates=[s[3] for s in sources],
            equipments=[s[4] or None for s in sources],
            names=[s[5] for s in sources],
            descriptions=[s[6] for s in sources],
            excludes=[s[7] or None for s in sources],
            limit=limit,
        )

    def _ticket_duplicate_matches(self):
        """``{ticket: [(candidate id, similarity)]}`` for the tickets of
        ``self``."""
        return self._duplicate_matches(self._duplicate_sources())

    def _similar_solved_matches(self):
        """``{ticket: [(closed ticket id, similarity)]}``: the closed tickets
        of each ticket's company whose text is over the company's threshold,
        best first. The trigram operator ``%`` lets PostgreSQL find them
        through the text index among all the company's tickets."""
        sources = [
            (ticket, company, name, description, ticket_id)
            for ticket, _p, company, _d, _e, name, description, ticket_id in (
                self._duplicate_sources()
            )
            if name or description
        ]
        if not sources:
            return {}
        self.env["helpdesk.ticket"].flush_model()
        self.env["helpdesk.ticket.stage"].flush_model(["closed"])
        matches = defaultdict(list)
        # The operator's threshold is a setting of the transaction: one query
        # per company threshold (usually one).
        companies = self.env["res.company"].browse({s[1] for s in sources})
        for threshold in set(companies.mapped("duplicate_threshold")):
            batch = [
                s
                for s in sources
                if companies.browse(s[1]).duplicate_threshold == threshold
            ]
            self.env.cr.execute(
                SQL(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                    str(threshold / 100),
                )
            )
            rows = self.env.execute_query(self._similar_solved_query(batch))
            for key, ticket_id, score in rows:
                matches[batch[key][0]].append((ticket_id, float(score)))
        return matches

    @api.model
    def _similar_solved_query(self, sources):
        """The query of ``_similar_solved_matches`` for ``sources``
        ``[(key, company id, title, HTML description, id to leave out)]``,
        under the transaction's similarity threshold: rows ``(index of the
        source, ticket id, similarity)``."""
        return SQL(
            """
        WITH src AS (
            SELECT s.key, s.company_id, s.exclude_id, %(source_text)s AS body
              FROM unnest(%(keys)s::int[], %(companies)s::int[],
                          %(names)s::text[], %(descriptions)s::text[],
                          %(excludes)s::int[])
                   AS s(key, company_id, name, description, exclude_id)
        )
        SELECT src.key, found.id, found.score
          FROM src
          CROSS JOIN LATERAL (
              SELECT t.id, similarity(%(candidate_text)s, src.body) AS score
                FROM helpdesk_ticket t
                JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
               WHERE %(candidate_text)s %(similar)s src.body
                 AND st.closed
                 AND t.active
                 AND t.company_id = src.company_id
                 AND t.id IS DISTINCT FROM src.exclude_id
               ORDER BY score DESC, t.closed_date DESC NULLS LAST, t.id DESC
               LIMIT %(limit)s
          ) found
         ORDER BY src.key, found.score DESC
        """,
            source_text=_aliased_text_sql("s"),
            candidate_text=_aliased_text_sql("t"),
            keys=list(range(len(sources))),
            companies=[s[1] for s in sources],
            names=[s[2] for s in sources],
            descriptions=[s[3] for s in sources],
            excludes=[s[4] or None for s in sources],
            limit=SOLVED_LIMIT,
            similar=SIMILAR,
        )

    def _readable_matches(self, matches):
        """``matches`` without the tickets the current user may not read
        (one search for all)."""
        ids = {ticket_id for found in matches.values() for ticket_id, _s in found}
        readable = set(self.search([("id", "in", list(ids))]).ids) if ids else set()
        return {
            ticket: [(tid, score) for tid, score in found if tid in readable]
            for ticket, found in matches.items()
        }

    # ------------------------------------------------------------------
    # Computed fields
    # ------------------------------------------------------------------
    @api.depends(
        "name",
        "description",
        "partner_id",
        "commercial_partner_id",
        "equipment_id",
        "company_id",
    )
    @api.depends_context("uid")
    def _compute_duplicate_candidate_ids(self):
        matches = self._readable_matches(self._ticket_duplicate_matches())
        for ticket in self:
            found = matches.get(ticket, [])
            ticket.duplicate_candidate_ids = [tid for tid, _score in found]
            ticket.duplicate_candidate_count = len(found)

    @api.depends_context("duplicate_source_id")
    def _compute_duplicate_similarity(self):
        """The similarity of each ticket to the ticket named by the context
        key ``duplicate_source_id`` (set by the likely duplicates and known
        solutions panels of that ticket's form)."""
        source = self.browse(self.env.context.get("duplicate_source_id")).exists()
        scores = {}
        if source:
            for found in (
                *source._ticket_duplicate_matches().values(),
                *source._similar_solved_matches().values(),
            ):
                scores.update(found)
        for ticket in self:
            ticket.duplicate_similarity = round(100 * scores.get(ticket.id, 0))

    @api.depends("name", "description", "company_id")
    @api.depends_context("uid")
    def _compute_similar_solved_ids(self):
        # Known solutions are the company's knowledge: never for the portal.
        matches = (
            {}
            if self.env.user.share
            else self._readable_matches(self._similar_solved_matches())
        )
        for ticket in self:
            ticket.similar_solved_ids = [tid for tid, _s in matches.get(ticket, [])]

    def _compute_solution_text(self):
        """The last message or note of an employee on each ticket, as plain
        text (one search for all the tickets)."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self._origin.ids),
                # Written by hand: not the mails of stage templates.
                ("message_type", "=", "comment"),
                ("author_id.user_ids.share", "=", False),
                ("body", "!=", False),
            ],
            order="date desc, id desc",
        )
        last = {}
        for message in messages:
            last.setdefault(message.res_id, message)
        for ticket in self:
            message = last.get(ticket._origin.id)
            ticket.solution_text = (
                html2plaintext(message.body).strip() if message else False
            )

    # ------------------------------------------------------------------
    # Marking duplicates
    # ------------------------------------------------------------------
    def action_mark_as_original(self):
        """From the likely duplicates panel of a ticket (named by the context
        key ``duplicate_source_id``): marks that ticket as a duplicate of
        this one."""
        self.ensure_one()
        source = self.browse(self.env.context.get("duplicate_source_id")).exists()
        if not source:
            raise UserError(self.env._("Save the ticket before marking it."))
        source._mark_duplicate(self)
        return True

    def _mark_duplicate(self, original):
        """Makes ``self`` a duplicate of ``original`` with helpdesk's own
        ``duplicate_id`` (and its stage for duplicates, where the company
        set one), moves the reporters into the original's followers and
        notes it on both. Time logged on the duplicates stays on them and is
        counted when they are closed."""
        original.ensure_one()
        if original in self or original.duplicate_id:
            raise UserError(
                self.env._(
                    "%s cannot be the original: it is this ticket or is itself "
                    "marked as a duplicate.",
                    original.display_name,
                )
            )
        if self.duplicate_ids:
            raise UserError(
                self.env._(
                    "Other tickets are marked as duplicates of this one: mark "
                    "them as duplicates of %s first.",
                    original.display_name,
                )
            )
        vals = {"duplicate_id": original.id}
        stage = original.company_id.helpdesk_mgmt_duplicate_ticket_stage_id
        if stage:
            vals["stage_id"] = stage.id
        self.write(vals)
        original.message_subscribe(partner_ids=self.partner_id.ids)
        for ticket in self:
            hours = ticket.total_hours
            original.message_post(
                body=self.env._(
                    "%(ticket)s (reported by %(reporter)s) was marked as a "
                    "duplicate of this ticket; the reporter now follows it.",
                    ticket=ticket.display_name,
                    reporter=ticket.partner_id.display_name or ticket.partner_email,
                )
                + (
                    " "
                    + self.env._(
                        "%(hours)s hours were logged on it and stay there.",
                        hours=round(hours, 2),
                    )
                    if hours
                    else ""
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            ticket.message_post(
                body=self.env._(
                    "Marked as a duplicate of %s: follow that ticket for updates.",
                    original.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def action_unmark_duplicate(self):
        """Undoes the marking: the ticket is its own request again, back in
        the first open stage of its team when it had been moved to the
        duplicates stage; the reporter no longer follows the original
        unless they are its contact."""
        for ticket in self.filtered("duplicate_id"):
            original = ticket.duplicate_id
            vals = {"duplicate_id": False}
            duplicate_stage = ticket.company_id.helpdesk_mgmt_duplicate_ticket_stage_id
            if duplicate_stage and ticket.stage_id == duplicate_stage:
                vals["stage_id"] = (
                    ticket.team_id._get_applicable_stages()
                    .filtered(lambda s: not s.closed)[:1]
                    .id
                )
            ticket.write(vals)
            if ticket.partner_id and ticket.partner_id != original.partner_id:
                original.message_unsubscribe(partner_ids=ticket.partner_id.ids)
            original.message_post(
                body=self.env._(
                    "%s is no longer marked as a duplicate of this ticket.",
                    ticket.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            ticket.message_post(
                body=self.env._("No longer a duplicate of %s.", original.display_name),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True
