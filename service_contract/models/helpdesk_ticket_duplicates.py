from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from .helpdesk_ticket_duplicate_finder import _text_sql


class HelpdeskTicket(models.Model):
    """Likely duplicates and known solutions shown on a ticket, and the
    marking of duplicates."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "helpdesk.ticket.duplicate.finder"]

    # precomputed: stored with the new ticket, not written after it (the
    # likely duplicates of a ticket arriving by e-mail are looked up at once)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
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

    def _computed_figures(self):
        return super()._computed_figures() | {
            "duplicate_candidate_ids",
            "duplicate_candidate_count",
            "duplicate_similarity",
            "similar_solved_ids",
            "solution_text",
        }

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
            original._post_note(
                self.env._(
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
                )
            )
            ticket._post_note(
                self.env._(
                    "Marked as a duplicate of %s: follow that ticket for updates.",
                    original.display_name,
                )
            )

    def _post_note(self, body):
        """A note on the ticket's chatter, as an employee's comment."""
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
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
            original._post_note(
                self.env._(
                    "%s is no longer marked as a duplicate of this ticket.",
                    ticket.display_name,
                )
            )
            ticket._post_note(
                self.env._("No longer a duplicate of %s.", original.display_name)
            )
        return True
