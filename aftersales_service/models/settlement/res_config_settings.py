from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    aftersales_reconciliation_target = fields.Float(
        related="company_id.aftersales_reconciliation_target", readonly=False
    )
    aftersales_reconciliation_days = fields.Integer(
        related="company_id.aftersales_reconciliation_days", readonly=False
    )
