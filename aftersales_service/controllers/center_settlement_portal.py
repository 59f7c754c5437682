from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class AftersalesCenterSettlementPortal(CustomerPortal):
    """A service centre's monthly settlements (结算) and their status under /my/settlements.

    Centres have no access right on settlements: the pages read them with sudo, only after
    checking that the visitor works for a centre, and only that centre's."""

    def _aftersales_settlement_center(self):
        """The centre the visitor works for, else an empty recordset."""
        user = request.env.user
        if user._is_public():
            return request.env["res.partner"]
        return user._aftersales_service_center()

    def _aftersales_center_settlements(self, center):
        return (
            request.env["aftersales.settlement"]
            .sudo()
            .search(
                [("partner_id", "=", center.id), ("state", "!=", "draft")],
                order="date_from desc, id desc",
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_settlement_count" in counters:
            center = self._aftersales_settlement_center()
            values["aftersales_settlement_count"] = (
                len(self._aftersales_center_settlements(center)) if center else 0
            )
        return values

    @http.route(["/my/settlements"], type="http", auth="user", website=True, readonly=True)
    def portal_my_settlements(self, **kw):
        center = self._aftersales_settlement_center()
        if not center:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "center": center,
                "settlements": self._aftersales_center_settlements(center),
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
        center = self._aftersales_settlement_center()
        if not center:
            raise request.not_found()
        settlement_sudo = (
            request.env["aftersales.settlement"]
            .sudo()
            .search(
                [
                    ("id", "=", settlement_id),
                    ("partner_id", "=", center.id),
                    ("state", "!=", "draft"),
                ],
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
