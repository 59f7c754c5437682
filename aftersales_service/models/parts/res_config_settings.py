from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    aftersales_defective_return_days = fields.Integer(
        related="company_id.aftersales_defective_return_days", readonly=False
    )
    aftersales_van_rule_months = fields.Integer(
        related="company_id.aftersales_van_rule_months", readonly=False
    )
    aftersales_defective_location_id = fields.Many2one(
        related="company_id.aftersales_defective_location_id", readonly=False
    )
