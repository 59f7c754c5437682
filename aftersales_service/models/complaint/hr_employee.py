from odoo import fields, models

# As the scorecard's other figures (HR officers and analysts).
SCORECARD_GROUPS = "hr.group_hr_user,aftersales_service.group_aftersales_analyst"


class HrEmployee(models.Model):
    _inherit = "hr.employee"  # pylint: disable=consider-merging-classes-inherited

    aftersales_month_substantiated_complaints = fields.Integer(
        string="Substantiated Complaints (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_substantiated_complaints = fields.Integer(
        string="Substantiated Complaints (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )

    def _compute_aftersales_scorecard(self):
        res = super()._compute_aftersales_scorecard()
        Report = self.env["aftersales.kpi.report"]
        today = Report._aftersales_today()
        month_start = today.replace(day=1)
        quarter_start = month_start.replace(month=(today.month - 1) // 3 * 3 + 1)
        tz = Report._aftersales_period_tz()
        for period, start in (("month", month_start), ("quarter", quarter_start)):
            counts = Report._substantiated_complaints("technician_id", self, start, today, tz)
            for employee in self:
                employee[f"aftersales_{period}_substantiated_complaints"] = counts.get(employee, 0)
        return res
