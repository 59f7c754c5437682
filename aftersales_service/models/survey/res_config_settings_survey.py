from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    aftersales_survey_id = fields.Many2one(
        related="company_id.aftersales_survey_id", readonly=False
    )
