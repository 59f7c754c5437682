from odoo import api, fields, models

PUBLIC_SCORECARD_GROUPS = (
    "aftersales_service.group_aftersales_analyst,aftersales_service.group_aftersales_technician"
)


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"  # pylint: disable=consider-merging-classes-inherited

    aftersales_home_zone_id = fields.Many2one(
        related="employee_id.aftersales_home_zone_id", readonly=True
    )
    aftersales_quarter_training_hours = fields.Float(
        string="Training Hours (This Quarter)",
        compute="_compute_aftersales_training_hours",
        groups=PUBLIC_SCORECARD_GROUPS,
    )

    @api.depends_context("uid", "tz")
    def _compute_aftersales_training_hours(self):
        shown = self._aftersales_scorecard_shown()
        # Checked just above, as the scorecard's other figures.
        private = self.env["hr.employee"].sudo().browse(shown.ids)
        hours = dict(zip(shown, private.mapped("aftersales_quarter_training_hours"), strict=True))
        for employee in self:
            employee.aftersales_quarter_training_hours = hours.get(employee, 0.0)
