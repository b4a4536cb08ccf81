from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from .utils import check_choices, check_datetime, check_path_id, to_id


class ServiceTicketIntake(HelpdeskTicketController):
    """Ticket intake of the helpdesk portal with the contract the request
    falls under, the coverage warning staff would read before it is sent,
    and the closing of tickets restricted to those the user may read."""

    def _ticket_intake_contracts(self):
        """(contracts the user may open tickets on, contracts in force that
        do not accept the user's tickets), read as the user (record rules
        decide which contracts exist for them). Customers only: employees
        opening a ticket from the portal are not under contract."""
        partner = request.env.user.partner_id
        commercial = partner.commercial_partner_id
        Contract = request.env["service.contract"]
        if not request.env.user.share or not Contract.has_access("read"):
            return Contract, Contract
        applicable = Contract._applicable_contracts_by_partner(
            commercial, fields.Date.context_today(Contract)
        ).get(commercial.id, Contract)
        usable = applicable.filtered(lambda c: c.sudo()._covers_contact(partner))
        return usable, applicable - usable

    def _ticket_intake_refusal(self, refused):
        """Tells a contact whom to ask: the contracts' authorized contacts
        and account managers."""
        refused = refused.sudo()
        names = ", ".join(refused.authorized_partner_ids.mapped("name"))
        managers = ", ".join(
            user.name + (f" ({user.email})" if user.email else "")
            for user in refused.user_id
        )
        contracts = ", ".join(refused.mapped("display_name"))
        if managers:
            return request.env._(
                "Requests under %(contracts)s are opened by the contacts your "
                "company named for them: %(names)s. Ask one of them or your "
                "account manager %(managers)s to open it for you, or to have you "
                "added.",
                contracts=contracts,
                names=names,
                managers=managers,
            )
        return request.env._(
            "Requests under %(contracts)s are opened by the contacts your company "
            "named for them: %(names)s. Ask one of them to open it for you, or to "
            "have you added.",
            contracts=contracts,
            names=names,
        )

    def _ticket_coverage_preview(self, contract, category):
        # sudo: the contract was read as the user; staff's warning reads
        # the contract's periods, manager and the customer's other contracts.
        return (
            request.env["helpdesk.ticket"]
            .sudo()
            ._portal_coverage_preview(
                request.env.user.partner_id, contract.sudo(), category.sudo()
            )
        )

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        usable, refused = self._ticket_intake_contracts()
        contract_id = to_id(kw.get("contract"))
        contract = usable.filtered(lambda c: c.id == contract_id)
        if not contract and len(usable) == 1:
            contract = usable
        values.update(
            {
                "service_contracts": usable,
                "service_contract": contract,
                "service_intake_refusal": (
                    self._ticket_intake_refusal(refused)
                    if refused and not usable
                    else ""
                ),
                "service_coverage": (
                    self._ticket_coverage_preview(
                        contract, request.env["helpdesk.ticket.category"]
                    )
                    if request.env.user.share and (contract or not usable)
                    else None
                ),
                "form": kw,
            }
        )
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        # The upstream form reads these ids with int() and the description
        # as text: garbage or a field left out is a 400.
        to_id(kw.get("category"))
        to_id(kw.get("team"))
        if not kw.get("subject") or kw.get("description") is None:
            raise BadRequest()
        contract_id = to_id(kw.get("contract"))
        vals = super()._prepare_submit_ticket_vals(**kw)
        usable, refused = self._ticket_intake_contracts()
        if refused and not usable:
            raise UserError(self._ticket_intake_refusal(refused))
        contract = usable.filtered(lambda c: c.id == contract_id)
        if not contract and not contract_id and len(usable) == 1:
            contract = usable
        if (usable or contract_id) and not contract:
            raise UserError(
                request.env._("Choose the contract this request falls under.")
            )
        # Only ever a contract the user may open tickets on: none is none,
        # never one the ticket would pick by itself as superuser.
        vals["contract_id"] = contract.id
        if contract:
            had_team = bool(vals.get("team_id"))
            request.env["helpdesk.ticket"].sudo()._apply_contract_defaults(
                vals, contract.sudo()
            )
            if vals.get("team_id") and not had_team:
                team = (
                    request.env["helpdesk.ticket.team"].sudo().browse(vals["team_id"])
                )
                vals.update(
                    stage_id=team._get_applicable_stages()[:1].id,
                    project_id=team.default_project_id.id,
                )
        return vals

    @http.route()
    def submit_ticket(self, **kw):
        # The e-mails the request sets off (the account manager's assignment)
        # go through the mail queue, whose job is woken up for them: the
        # customer does not wait for the mail server, nor fails with it.
        request.update_context(mail_notify_force_send=False)
        try:
            with request.env.cr.savepoint():
                response = super().submit_ticket(**kw)
            request.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
            return response
        except UserError as error:
            values = self._get_create_new_ticket_values(**kw)
            values["service_error"] = error.args[0]
            return request.render("helpdesk_mgmt.portal_create_ticket", values)

    @http.route(
        "/my/contracts/coverage",
        type="json",
        auth="user",
        methods=["POST"],
        readonly=True,
    )
    def portal_contract_coverage(self, contract_id=None, category_id=None):
        """The coverage warning of the request being written, for the new
        ticket form: ``{"level", "message"}``."""
        contract_id, category_id = to_id(contract_id), to_id(category_id)
        usable, _refused = self._ticket_intake_contracts()
        contract = usable.filtered(lambda c: c.id == contract_id)
        if contract_id and not contract:
            raise NotFound()
        if (usable and not contract) or not request.env.user.share:
            return None
        category = self._get_categories().filtered(lambda c: c.id == category_id)
        return self._ticket_coverage_preview(contract, category)

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Closes a ticket the user may read, in one of the closing stages
        its team offers in the portal (the upstream route closed any id)."""
        ticket_id, stage_id = to_id(ticket_id), to_id(stage_id)
        ticket = request.env["helpdesk.ticket"].search([("id", "=", ticket_id)])
        if not ticket:
            raise NotFound()
        # sudo: the user may read the ticket but portal users have no write
        # access; the stage is one their portal offers.
        ticket_sudo = ticket.sudo()
        stage = ticket_sudo.team_id._get_applicable_stages().filtered(
            lambda s: s.close_from_portal and s.id == stage_id
        )
        if not stage:
            raise BadRequest()
        ticket_sudo.stage_id = stage
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)


class ServiceTicketPortal(CustomerPortalHelpdesk):
    """Ticket pages and list with their contract; tickets searchable by
    contract."""

    def _readable_contracts(self, contracts):
        """Those of ``contracts`` the current user may open in the portal."""
        Contract = request.env["service.contract"]
        if not contracts or not Contract.has_access("read"):
            return Contract
        return Contract.search([("id", "in", contracts.ids)])

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["readable_contracts"] = self._readable_contracts(ticket.contract_id)
        return values

    @http.route()
    def portal_my_tickets(self, *args, **kw):
        self._ticket_check_list_args(**kw)
        response = super().portal_my_tickets(*args, **kw)
        if (
            getattr(response, "qcontext", None)
            and "grouped_tickets" in response.qcontext
        ):
            tickets = request.env["helpdesk.ticket"].concat(
                *response.qcontext["grouped_tickets"]
            )
            response.qcontext["readable_contracts"] = self._readable_contracts(
                tickets.sudo().contract_id
            )
        return response

    def _ticket_check_list_args(
        self,
        *,
        sortby=None,
        filterby=None,
        groupby=None,
        search_in=None,
        date_begin=None,
        date_end=None,
        **kw,
    ):
        """400 for a sort, filter, grouping or search field the ticket list
        does not offer, or a date that is none (the upstream list fails on
        most of them)."""
        stages = request.env["helpdesk.ticket.stage"].search([])
        check_choices(
            (sortby, self._ticket_get_searchbar_sortings()),
            (filterby, {"all", *map(str, stages.ids)}),
            (groupby, self._ticket_get_searchbar_groupby()),
            (search_in, self._ticket_get_searchbar_inputs()),
        )
        check_datetime(date_begin)
        check_datetime(date_end)

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        check_path_id(ticket_id)
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_searchbar_inputs(self):
        values = super()._ticket_get_searchbar_inputs()
        values["contract"] = {
            "input": "contract",
            "label": request.env._("Search in Contract"),
            "order": max(v["order"] for v in values.values()) + 1,
        }
        return values

    def _ticket_get_search_domain(self, search_in, search):
        if search_in == "contract":
            # The exact reference (the contract page links with it), or a name.
            return [
                "|",
                ("contract_id.code", "=ilike", search),
                ("contract_id.name", "ilike", search),
            ]
        return super()._ticket_get_search_domain(search_in, search)
