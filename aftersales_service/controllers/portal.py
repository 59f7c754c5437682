from urllib.parse import urlencode

from odoo import _, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.translate import LazyTranslate

from ..models.ticket.aftersales_ticket import OPEN_STATES

_lt = LazyTranslate(__name__)

# Messages shown on the ticket page after an action redirected back to it.
PORTAL_MESSAGES = {
    "submitted": _lt("Thank you: your request is registered. We will contact you shortly."),
    "confirmed": _lt("Thank you for confirming that the problem is solved."),
    "rejected": _lt("We are sorry the problem is not solved: your request is back with the team."),
    "signed": _lt("Thank you: the service report is signed."),
}


class AftersalesPortal(CustomerPortal):
    """Customers' own service tickets and warranties under /my."""

    _items_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_ticket_count" in counters:
            Ticket = request.env["aftersales.ticket"]
            values["aftersales_ticket_count"] = (
                Ticket.search_count(self._aftersales_customer_domain())
                if Ticket.has_access("read")
                else 0
            )
        if "aftersales_warranty_count" in counters:
            Warranty = request.env["aftersales.warranty"]
            values["aftersales_warranty_count"] = (
                Warranty.search_count([]) if Warranty.has_access("read") else 0
            )
        return values

    def _aftersales_ticket_or_404(self, ticket_id, access_token):
        """The ticket (sudo) if the visitor may see it; another customer's is not found."""
        ticket_sudo = self._aftersales_ticket(ticket_id, access_token)
        if not ticket_sudo:
            raise request.not_found()
        return ticket_sudo

    def _aftersales_visit_or_404(self, ticket_id, visit_id, access_token):
        """A visit of a ticket the visitor may see (sudo); any other is not found."""
        ticket_sudo = self._aftersales_ticket_or_404(ticket_id, access_token)
        visit_sudo = ticket_sudo.visit_ids.filtered(lambda v: v.id == visit_id)
        if not visit_sudo:
            raise request.not_found()
        return visit_sudo

    def _aftersales_answer(self, ticket_id, access_token, answer, message):
        """The customer's answer on a resolved ticket, back to its page with the outcome."""
        ticket_sudo = self._aftersales_ticket_or_404(ticket_id, access_token)
        try:
            answer(ticket_sudo, self._aftersales_author(ticket_sudo))
        except UserError as error:
            return self._aftersales_back(ticket_sudo, error=error.args[0])
        return self._aftersales_back(ticket_sudo, message=message)

    def _aftersales_ticket(self, ticket_id, access_token):
        try:
            ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return None
        user = request.env.user
        if (
            not access_token
            and user._is_portal()
            and ticket_sudo.commercial_partner_id != user.commercial_partner_id
        ):
            # A service centre's user reads the jobs dispatched to it under /my/center,
            # never the customer's pages (confirm, reject, sign as the customer).
            return None
        return ticket_sudo

    @staticmethod
    def _aftersales_customer_domain():
        """A portal user's own requests as a customer (not the jobs their service centre
        serves, which the record rules also let them read)."""
        user = request.env.user
        if user._is_portal():
            return [("commercial_partner_id", "=", user.commercial_partner_id.id)]
        return []

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------

    def _aftersales_searchbar(self):
        sortings = {
            "date": {"label": _("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc"},
            "state": {"label": _("Status"), "order": "state, id desc"},
        }
        filters = {
            "all": {"label": _("All"), "domain": []},
            "open": {
                "label": _("In Progress"),
                "domain": [("state", "in", list(OPEN_STATES))],
            },
            "answer": {
                "label": _("Waiting for Your Answer"),
                "domain": [("state", "=", "resolved"), ("customer_confirmed", "=", False)],
            },
            "done": {"label": _("Closed"), "domain": [("state", "in", ["closed", "cancelled"])]},
        }
        inputs = {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Reference")},
            "serial": {"input": "serial", "label": _("Search in Serial Number")},
            "product": {"input": "product", "label": _("Search in Product")},
        }
        return sortings, filters, inputs

    @staticmethod
    def _aftersales_search_domain(search_in, search):
        # Customers cannot read serials and products as such: look them up in sudo,
        # the tickets' own record rules still apply.
        env = request.env
        domains = {
            "name": [("name", "ilike", search)],
            "serial": [
                ("lot_id", "in", env["stock.lot"].sudo()._search([("name", "ilike", search)]))
            ],
            "product": [
                (
                    "product_id",
                    "in",
                    env["product.product"].sudo()._search([("name", "ilike", search)]),
                )
            ],
        }
        if search_in in domains:
            return domains[search_in]
        return expression.OR(list(domains.values()))

    # Lists only read: readonly routes are answered from a database replica when there is one.
    @http.route(
        ["/my/aftersales", "/my/aftersales/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_aftersales_tickets(
        self, page=1, search=None, search_in="all", sortby="date", filterby="all", **kw
    ):
        Ticket = request.env["aftersales.ticket"]
        sortings, filters, inputs = self._aftersales_searchbar()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = list(filters[filterby]["domain"]) + self._aftersales_customer_domain()
        if search:
            domain += self._aftersales_search_domain(search_in, search)
        count = Ticket.search_count(domain)
        url_args = {"sortby": sortby, "filterby": filterby}
        if search:
            url_args.update(search=search, search_in=search_in)
        pager = portal_pager(
            url="/my/aftersales",
            url_args=url_args,
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets,
                "page_name": "aftersales_ticket",
                "pager": pager,
                "default_url": "/my/aftersales",
                "search": search,
                "search_in": search_in,
                "searchbar_inputs": inputs,
                "sortby": sortby,
                "searchbar_sortings": sortings,
                "filterby": filterby,
                "searchbar_filters": filters,
            }
        )
        return request.render("aftersales_service.portal_my_aftersales_tickets", values)

    @http.route(["/my/aftersales/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_aftersales_ticket(self, ticket_id, access_token=None, message=None, **kw):
        ticket_sudo = self._aftersales_ticket_or_404(ticket_id, access_token)
        rating_token = False
        if ticket_sudo.state in ("resolved", "closed") and ticket_sudo.technician_id:
            rating_token = ticket_sudo._rating_get_access_token()
        values = self._get_page_view_values(
            ticket_sudo,
            access_token,
            {
                "ticket": ticket_sudo,
                "page_name": "aftersales_ticket_detail",
                "portal_message": str(PORTAL_MESSAGES[message])
                if message in PORTAL_MESSAGES
                else None,
                "error": kw.get("error"),
                "rating_token": rating_token,
                "last_rating": ticket_sudo.rating_ids.filtered("consumed")[:1],
            },
            "my_aftersales_tickets_history",
            False,
        )
        return request.render("aftersales_service.portal_my_aftersales_ticket", values)

    @http.route(
        ["/my/aftersales/<int:ticket_id>/confirm"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_aftersales_confirm(self, ticket_id, access_token=None, **kw):
        return self._aftersales_answer(
            ticket_id,
            access_token,
            lambda ticket_sudo, author: ticket_sudo._portal_confirm(author),
            "confirmed",
        )

    @http.route(
        ["/my/aftersales/<int:ticket_id>/reject"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_aftersales_reject(self, ticket_id, access_token=None, reason=None, **kw):
        return self._aftersales_answer(
            ticket_id,
            access_token,
            lambda ticket_sudo, author: ticket_sudo._portal_reject(author, reason),
            "rejected",
        )

    @http.route(["/my/aftersales/<int:ticket_id>/report"], type="http", auth="public", website=True)
    def portal_aftersales_ticket_report(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._aftersales_ticket_or_404(ticket_id, access_token)
        return self._show_report(
            model=ticket_sudo,
            report_type="pdf",
            report_ref="aftersales_service.action_report_ticket_service",
            download=True,
        )

    @http.route(
        ["/my/aftersales/<int:ticket_id>/visit/<int:visit_id>/report"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_aftersales_visit_report(self, ticket_id, visit_id, access_token=None, **kw):
        visit_sudo = self._aftersales_visit_or_404(ticket_id, visit_id, access_token)
        return self._show_report(
            model=visit_sudo,
            report_type="pdf",
            report_ref="aftersales_service.action_report_visit",
            download=True,
        )

    @http.route(
        ["/my/aftersales/<int:ticket_id>/visit/<int:visit_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_aftersales_visit_sign(
        self, ticket_id, visit_id, access_token=None, name=None, signature=None
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        ticket_sudo = self._aftersales_ticket(ticket_id, access_token)
        visit_sudo = ticket_sudo and ticket_sudo.visit_ids.filtered(lambda v: v.id == visit_id)
        if not visit_sudo:
            return {"error": _("This service report was not found.")}
        try:
            visit_sudo._portal_sign(self._aftersales_author(ticket_sudo), name, signature)
        except UserError as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": ticket_sudo.get_portal_url(query_string="&message=signed"),
        }

    @http.route(
        ["/my/aftersales/new"], type="http", auth="user", methods=["GET", "POST"], website=True
    )
    def portal_aftersales_new_request(self, **post):
        partner = request.env.user.partner_id
        if request.httprequest.method == "POST":
            Ticket = request.env["aftersales.ticket"]
            try:
                values = Ticket._portal_prepare_request(
                    partner,
                    product_id=self._aftersales_int(post.get("product_id")),
                    serial=post.get("serial"),
                    category_id=self._aftersales_int(post.get("category_id")),
                    description=post.get("description"),
                )
            except UserError as error:
                return self._aftersales_render_request_form(partner, post, error.args[0])
            files = [
                (upload.filename, upload.read())
                for upload in request.httprequest.files.getlist("attachments")
                if upload.filename
            ]
            ticket = Ticket._portal_create_request(partner, values, files)
            return request.redirect(ticket.get_portal_url(query_string="&message=submitted"))
        return self._aftersales_render_request_form(partner, post)

    def _aftersales_render_request_form(self, partner, post, error=None):
        values = self._prepare_portal_layout_values()
        company = partner.company_id or request.env.company
        values.update(
            {
                "page_name": "aftersales_request",
                "products": partner._aftersales_owned_products(),
                "lots": partner._aftersales_owned_lots(),
                "categories": request.env["aftersales.category"]
                .sudo()
                .search([("company_id", "in", [False, company.id])], order="sequence, name"),
                "error": error,
                "post": post,
            }
        )
        return request.render("aftersales_service.portal_aftersales_request", values)

    @staticmethod
    def _aftersales_int(value):
        try:
            return int(value) if value else None
        except ValueError:
            return -1  # nothing has this id: the model answers with a clear error

    @staticmethod
    def _aftersales_author(ticket_sudo):
        user = request.env.user
        return ticket_sudo.partner_id if user._is_public() else user.partner_id

    @staticmethod
    def _aftersales_back(ticket_sudo, message=None, error=None):
        query = {"message": message} if message else {"error": error}
        return request.redirect(ticket_sudo.get_portal_url(query_string="&" + urlencode(query)))

    # ------------------------------------------------------------------
    # Warranties
    # ------------------------------------------------------------------

    @http.route(["/my/warranties"], type="http", auth="user", website=True, readonly=True)
    def portal_my_warranties(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "warranties": request.env["aftersales.warranty"].search([], order="date_end desc"),
                "page_name": "aftersales_warranty",
            }
        )
        return request.render("aftersales_service.portal_my_warranties", values)

    @http.route(
        ["/my/warranties/<int:warranty_id>/certificate"], type="http", auth="public", website=True
    )
    def portal_my_warranty_certificate(self, warranty_id, access_token=None, **kw):
        try:
            warranty_sudo = self._document_check_access(
                "aftersales.warranty", warranty_id, access_token
            )
        except (AccessError, MissingError):
            raise request.not_found() from None
        return self._show_report(
            model=warranty_sudo,
            report_type="pdf",
            report_ref="aftersales_service.action_report_warranty_certificate",
            download=True,
        )
