from urllib.parse import urlencode

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .portal import AftersalesPortal


class AftersalesComplaintPortal(AftersalesPortal):
    """Customers make complaints, follow them and rate their handling under /my."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_complaint_count" in counters:
            Complaint = request.env["aftersales.complaint"]
            values["aftersales_complaint_count"] = (
                Complaint.search_count([]) if Complaint.has_access("read") else 0
            )
        return values

    def _aftersales_complaint_or_404(self, complaint_id, access_token):
        try:
            return self._document_check_access("aftersales.complaint", complaint_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None

    @http.route(["/my/complaints"], type="http", auth="user", website=True, readonly=True)
    def portal_my_complaints(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": request.env["aftersales.complaint"].search(
                    [], order="date_received desc, id desc"
                ),
                "page_name": "aftersales_complaint",
            }
        )
        return request.render("aftersales_service.portal_my_complaints", values)

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, **kw):
        complaint_sudo = self._aftersales_complaint_or_404(complaint_id, access_token)
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            {
                "complaint": complaint_sudo,
                "page_name": "aftersales_complaint_detail",
                "portal_message": {
                    "submitted": _("Thank you: your complaint is registered. We will answer you."),
                    "rated": _("Thank you for your rating."),
                }.get(message),
                "error": kw.get("error"),
                "ratings": complaint_sudo._fields["customer_rating"]._description_selection(
                    request.env
                ),
            },
            "my_complaints_history",
            False,
        )
        return request.render("aftersales_service.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/new"], type="http", auth="user", methods=["GET", "POST"], website=True
    )
    def portal_complaint_new(self, ticket_id=None, **post):
        partner = request.env.user.partner_id
        ticket_id = self._aftersales_int(ticket_id)
        if request.httprequest.method == "POST":
            Complaint = request.env["aftersales.complaint"]
            try:
                values = Complaint._portal_prepare(
                    partner,
                    ticket_id=ticket_id,
                    type_id=self._aftersales_int(post.get("type_id")),
                    description=post.get("description"),
                )
            except UserError as error:
                return self._aftersales_render_complaint_form(
                    partner, ticket_id, post, error.args[0]
                )
            complaint = Complaint._portal_create(partner, values)
            return request.redirect(complaint.get_portal_url(query_string="&message=submitted"))
        return self._aftersales_render_complaint_form(partner, ticket_id, post)

    def _aftersales_render_complaint_form(self, partner, ticket_id, post, error=None):
        values = self._prepare_portal_layout_values()
        company = partner.company_id or request.env.company
        # The customer's own tickets (not a service centre's jobs, which its users may read).
        tickets = request.env["aftersales.ticket"].search(
            [("commercial_partner_id", "=", partner.commercial_partner_id.id)],
            order="id desc",
            limit=50,
        )
        values.update(
            {
                "page_name": "aftersales_complaint_new",
                "tickets": tickets,
                "ticket_id": ticket_id,
                "types": request.env["aftersales.complaint.type"]
                .sudo()
                .search([("company_id", "=", company.id)]),
                "error": error,
                "post": post,
            }
        )
        return request.render("aftersales_service.portal_complaint_new", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/rate"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_rate(
        self, complaint_id, access_token=None, rating=None, feedback=None, **kw
    ):
        complaint_sudo = self._aftersales_complaint_or_404(complaint_id, access_token)
        user = request.env.user
        author = complaint_sudo.partner_id if user._is_public() else user.partner_id
        try:
            complaint_sudo._portal_rate(author, rating, feedback)
        except UserError as error:
            return request.redirect(
                complaint_sudo.get_portal_url(
                    query_string="&" + urlencode({"error": error.args[0]})
                )
            )
        return request.redirect(complaint_sudo.get_portal_url(query_string="&message=rated"))
