from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
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


class HelpdeskTicket(models.Model):
    """Likely duplicates of a ticket among the open tickets of its customer,
    and the closed tickets of the company that look like it (known
    solutions), found by PostgreSQL's trigram similarity."""

    _inherit = "helpdesk.ticket"

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
        super().init()
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
        reference date that are not marked as duplicates themselves, with a
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
                SELECT s.key, s.partner_id, s.company_id, s.ref_date,
                       s.equipment_id, s.exclude_id, %(source_text)s AS body
                  FROM unnest(%(keys)s::int[], %(partners)s::int[],
                              %(companies)s::int[], %(dates)s::timestamp[],
                              %(equipments)s::int[], %(names)s::text[],
                              %(descriptions)s::text[], %(excludes)s::int[])
                       AS s(key, partner_id, company_id, ref_date, equipment_id,
                            name, description, exclude_id)
            )
            SELECT key, id, score FROM (
                SELECT src.key, t.id, m.score,
                       row_number() OVER (
                           PARTITION BY src.key
                           ORDER BY m.score DESC, t.create_date, t.id
                       ) AS rank
                  FROM src
                  JOIN res_company co ON co.id = src.company_id
                  JOIN helpdesk_ticket t
                    ON t.commercial_partner_id = src.partner_id
                   AND t.company_id = src.company_id
                   AND t.create_date BETWEEN
                       src.ref_date - make_interval(days => co.duplicate_window_days)
                       AND src.ref_date + make_interval(days => co.duplicate_window_days)
             LEFT JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                 CROSS JOIN LATERAL (
                     SELECT CASE WHEN t.equipment_id = src.equipment_id THEN 1.0
                                 ELSE similarity(%(candidate_text)s, src.body)
                            END AS score
                 ) m
                 WHERE t.active
                   AND t.duplicate_id IS NULL
                   AND st.closed IS NOT TRUE
                   AND t.id IS DISTINCT FROM src.exclude_id
                   AND m.score * 100 >= co.duplicate_threshold
            ) ranked
            WHERE rank <= %(limit)s
            ORDER BY key, rank
            """,
                source_text=_text_sql(
                    SQL.identifier("s", "name"), SQL.identifier("s", "description")
                ),
                candidate_text=_text_sql(
                    SQL.identifier("t", "name"), SQL.identifier("t", "description")
                ),
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
            source_text=_text_sql(
                SQL.identifier("s", "name"),
                SQL.identifier("s", "description"),
            ),
            candidate_text=_text_sql(
                SQL.identifier("t", "name"), SQL.identifier("t", "description")
            ),
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
                ("message_type", "in", ("comment", "email_outgoing")),
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
    def write(self, vals):
        computed = {
            "duplicate_candidate_ids",
            "duplicate_candidate_count",
            "duplicate_similarity",
            "similar_solved_ids",
            "solution_text",
        }.intersection(vals)
        if computed:
            raise UserError(
                self.env._(
                    "%(fields)s are computed and cannot be written.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(computed)
                    ),
                )
            )
        return super().write(vals)

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
                    "Marked as a duplicate of %s: follow that ticket for "
                    "updates.",
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
                body=self.env._(
                    "No longer a duplicate of %s.", original.display_name
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True
