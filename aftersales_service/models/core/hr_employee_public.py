from odoo import api, fields, models

# Users without HR rights (analysts, managers, technicians) get employees as
# hr.employee.public. Analysts and managers see every technician's scorecard there, a
# technician only his own, as in My Scorecard: another employee's reads as empty for him.
PUBLIC_SCORECARD_GROUPS = (
    "aftersales_service.group_aftersales_analyst,aftersales_service.group_aftersales_technician"
)
SCORECARD_ALL_GROUPS = ("hr.group_hr_user", "aftersales_service.group_aftersales_analyst")
SCORECARD_FIELDS = [
    f"aftersales_{period}_{kpi}"
    for period in ("month", "quarter")
    for kpi in (
        "ticket_count",
        "on_time",
        "resolution_hours",
        "first_time_fix",
        "repeat_repair",
        "satisfaction",
        "net_points",
    )
]


def _scorecard_field(field_type, string):
    return field_type(
        string=string, compute="_compute_aftersales_scorecard", groups=PUBLIC_SCORECARD_GROUPS
    )


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    aftersales_location_id = fields.Many2one(
        related="employee_id.aftersales_location_id", readonly=True
    )

    aftersales_scorecard_visible = fields.Boolean(compute="_compute_aftersales_scorecard_visible")
    aftersales_month_ticket_count = _scorecard_field(fields.Integer, "Tickets (This Month)")
    aftersales_month_on_time = _scorecard_field(fields.Float, "On-Time Arrival (This Month)")
    aftersales_month_resolution_hours = _scorecard_field(
        fields.Float, "Avg Resolution (h) (This Month)"
    )
    aftersales_month_first_time_fix = _scorecard_field(fields.Float, "First-Time Fix (This Month)")
    aftersales_month_repeat_repair = _scorecard_field(fields.Float, "Repeat Repairs (This Month)")
    aftersales_month_satisfaction = _scorecard_field(
        fields.Float, "Satisfaction (1-5) (This Month)"
    )
    aftersales_month_net_points = _scorecard_field(fields.Float, "Net Penalty Points (This Month)")
    aftersales_quarter_ticket_count = _scorecard_field(fields.Integer, "Tickets (This Quarter)")
    aftersales_quarter_on_time = _scorecard_field(fields.Float, "On-Time Arrival (This Quarter)")
    aftersales_quarter_resolution_hours = _scorecard_field(
        fields.Float, "Avg Resolution (h) (This Quarter)"
    )
    aftersales_quarter_first_time_fix = _scorecard_field(
        fields.Float, "First-Time Fix (This Quarter)"
    )
    aftersales_quarter_repeat_repair = _scorecard_field(
        fields.Float, "Repeat Repairs (This Quarter)"
    )
    aftersales_quarter_satisfaction = _scorecard_field(
        fields.Float, "Satisfaction (1-5) (This Quarter)"
    )
    aftersales_quarter_net_points = _scorecard_field(
        fields.Float, "Net Penalty Points (This Quarter)"
    )

    def _aftersales_scorecard_shown(self):
        """The employees whose scorecard the current user may see."""
        user = self.env.user
        if any(user.has_group(group) for group in SCORECARD_ALL_GROUPS):
            return self
        return self.filtered(lambda employee: employee.user_id == user)

    @api.depends_context("uid")
    def _compute_aftersales_scorecard_visible(self):
        shown = self._aftersales_scorecard_shown()
        for employee in self:
            employee.aftersales_scorecard_visible = employee in shown

    @api.depends_context("uid", "tz")
    def _compute_aftersales_scorecard(self):
        shown = self._aftersales_scorecard_shown()
        for employee in self - shown:
            for fname in SCORECARD_FIELDS:
                employee[fname] = 0
        # Checked just above: the figures come from the private employee, as core's public
        # fields do (the KPI report and penalties are read in sudo there anyway).
        private = self.env["hr.employee"].sudo().browse(shown.ids)
        for employee, source in zip(shown, private, strict=True):
            for fname in SCORECARD_FIELDS:
                employee[fname] = source[fname]

    def action_view_aftersales_kpis(self):
        # The KPI report's record rules decide which rows open (a technician's own only).
        self.ensure_one()
        return self.env["hr.employee"].browse(self.id).action_view_aftersales_kpis()
