from urllib.parse import urlencode

from werkzeug.exceptions import BadRequest, NotFound

from odoo import Command, fields, http
from odoo.exceptions import ValidationError
from odoo.http import content_disposition, request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .utils import check_choices, check_path_id

# Latest closed tickets listed on a contract page (the ticket list has them all).
CLOSED_TICKETS_SHOWN = 10
# Open tickets listed on a contract page before "all tickets" takes over.
OPEN_TICKETS_SHOWN = 50
# Latest invoices listed on a contract page (the invoice list has them all).
INVOICES_SHOWN = 10


class ServiceContractPortal(CustomerPortal):
    """The customer's contracts in the portal. Every record is read as the
    portal user first (record rules decide); ``sudo()`` only renders what
    that read let through."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_contract_count" in counters:
            Contract = request.env["service.contract"]
            values["service_contract_count"] = (
                Contract.search_count(Contract._portal_domain())
                if Contract.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Contract list
    # ------------------------------------------------------------------
    def _contract_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_start desc, id desc",
            },
            "end": {
                "label": request.env._("End Date"),
                "order": "date_end asc, id desc",
            },
            "name": {"label": request.env._("Name"), "order": "name, id"},
            "reference": {"label": request.env._("Reference"), "order": "code, id"},
        }

    def _contract_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "active": {
                "label": request.env._("Active"),
                "domain": [("state", "=", "active")],
            },
            "expired": {
                "label": request.env._("Expired"),
                "domain": [("state", "=", "expired")],
            },
            "cancelled": {
                "label": request.env._("Cancelled"),
                "domain": [("state", "=", "cancelled")],
            },
        }

    def _contract_get_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Name")},
            "reference": {
                "input": "reference",
                "label": request.env._("Search in Reference"),
            },
        }

    def _contract_get_search_domain(self, search_in, search):
        domains = []
        if search_in in ("all", "name"):
            domains.append([("name", "ilike", search)])
        if search_in in ("all", "reference"):
            domains.append([("code", "ilike", search)])
        return expression.OR(domains)

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_contracts(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        Contract = request.env["service.contract"]
        if not Contract.has_access("read"):
            return request.redirect("/my")
        sortings = self._contract_get_searchbar_sortings()
        filters = self._contract_get_searchbar_filters()
        inputs = self._contract_get_searchbar_inputs()
        check_choices((sortby, sortings), (filterby, filters), (search_in, inputs))
        sortby = sortby or "date"
        filterby = filterby or "all"
        search_in = search_in or "all"

        domain = expression.AND(
            [Contract._portal_domain(), filters[filterby]["domain"]]
        )
        if search:
            domain = expression.AND(
                [domain, self._contract_get_search_domain(search_in, search)]
            )
        pager = portal_pager(
            url="/my/contracts",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            },
            total=Contract.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        contracts = Contract.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_service_contracts_history"] = contracts.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "contracts": contracts,
                "page_name": "service_contract",
                "default_url": "/my/contracts",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("service_portal.portal_my_contracts", values)

    # ------------------------------------------------------------------
    # Contract page
    # ------------------------------------------------------------------
    def _contract_check_access(self, contract_id):
        """The contract, read as the current user: record rules decide.
        A contract the user may not read is as missing as one that does not
        exist (404), so that ids reveal nothing."""
        check_path_id(contract_id)
        Contract = request.env["service.contract"]
        contract = (
            Contract.search(
                expression.AND([Contract._portal_domain(), [("id", "=", contract_id)]])
            )
            if Contract.has_access("read")
            else None
        )
        if not contract:
            raise NotFound()
        return contract

    @http.route(
        ["/my/contracts/<int:contract_id>"], type="http", auth="user", website=True
    )
    def portal_my_contract(self, contract_id, **kw):
        contract = self._contract_check_access(contract_id)
        values = self._contract_get_page_view_values(contract, **kw)
        return request.render("service_portal.portal_contract_page", values)

    def _contract_get_page_view_values(self, contract, **kwargs):
        Ticket = request.env["helpdesk.ticket"]
        open_domain = [
            ("contract_id", "=", contract.id),
            ("stage_id.closed", "=", False),
        ]
        closed_domain = [
            ("contract_id", "=", contract.id),
            ("stage_id.closed", "=", True),
        ]
        # Open and closed tickets counted in one query, as the user.
        count_by_closed = {False: 0, True: 0}
        for stage, count in Ticket._read_group(
            [("contract_id", "=", contract.id), ("stage_id", "!=", False)],
            ["stage_id"],
            ["__count"],
        ):
            count_by_closed[stage.closed] += count
        contract_sudo = contract.sudo()
        periods = request.env["service.contract.period"].search(
            [("contract_id", "=", contract.id)]
        )
        Move = request.env["account.move"]
        # The contract's invoices the user may read (posted ones, of their
        # customer), read as the user.
        invoices = (
            Move.search(
                [("id", "in", (contract_sudo.invoice_ids | periods.invoice_id).ids)]
            )
            if Move.has_access("read")
            else Move
        )
        values = {
            "contract": contract_sudo,
            "page_name": "service_contract",
            "periods": periods,
            "invoices": invoices,
            "invoices_shown": invoices[:INVOICES_SHOWN],
            "suspending_invoices": (
                contract_sudo.suspension_invoice_ids._filtered_service_unsettled()
            )
            if contract_sudo.is_suspended
            else Move,
            "consumption_bars": contract_sudo._portal_consumption_by_month(),
            # sudo: the tickets were read as the user; their SLA clocks read
            # the policy and its working hours.
            "open_tickets": Ticket.search(open_domain, limit=OPEN_TICKETS_SHOWN).sudo(),
            "open_ticket_count": count_by_closed[False],
            "closed_tickets": Ticket.search(
                closed_domain,
                order="closed_date desc, id desc",
                limit=CLOSED_TICKETS_SHOWN,
            ).sudo(),
            "closed_ticket_count": count_by_closed[True],
            "tickets_url": "/my/tickets?"
            + urlencode({"search_in": "contract", "search": contract_sudo.code}),
            "can_open_ticket": self._contract_accepts_tickets(contract),
            "today": fields.Date.context_today(contract),
            "usage_date_from": contract_sudo.current_period_id.date_start
            or contract_sudo.date_start,
        }
        return self._get_page_view_values(
            contract_sudo, None, values, "my_service_contracts_history", False, **kwargs
        )

    def _contract_accepts_tickets(self, contract):
        """Whether the current user may open tickets on the contract from
        the portal: a customer's contact allowed on it, the contract in
        force."""
        if not request.env.user.share:
            return False
        contract = contract.sudo()
        return contract._is_in_force(
            fields.Date.context_today(contract)
        ) and contract._covers_contact(request.env.user.partner_id)

    # ------------------------------------------------------------------
    # Downloads: the contract document and the usage report of service_contract
    # ------------------------------------------------------------------
    def _file_response(self, content, content_type, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", content_type),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _pdf_response(self, report_ref, record, contract, filename):
        # sudo: the contract was read as the user; reports read what they print.
        content, report_type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(contract.company_id)
            ._render_qweb_pdf(report_ref, record.ids)
        )
        if report_type != "pdf":  # test mode renders reports as HTML
            return request.make_response(content, [("Content-Type", "text/html")])
        return self._file_response(content, "application/pdf", f"{filename}.pdf")

    @http.route(
        ["/my/contracts/<int:contract_id>/contract.pdf"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_contract_pdf(self, contract_id, **kw):
        contract = self._contract_check_access(contract_id)
        return self._pdf_response(
            "service_contract.action_report_service_contract",
            contract,
            contract,
            self._contract_file_name(contract),
        )

    @http.route(
        [
            "/my/contracts/<int:contract_id>/usage.<any(pdf,csv):file_format>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_contract_usage(
        self, contract_id, file_format, date_from=None, date_to=None, **kw
    ):
        contract = self._contract_check_access(contract_id)
        vals = {"contract_id": contract.id}
        try:
            if date_from:
                vals["date_from"] = fields.Date.to_date(date_from)
            if date_to:
                vals["date_to"] = fields.Date.to_date(date_to)
            # sudo: a transient record of the contract the user may read.
            report = request.env["service.contract.usage.report"].sudo().create(vals)
        except (ValueError, ValidationError) as error:
            raise BadRequest(str(error)) from error
        name = self._contract_file_name(contract)
        filename = f"{name} usage {report.date_from} {report.date_to}"
        if file_format == "pdf":
            return self._pdf_response(
                "service_contract.action_report_contract_usage",
                report,
                contract,
                filename,
            )
        return self._file_response(
            report._render_csv(report._report_data()),
            "text/csv; charset=utf-8",
            f"{filename}.csv",
        )

    @http.route(
        ["/my/contracts/<int:contract_id>/status_reports/stop"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_contract_stop_status_reports(self, contract_id, **kw):
        """The current user stops receiving the contract's status reports."""
        contract = self._contract_check_access(contract_id)
        partner = request.env.user.partner_id
        # sudo: a contact may take themselves off a contract they may read.
        contract_sudo = contract.sudo()
        if partner in contract_sudo.report_partner_ids:
            contract_sudo.report_partner_ids = [Command.unlink(partner.id)]
            contract_sudo.message_post(
                body=request.env._(
                    "%(contact)s no longer receives the status reports.",
                    contact=partner.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return request.redirect(f"/my/contracts/{contract.id}")

    def _contract_file_name(self, contract):
        return (contract.code or contract.name).replace("/", "-")
