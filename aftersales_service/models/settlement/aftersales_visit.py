from odoo import models


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    def _technician_location(self):
        """A service centre's visit uses the parts of its consignment stock."""
        self.ensure_one()
        location = self.sudo().service_center_id.aftersales_consignment_location_id
        return location or super()._technician_location()
