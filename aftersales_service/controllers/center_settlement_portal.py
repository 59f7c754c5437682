from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request

from .center_portal import AftersalesCenterPortal


class AftersalesCenterSettlementPortal(CustomerPortal):
    """A service centre's monthly settlements (结算) and their status under /my/settlements.

    Centres have no access right on settlements: the pages read them with sudo, only after
    checking that the visitor works for a centre, and only that centre's."""

    @staticmethod
    def _aftersales_settlement_domain(center):
        """The centre's settlements it may see: submitted ones (drafts stay inside)."""
        return [("partner_id", "=", center.id), ("state", "!=", "draft")]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_settlement_count" in counters:
            center = request.env.user._aftersales_service_center()
            values["aftersales_settlement_count"] = (
                request.env["aftersales.settlement"]
                .sudo()
                .search_count(self._aftersales_settlement_domain(center))
                if center
                else 0
            )
        return values

    @http.route(["/my/settlements"], type="http", auth="user", website=True, readonly=True)
    def portal_my_settlements(self, **kw):
        center = AftersalesCenterPortal._center_or_404()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "center": center,
                "settlements": request.env["aftersales.settlement"]
                .sudo()
                .search(
                    self._aftersales_settlement_domain(center), order="date_from desc, id desc"
                ),
                "page_name": "aftersales_settlement",
            }
        )
        return request.render("aftersales_service.portal_my_settlements", values)

    @http.route(
        ["/my/settlements/<int:settlement_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_settlement(self, settlement_id, **kw):
        center = AftersalesCenterPortal._center_or_404()
        settlement_sudo = (
            request.env["aftersales.settlement"]
            .sudo()
            .search(
                [("id", "=", settlement_id), *self._aftersales_settlement_domain(center)],
                limit=1,
            )
        )
        if not settlement_sudo:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "center": center,
                "settlement": settlement_sudo,
                "page_name": "aftersales_settlement_detail",
            }
        )
        return request.render("aftersales_service.portal_my_settlement", values)
