from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    aftersales_location_id = fields.Many2one(
        "stock.location",
        string="Service Van Stock",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        groups="hr.group_hr_user,aftersales_service.group_aftersales_technician",
        help="Where the parts this technician uses on site are taken from.",
    )
