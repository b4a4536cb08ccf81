from markupsafe import escape
from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields, http
from odoo.http import request

# What of the request being written is compared (the rest adds little).
SUBJECT_LENGTH = 200
DESCRIPTION_LENGTH = 2000
# Shorter requests match too much to be worth showing.
MIN_LENGTH = 8


class ServicePortalDuplicates(http.Controller):
    """While a contact writes a request, the open tickets of their own
    customer that look like it, so that they follow the one already
    reported instead of reporting it again."""

    @http.route(
        "/my/tickets/similar",
        type="json",
        auth="user",
        methods=["POST"],
        readonly=True,
    )
    def portal_similar_tickets(self, subject="", description=""):
        """``[{"id", "url", "message", "following"}]``: the open tickets of
        the user's customer that look like the request, most similar first.
        The customer is the user's own: nothing in the request chooses it."""
        if not isinstance(subject, str) or not isinstance(description, str):
            raise BadRequest()
        subject = subject[:SUBJECT_LENGTH]
        description = description[:DESCRIPTION_LENGTH]
        if len(subject.strip()) + len(description.strip()) < MIN_LENGTH:
            return []
        user = request.env.user
        Ticket = request.env["helpdesk.ticket"]
        # sudo: the lookup reads the customer's open tickets by SQL; it is
        # scoped to the user's own customer, and only the tickets the user
        # may read (searched as the user) are answered.
        matches = Ticket.sudo()._duplicate_matches(
            [
                (
                    "request",
                    user.partner_id.commercial_partner_id.id,
                    request.env.company.id,
                    fields.Datetime.now(),
                    False,
                    subject,
                    str(escape(description)),
                    False,
                )
            ]
        )
        ids = [ticket_id for ticket_id, _score in matches.get("request", [])]
        tickets = Ticket.search([("id", "in", ids)]) if ids else Ticket
        tickets = tickets.sorted(lambda t: ids.index(t.id))
        return [
            {
                "id": ticket.id,
                "url": ticket.access_url,
                "message": request.env._(
                    "Someone at your company already reported this: "
                    "%(ticket)s (%(title)s), %(stage)s.",
                    ticket=ticket.number,
                    title=ticket.name,
                    stage=ticket.stage_id.name,
                ),
                # sudo: the user may read the ticket, not its followers.
                "following": user.partner_id in ticket.sudo().message_partner_ids,
            }
            for ticket in tickets
        ]

    @http.route(
        "/my/ticket/<int:ticket_id>/follow",
        type="http",
        auth="user",
        methods=["POST"],
    )
    def portal_follow_ticket(self, ticket_id, **kw):
        """Makes the user a follower of an open ticket they may read (one of
        their customer's), instead of reporting it again."""
        ticket = request.env["helpdesk.ticket"].search(
            [("id", "=", ticket_id), ("stage_id.closed", "=", False)]
        )
        if not ticket:
            raise NotFound()
        # sudo: the user may read the ticket; following it is what the
        # portal offers them, without write access.
        ticket.sudo().message_subscribe(partner_ids=request.env.user.partner_id.ids)
        return request.redirect(ticket.access_url, code=303)
