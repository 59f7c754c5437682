from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class AftersalesPortal(CustomerPortal):
    """Customers' own service tickets and warranties under /my."""

    _items_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_ticket_count" in counters:
            Ticket = request.env["aftersales.ticket"]
            values["aftersales_ticket_count"] = (
                Ticket.search_count([]) if Ticket.has_access("read") else 0
            )
        if "aftersales_warranty_count" in counters:
            Warranty = request.env["aftersales.warranty"]
            values["aftersales_warranty_count"] = (
                Warranty.search_count([]) if Warranty.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/aftersales", "/my/aftersales/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_aftersales_tickets(self, page=1, search=None, **kw):
        Ticket = request.env["aftersales.ticket"]
        domain = []
        if search:
            domain = ["|", ("name", "ilike", search), ("lot_id.name", "ilike", search)]
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/aftersales",
            url_args={"search": search} if search else {},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, order="id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets,
                "page_name": "aftersales_ticket",
                "pager": pager,
                "default_url": "/my/aftersales",
                "search": search,
            }
        )
        return request.render("aftersales_service.portal_my_aftersales_tickets", values)

    @http.route(["/my/aftersales/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_aftersales_ticket(self, ticket_id, access_token=None, **kw):
        try:
            ticket_sudo = self._document_check_access("aftersales.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            ticket_sudo,
            access_token,
            {"ticket": ticket_sudo, "page_name": "aftersales_ticket"},
            "my_aftersales_tickets_history",
            False,
        )
        return request.render("aftersales_service.portal_my_aftersales_ticket", values)

    @http.route(["/my/warranties"], type="http", auth="user", website=True)
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
            return request.redirect("/my")
        return self._show_report(
            model=warranty_sudo,
            report_type="pdf",
            report_ref="aftersales_service.action_report_warranty_certificate",
            download=True,
        )
