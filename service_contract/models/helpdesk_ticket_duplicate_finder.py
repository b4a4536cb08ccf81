from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

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


class HelpdeskTicketDuplicateFinder(models.AbstractModel):
    """The duplicates finder: the likely duplicates and known solutions of
    tickets (saved or being written), two queries for any number of them.
    Mixed into ``helpdesk.ticket``, whose records and table it reads."""

    _name = "helpdesk.ticket.duplicate.finder"
    _description = "Likely Duplicates Finder"

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
        shares their words. One query for all the sources; record rules are
        not applied (the callers filter what the user may read)."""
        sources = [s for s in sources if s[1]]
        if not sources:
            return {}
        # the columns the query reads, with what is pending written first
        self.env["helpdesk.ticket"].flush_model(
            [
                "name",
                "description",
                "commercial_partner_id",
                "company_id",
                "equipment_id",
                "active",
                "duplicate_id",
                "is_preventive",
                "stage_id",
            ]
        )
        self.env["helpdesk.ticket.stage"].flush_model(["closed"])
        direct, hops, created = defaultdict(list), defaultdict(list), {}
        for via, key, ticket_id, score, create_date in self.env.execute_query(
            self._duplicate_query(sources, limit)
        ):
            found = hops[key] if via else direct[key]
            found.append((ticket_id, float(score)))
            created[ticket_id] = create_date
        companies = self.env["res.company"].browse({s[2] for s in sources})
        matches = {}
        for index, (key, _p, company_id, date, _e, _n, _d, own_id) in enumerate(
            sources
        ):
            window = timedelta(days=companies.browse(company_id).duplicate_window_days)
            best = dict(direct[index])
            for via_id, via_score in direct[index]:
                for tid, score in hops[via_id]:
                    if tid != own_id and abs(created[tid] - date) <= window:
                        best[tid] = max(best.get(tid, 0), min(score, via_score))
            if best:
                matches[key] = sorted(best.items(), key=lambda m: -m[1])[:limit]
        return matches

    @api.model
    def _duplicate_query(self, sources, limit):
        """The query of ``_duplicate_matches``: rows ``(hop, key, ticket id,
        similarity, creation date)``, best first; without ``hop``, ``key``
        is the index of the source the ticket matches, with it the id of the
        ticket it matches (a match of a source). The customer's index
        narrows the tickets compared to those of the sources' customers.
        The companies' windows and thresholds come as values, not joined:
        planning the joins cost more than running the query."""
        companies = self.env["res.company"].browse({s[2] for s in sources})
        return SQL(
            """
            WITH src AS (
                SELECT s.key, s.partner_id, s.company_id, s.equipment_id,
                       s.exclude_id, %(source_text)s AS body,
                       s.ref_date - make_interval(days => s.window_days)
                           AS date_from,
                       s.ref_date + make_interval(days => s.window_days)
                           AS date_to,
                       s.window_days, s.threshold
                  FROM unnest(%(keys)s::int[], %(partners)s::int[],
                              %(companies)s::int[], %(dates)s::timestamp[],
                              %(equipments)s::int[], %(names)s::text[],
                              %(descriptions)s::text[], %(excludes)s::int[],
                              %(windows)s::int[], %(thresholds)s::int[])
                       AS s(key, partner_id, company_id, ref_date, equipment_id,
                            name, description, exclude_id, window_days,
                            threshold)
            ),
            direct AS (%(direct)s),
            hop_src AS (
                -- a ticket is in the company of the sources it matches
                SELECT DISTINCT ON (t.id)
                       t.id AS key, t.commercial_partner_id AS partner_id,
                       t.company_id, t.equipment_id, t.id AS exclude_id,
                       %(candidate_text)s AS body,
                       t.create_date - make_interval(days => src.window_days)
                           AS date_from,
                       t.create_date + make_interval(days => src.window_days)
                           AS date_to,
                       src.threshold
                  FROM direct
                  JOIN src ON src.key = direct.key
                  JOIN helpdesk_ticket t ON t.id = direct.id
            ),
            hop AS (%(hop)s)
            SELECT hop, key, id, score, create_date FROM (
                SELECT FALSE AS hop, * FROM direct
                UNION ALL
                SELECT TRUE, * FROM hop
            ) found
            ORDER BY hop, key, rank
            """,
            source_text=_aliased_text_sql("s"),
            candidate_text=_aliased_text_sql("t"),
            direct=self._ranked_duplicates_sql(SQL("src"), limit),
            hop=self._ranked_duplicates_sql(SQL("hop_src"), limit),
            keys=list(range(len(sources))),
            partners=[s[1] for s in sources],
            companies=[s[2] for s in sources],
            dates=[s[3] for s in sources],
            equipments=[s[4] or None for s in sources],
            names=[s[5] for s in sources],
            descriptions=[s[6] for s in sources],
            excludes=[s[7] or None for s in sources],
            windows=[companies.browse(s[2]).duplicate_window_days for s in sources],
            thresholds=[companies.browse(s[2]).duplicate_threshold for s in sources],
        )

    @api.model
    def _ranked_duplicates_sql(self, source, limit):
        """The best ``limit`` tickets matching each row of the relation
        ``source`` (``key, partner_id, company_id, equipment_id, exclude_id,
        body, date_from, date_to, threshold``): rows ``(key, id, score,
        create_date, rank)``."""
        return SQL(
            """
            SELECT key, id, score, create_date, rank FROM (
                SELECT src.key, t.id, t.score, t.create_date,
                       row_number() OVER (
                           PARTITION BY src.key
                           ORDER BY t.score DESC, t.create_date, t.id
                       ) AS rank
                  FROM %(source)s src
                 CROSS JOIN LATERAL (
                     SELECT t.id, t.create_date,
                            CASE WHEN t.equipment_id = src.equipment_id THEN 1.0
                                 ELSE similarity(%(candidate_text)s, src.body)
                            END AS score
                       FROM helpdesk_ticket t
                      WHERE t.commercial_partner_id = src.partner_id
                        AND t.company_id = src.company_id
                        AND t.create_date BETWEEN src.date_from AND src.date_to
                        AND t.active
                        AND t.duplicate_id IS NULL
                        AND t.is_preventive IS NOT TRUE
                        AND t.id IS DISTINCT FROM src.exclude_id
                        AND coalesce(t.stage_id, 0) <> ALL (ARRAY(
                            SELECT id FROM helpdesk_ticket_stage WHERE closed
                        ))
                     -- not inlined: the similarity is computed once a ticket
                     OFFSET 0
                 ) t
                 WHERE t.score * 100 >= src.threshold
            ) ranked
            WHERE rank <= %(limit)s
            """,
            source=source,
            candidate_text=_aliased_text_sql("t"),
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
        (one search for all; the superuser reads them all, and the matches
        are active tickets)."""
        if self.env.su:
            return matches
        ids = {ticket_id for found in matches.values() for ticket_id, _s in found}
        readable = set(self.search([("id", "in", list(ids))]).ids) if ids else set()
        return {
            ticket: [(tid, score) for tid, score in found if tid in readable]
            for ticket, found in matches.items()
        }
