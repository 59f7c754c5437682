from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    aftersales_complaint_ack_hours = fields.Float(
        string="Acknowledge Complaints Within (working hours)", default=24.0
    )
    aftersales_complaint_answer_days = fields.Float(
        string="Answer Complaints Within (working days)", default=5.0
    )
    aftersales_complaint_serious_answer_days = fields.Float(
        string="Answer Serious Complaints Within (working days)", default=2.0
    )
    aftersales_complaint_group_answer_days = fields.Float(
        string="Answer Group Complaints Within (working days)", default=1.0
    )
    aftersales_complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Complaint Working Hours",
        help="The working hours complaint deadlines count. Empty: the company's working hours.",
    )

    @api.constrains(
        "aftersales_complaint_ack_hours",
        "aftersales_complaint_answer_days",
        "aftersales_complaint_serious_answer_days",
        "aftersales_complaint_group_answer_days",
    )
    def _check_aftersales_complaint_deadlines(self):
        for company in self:
            if (
                min(
                    company.aftersales_complaint_ack_hours,
                    company.aftersales_complaint_answer_days,
                    company.aftersales_complaint_serious_answer_days,
                    company.aftersales_complaint_group_answer_days,
                )
                <= 0
            ):
                raise ValidationError(
                    _(
                        "The complaint deadlines of %s must be positive: every complaint is "
                        "acknowledged and answered.",
                        company.name,
                    )
                )

    def _aftersales_complaint_calendar(self):
        self.ensure_one()
        calendar = self.aftersales_complaint_calendar_id or self.resource_calendar_id
        return calendar or self.env.ref("resource.resource_calendar_std")
