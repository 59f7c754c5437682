from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_deadline_hours = fields.Integer(
        related="company_id.aftersales_deadline_hours", readonly=False
    )
    aftersales_emergency_deadline_hours = fields.Integer(
        related="company_id.aftersales_emergency_deadline_hours", readonly=False
    )
    aftersales_warranty_reminder_months = fields.Integer(
        related="company_id.aftersales_warranty_reminder_months", readonly=False
    )
    aftersales_escalation_manager_id = fields.Many2one(
        related="company_id.aftersales_escalation_manager_id", readonly=False
    )
    aftersales_warranty_responsible_id = fields.Many2one(
        related="company_id.aftersales_warranty_responsible_id", readonly=False
    )
    aftersales_repeat_repair_days = fields.Integer(
        related="company_id.aftersales_repeat_repair_days", readonly=False
    )
    aftersales_auto_close_days = fields.Integer(
        related="company_id.aftersales_auto_close_days", readonly=False
    )
    aftersales_followup_days = fields.Integer(
        related="company_id.aftersales_followup_days", readonly=False
    )
    aftersales_weight_on_time = fields.Float(
        related="company_id.aftersales_weight_on_time", readonly=False
    )
    aftersales_weight_first_time_fix = fields.Float(
        related="company_id.aftersales_weight_first_time_fix", readonly=False
    )
    aftersales_weight_repeat_repair = fields.Float(
        related="company_id.aftersales_weight_repeat_repair", readonly=False
    )
    aftersales_weight_satisfaction = fields.Float(
        related="company_id.aftersales_weight_satisfaction", readonly=False
    )
    aftersales_weight_penalty = fields.Float(
        related="company_id.aftersales_weight_penalty", readonly=False
    )
    aftersales_weight_complaint = fields.Float(
        related="company_id.aftersales_weight_complaint", readonly=False
    )
    aftersales_quality_recipient_ids = fields.Many2many(
        related="company_id.aftersales_quality_recipient_ids", readonly=False
    )
