from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    aftersales_location_id = fields.Many2one(
        related="employee_id.aftersales_location_id", readonly=True
    )
