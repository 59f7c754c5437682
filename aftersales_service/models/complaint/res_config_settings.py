from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    aftersales_complaint_ack_hours = fields.Float(
        related="company_id.aftersales_complaint_ack_hours", readonly=False
    )
    aftersales_complaint_answer_days = fields.Float(
        related="company_id.aftersales_complaint_answer_days", readonly=False
    )
    aftersales_complaint_serious_answer_days = fields.Float(
        related="company_id.aftersales_complaint_serious_answer_days", readonly=False
    )
    aftersales_complaint_group_answer_days = fields.Float(
        related="company_id.aftersales_complaint_group_answer_days", readonly=False
    )
    aftersales_complaint_calendar_id = fields.Many2one(
        related="company_id.aftersales_complaint_calendar_id", readonly=False
    )
