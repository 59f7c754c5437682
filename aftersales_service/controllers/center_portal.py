import base64
from datetime import datetime
from urllib.parse import urlencode

import pytz
from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

CENTER_MESSAGES = {
    "accepted": _lt("Job accepted: plan the visit."),
    "refused": _lt("Job refused: it is back with customer service."),
    "planned": _lt("Visit planned."),
    "checked_in": _lt("Checked in on site."),
    "saved": _lt("Service report saved."),
    "part": _lt("Part recorded."),
    "photo": _lt("Photos added."),
    "signed": _lt("The customer signed the service report."),
    "checked_out": _lt("Checked out: the visit is done."),
    "resolved": _lt("Job resolved: customer service follows up with the customer."),
}

# Photos from the site: bitmap images only (no SVG: it could carry scripts), each at most
# 10 MB.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MIMETYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


class AftersalesCenterPortal(CustomerPortal):
    """The jobs of an authorized service centre, for its portal users, under /my/center.

    Every route first checks that the user works for the centre the job is dispatched to
    (another centre's job is not found), then calls the models' methods in sudo: the same
    steps, rules and timestamps as an employee technician's."""

    _center_items_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _center_or_404():
        center = request.env.user._aftersales_service_center()
        if not center:
            raise request.not_found()
        return center

    def _center_job_or_404(self, ticket_id):
        """The job (ticket, sudo) if it is dispatched to the user's centre."""
        center = self._center_or_404()
        ticket_sudo = request.env["aftersales.ticket"].sudo().browse(ticket_id).exists()
        if not ticket_sudo or ticket_sudo.service_center_id != center:
            raise request.not_found()
        ticket_sudo._center_check_user()
        return ticket_sudo

    def _center_visit_or_404(self, ticket_id, visit_id):
        ticket_sudo = self._center_job_or_404(ticket_id)
        visit_sudo = ticket_sudo.visit_ids.filtered(
            lambda v: v.id == visit_id and v.service_center_id == ticket_sudo.service_center_id
        )
        if not visit_sudo:
            raise request.not_found()
        return ticket_sudo, visit_sudo

    @staticmethod
    def _center_back(ticket_sudo, message=None, error=None, anchor=""):
        query = {"message": message} if message else {"error": error}
        return request.redirect(f"/my/center/jobs/{ticket_sudo.id}?{urlencode(query)}{anchor}")

    def _center_do(self, ticket_sudo, action, message):
        """Run ``action`` (the user was checked), back to the job page with the outcome;
        a refused step says why and changes nothing."""
        try:
            with request.env.cr.savepoint():
                action()
        except (UserError, ValidationError, AccessError) as error:
            return self._center_back(ticket_sudo, error=error.args[0])
        return self._center_back(ticket_sudo, message=message)

    @staticmethod
    def _center_datetime(value, tz_name):
        """A datetime-local input (site time) as naive UTC, None when empty or malformed."""
        if not value:
            return None
        try:
            local = datetime.strptime(value.replace("T", " ")[:16], "%Y-%m-%d %H:%M")
        except ValueError:
            return None
        tz = pytz.timezone(tz_name)
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_center_job_count" in counters:
            center = request.env.user._aftersales_service_center()
            values["aftersales_center_job_count"] = (
                request.env["aftersales.ticket"].search_count(
                    [("service_center_id", "=", center.id)]
                )
                if center
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Job list
    # ------------------------------------------------------------------

    def _center_filters(self):
        return {
            "open": {
                "label": _("To Do"),
                "domain": [("state", "in", ["assigned", "in_progress", "waiting"])],
            },
            "answer": {"label": _("To Accept"), "domain": [("state", "=", "assigned")]},
            "done": {
                "label": _("Done"),
                "domain": [("state", "in", ["resolved", "closed", "cancelled"])],
            },
            "all": {"label": _("All"), "domain": []},
        }

    @http.route(
        ["/my/center/jobs", "/my/center/jobs/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_center_jobs(self, page=1, filterby="open", search=None, **kw):
        center = self._center_or_404()
        Ticket = request.env["aftersales.ticket"]
        filters = self._center_filters()
        filterby = filterby if filterby in filters else "open"
        domain = [("service_center_id", "=", center.id), *filters[filterby]["domain"]]
        if search:
            domain.append(("name", "ilike", search))
        count = Ticket.search_count(domain)
        url_args = {"filterby": filterby}
        if search:
            url_args["search"] = search
        pager = portal_pager(
            url="/my/center/jobs",
            url_args=url_args,
            total=count,
            page=page,
            step=self._center_items_per_page,
        )
        jobs = Ticket.search(
            domain,
            order="date_assigned desc, id desc",
            limit=self._center_items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "center": center,
                # Only what the centre needs to serve: the list reads names and cities.
                "jobs": jobs.sudo(),
                "page_name": "aftersales_center_jobs",
                "pager": pager,
                "default_url": "/my/center/jobs",
                "filterby": filterby,
                "searchbar_filters": filters,
                "search": search,
                "search_in": "name",
                "searchbar_inputs": {"name": {"input": "name", "label": _("Search in Reference")}},
            }
        )
        return request.render("aftersales_service.portal_center_jobs", values)

    # ------------------------------------------------------------------
    # Job page
    # ------------------------------------------------------------------

    @http.route(["/my/center/jobs/<int:ticket_id>"], type="http", auth="user", website=True)
    def portal_center_job(self, ticket_id, message=None, error=None, **kw):
        ticket_sudo = self._center_job_or_404(ticket_id)
        center = ticket_sudo.service_center_id
        visits = ticket_sudo.visit_ids.filtered(lambda v: v.service_center_id == center)
        tz_name = ticket_sudo._aftersales_customer_tz()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ticket": ticket_sudo,
                "customer": ticket_sudo.partner_id,
                "visits": visits.sorted("id"),
                "open_visit": visits.filtered(
                    lambda v: v.state in ("planned", "on_the_way", "on_site")
                )[:1],
                "tz_name": tz_name,
                "page_name": "aftersales_center_job",
                "portal_message": str(CENTER_MESSAGES[message])
                if message in CENTER_MESSAGES
                else None,
                "error": error,
            }
        )
        return request.render("aftersales_service.portal_center_job", values)

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/accept"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_center_accept(self, ticket_id, **kw):
        ticket_sudo = self._center_job_or_404(ticket_id)
        return self._center_do(ticket_sudo, ticket_sudo.action_accept, "accepted")

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/refuse"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_center_refuse(self, ticket_id, reason=None, **kw):
        ticket_sudo = self._center_job_or_404(ticket_id)
        try:
            with request.env.cr.savepoint():
                ticket_sudo.action_refuse(reason)
        except (UserError, ValidationError) as error:
            return self._center_back(ticket_sudo, error=error.args[0])
        # The job is no longer the centre's: back to the list.
        return request.redirect("/my/center/jobs?message=refused")

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/plan"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_center_plan(self, ticket_id, scheduled_start=None, scheduled_end=None, **kw):
        ticket_sudo = self._center_job_or_404(ticket_id)
        tz_name = ticket_sudo._aftersales_customer_tz()
        start = self._center_datetime(scheduled_start, tz_name)
        end = self._center_datetime(scheduled_end, tz_name)
        return self._center_do(
            ticket_sudo,
            lambda: request.env["aftersales.visit"]._center_plan(ticket_sudo, start, end),
            "planned",
        )

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/resolve"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_center_resolve(self, ticket_id, **kw):
        ticket_sudo = self._center_job_or_404(ticket_id)
        return self._center_do(ticket_sudo, ticket_sudo.action_resolve, "resolved")

    # ------------------------------------------------------------------
    # Visit on site
    # ------------------------------------------------------------------

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/visit/<int:visit_id>/<string:step>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_center_visit_step(self, ticket_id, visit_id, step, **post):
        ticket_sudo, visit_sudo = self._center_visit_or_404(ticket_id, visit_id)
        steps = {
            "check_in": (lambda: visit_sudo.action_check_in(post.get("note")), "checked_in"),
            "check_out": (lambda: visit_sudo.action_check_out(post.get("note")), "checked_out"),
            "report": (lambda: self._center_save_report(visit_sudo, post), "saved"),
            "part": (lambda: self._center_add_part(visit_sudo, post), "part"),
            "photo": (lambda: self._center_add_photos(visit_sudo), "photo"),
        }
        if step not in steps:
            raise request.not_found()
        action, message = steps[step]
        return self._center_do(ticket_sudo, action, message)

    @staticmethod
    def _center_save_report(visit_sudo, post):
        values = {
            "resolution_cause": post.get("resolution_cause") or "",
            "work_done": plaintext2html((post.get("work_done") or "").strip())
            if (post.get("work_done") or "").strip()
            else False,
            "customer_opinion": post.get("customer_opinion") or "",
            "no_parts_used": bool(post.get("no_parts_used")),
        }
        return visit_sudo._center_record_report(values)

    @staticmethod
    def _center_add_part(visit_sudo, post):
        code = (post.get("part_code") or "").strip()
        try:
            quantity = float(post.get("quantity") or 1)
        except ValueError:
            quantity = 0
        product = request.env["product.product"]
        if code:
            product = product.sudo().search(
                [
                    ("type", "=", "consu"),
                    "|",
                    ("default_code", "=ilike", code),
                    ("barcode", "=", code),
                ],
                limit=1,
            )
        if not product:
            raise UserError(
                _("No part has the reference or barcode %s: check the label.", code or "-")
            )
        lot = request.env["stock.lot"]
        serial = (post.get("serial") or "").strip()
        if serial:
            lot = lot.sudo().search(
                [("product_id", "=", product.id), ("name", "=", serial)], limit=1
            )
            if not lot:
                raise UserError(
                    _(
                        "Serial number %(serial)s is not one of %(part)s.",
                        serial=serial,
                        part=product.display_name,
                    )
                )
        return visit_sudo._center_add_part(product, quantity, lot)

    @staticmethod
    def _center_add_photos(visit_sudo):
        files = []
        for upload in request.httprequest.files.getlist("photos"):
            if not upload.filename:
                continue
            content = upload.read()
            if upload.mimetype not in PHOTO_MIMETYPES:
                raise UserError(_("%s is not a photo.", upload.filename))
            if len(content) > PHOTO_MAX_BYTES:
                raise UserError(_("%s is larger than 10 MB.", upload.filename))
            files.append((upload.filename, content))
        if not files:
            raise UserError(_("Choose the photos to add."))
        visit_sudo.message_post(
            body=_("Photos from the site."),
            attachments=files,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/visit/<int:visit_id>/sign"],
        type="json",
        auth="user",
        website=True,
    )
    def portal_center_visit_sign(self, ticket_id, visit_id, name=None, signature=None):
        try:
            ticket_sudo, visit_sudo = self._center_visit_or_404(ticket_id, visit_id)
        except NotFound:
            return {"error": _("This service report was not found.")}
        try:
            with request.env.cr.savepoint():
                visit_sudo.action_sign(signature, name)
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        return {
            "force_refresh": True,
            "redirect_url": f"/my/center/jobs/{ticket_sudo.id}?message=signed",
        }

    @http.route(
        ["/my/center/jobs/<int:ticket_id>/visit/<int:visit_id>/photo/<int:attachment_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_center_visit_photo(self, ticket_id, visit_id, attachment_id, **kw):
        _ticket_sudo, visit_sudo = self._center_visit_or_404(ticket_id, visit_id)
        attachment = (
            request.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("id", "=", attachment_id),
                    ("res_model", "=", "aftersales.visit"),
                    ("res_id", "=", visit_sudo.id),
                    ("mimetype", "in", PHOTO_MIMETYPES),
                ],
                limit=1,
            )
        )
        if not attachment:
            raise request.not_found()
        return request.make_response(
            base64.b64decode(attachment.datas or b""),
            headers=[
                ("Content-Type", attachment.mimetype),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
