from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_deadline_hours = fields.Integer(
        related="company_id.aftersales_deadline_hours", readonly=False
    )
    aftersales_emergency_deadline_hours = fields.Integer(
        related="company_id.aftersales_emergency_deadline_hours", readonly=False
    )
