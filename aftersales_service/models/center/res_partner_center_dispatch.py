from odoo import _, models
from odoo.exceptions import UserError


class ResPartnerCenterDispatch(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _aftersales_center_users(self):
        """The portal (and internal) users who work for this service centre: the users of
        the centre's contacts."""
        centers = self.filtered("aftersales_is_service_center")
        if not centers:
            return self.env["res.users"]
        return (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.commercial_partner_id", "in", centers.ids)])
        )

    def _aftersales_check_center_dispatch(self, ticket):
        """Raise a UserError, naming what blocks it, unless ``ticket`` may be dispatched
        to this centre: a centre, with an agreement in force in the ticket's company whose
        documents, zones and product categories allow it."""
        self.ensure_one()
        if not self.aftersales_is_service_center:
            raise UserError(_("%(partner)s is not a service centre.", partner=self.display_name))
        agreement = self.with_company(ticket.company_id).sudo().aftersales_agreement_id
        if not agreement:
            raise UserError(
                _(
                    "%(center)s has no agreement in force: work can be dispatched to a "
                    "service centre only under a valid agreement.",
                    center=self.display_name,
                )
            )
        return agreement._ensure_can_dispatch(ticket)
