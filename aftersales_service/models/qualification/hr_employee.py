from odoo import api, fields, models

# As the scorecard's other figures (HR officers and analysts).
SCORECARD_GROUPS = "hr.group_hr_user,aftersales_service.group_aftersales_analyst"


class HrEmployee(models.Model):
    _inherit = "hr.employee"  # pylint: disable=consider-merging-classes-inherited

    aftersales_home_zone_id = fields.Many2one(
        "aftersales.zone",
        string="Home Zone",
        help="The service zone the technician starts from: dispatch suggestions prefer "
        "customers of this zone.",
    )
    aftersales_qualification_ids = fields.One2many(
        "aftersales.qualification", "employee_id", string="Qualifications"
    )
    aftersales_quarter_training_hours = fields.Float(
        string="Training Hours (This Quarter)",
        compute="_compute_aftersales_training_hours",
        groups=SCORECARD_GROUPS,
    )

    @api.depends_context("tz")
    def _compute_aftersales_training_hours(self):
        hours = self._aftersales_training_hours_by_quarter()
        today = fields.Date.context_today(self)
        quarter = (today.year, (today.month - 1) // 3 + 1)
        for employee in self:
            employee.aftersales_quarter_training_hours = hours.get((employee, quarter), 0.0)

    def _aftersales_training_hours_by_quarter(self, date_from=None, date_to=None):
        """{(employee, (year, quarter)): hours of the done trainings they attended}, in
        one query."""
        domain = [("employee_id", "in", self.ids), ("training_state", "=", "done")]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        groups = (
            self.env["aftersales.training.attendee"]
            .sudo()
            ._read_group(domain, ["employee_id", "date:quarter"], ["hours:sum"])
        )
        return {
            (employee, (day.year, (day.month - 1) // 3 + 1)): hours
            for employee, day, hours in groups
        }
