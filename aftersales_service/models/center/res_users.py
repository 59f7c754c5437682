from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _aftersales_service_center(self):
        """The service centre this user works for (their company contact, flagged as a
        centre), else an empty recordset: portal pages and checks for centres start here."""
        self.ensure_one()
        center = self.sudo().partner_id.commercial_partner_id
        return center if center.aftersales_is_service_center else center.browse()
