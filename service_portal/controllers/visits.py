import binascii

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import ServiceContractPortal
from .utils import check_choices, check_path_id

# The work report printed, signed or not.
VISIT_REPORT = "service_contract.action_report_service_visit"


class ServiceVisitPortal(ServiceContractPortal):
    """The customer's field visits in the portal: the work report to read,
    sign and download. A visit is read as the portal user first (record
    rules decide) or opened with its access token (the link the technician
    shows on their phone); ``sudo()`` only after that."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_visit_count" in counters:
            Visit = request.env["service.visit"]
            values["service_visit_count"] = (
                Visit.search_count(Visit._portal_domain())
                if Visit.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Visit list
    # ------------------------------------------------------------------
    def _visit_get_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "planned_start desc, id desc",
            },
            "oldest": {
                "label": request.env._("Oldest"),
                "order": "planned_start asc, id asc",
            },
        }

    def _visit_get_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "upcoming": {
                "label": request.env._("Planned"),
                "domain": [("state", "=", "confirmed")],
            },
            "to_sign": {
                "label": request.env._("To Sign"),
                "domain": [
                    ("report_state", "=", "draft"),
                    ("state", "in", ("in_progress", "done")),
                ],
            },
            "signed": {
                "label": request.env._("Signed"),
                "domain": [("report_state", "in", ("signed", "approved"))],
            },
        }

    @http.route(
        ["/my/visits", "/my/visits/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_visits(self, page=1, sortby=None, filterby=None, **kw):
        Visit = request.env["service.visit"]
        if not Visit.has_access("read"):
            return request.redirect("/my")
        sortings = self._visit_get_searchbar_sortings()
        filters = self._visit_get_searchbar_filters()
        check_choices((sortby, sortings), (filterby, filters))
        sortby = sortby or "date"
        filterby = filterby or "all"
        domain = expression.AND([Visit._portal_domain(), filters[filterby]["domain"]])
        pager = portal_pager(
            url="/my/visits",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Visit.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        visits = Visit.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_service_visits_history"] = visits.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # sudo: read as the user; the page shows their tickets' names.
                "visits": visits.sudo(),
                "page_name": "service_visit",
                "default_url": "/my/visits",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("service_portal.portal_my_visits", values)

    # ------------------------------------------------------------------
    # Visit page, signature, work report
    # ------------------------------------------------------------------
    def _visit_check_access(self, visit_id, access_token=None):
        """The visit, as superuser once the user may read it or holds its
        token: 404 for no such visit, 403 for another customer's."""
        check_path_id(visit_id)
        try:
            return self._document_check_access(
                "service.visit", visit_id, access_token=access_token
            )
        except MissingError as error:
            raise NotFound() from error
        except AccessError as error:
            raise Forbidden() from error

    @http.route(["/my/visits/<int:visit_id>"], type="http", auth="public", website=True)
    def portal_my_visit(self, visit_id, access_token=None, message=None, **kw):
        visit_sudo = self._visit_check_access(visit_id, access_token)
        values = {
            "visit": visit_sudo,
            "page_name": "service_visit",
            "message": message,
            "can_sign": visit_sudo._portal_can_sign(),
            "report_url": visit_sudo.get_portal_url(suffix="/report.pdf"),
            "sign_url": visit_sudo.get_portal_url(suffix="/sign"),
        }
        values = self._get_page_view_values(
            visit_sudo,
            access_token,
            values,
            "my_service_visits_history",
            False,
            **kw,
        )
        return request.render("service_portal.portal_visit_page", values)

    @http.route(
        ["/my/visits/<int:visit_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_my_visit_sign(
        self, visit_id, access_token=None, name=None, signature=None
    ):
        """The customer signs the work report with the portal's signature
        form; the visit's own signing does the rest (the signed PDF on the
        visit and to the customer), as when signing in the back office."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            visit_sudo = self._visit_check_access(visit_id, access_token)
        except (NotFound, Forbidden):
            return {"error": request.env._("This visit does not exist.")}
        if not visit_sudo._portal_can_sign():
            return {
                "error": request.env._(
                    "This work report cannot be signed: it is signed already, "
                    "or the technician has not started the work."
                )
            }
        if not signature or not (name or "").strip():
            return {"error": request.env._("Your name and signature are missing.")}
        try:
            with request.env.cr.savepoint():
                # The visit's own signing, as the signature widget of the
                # back office does it: writing the signature signs the report.
                visit_sudo.write({"signed_by": name.strip(), "signature": signature})
        except (TypeError, binascii.Error, ValueError):
            return {"error": request.env._("The signature could not be read.")}
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": visit_sudo.get_portal_url(query_string="&message=sign_ok"),
        }

    @http.route(
        ["/my/visits/<int:visit_id>/report.pdf"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_visit_report(self, visit_id, access_token=None, **kw):
        visit_sudo = self._visit_check_access(visit_id, access_token)
        name = (visit_sudo.display_name or str(visit_sudo.id)).replace("/", "-")
        return self._pdf_response(VISIT_REPORT, visit_sudo, visit_sudo, name)
