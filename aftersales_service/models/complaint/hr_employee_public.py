from odoo import api, fields, models

# As the public scorecard's other figures: analysts all, technicians their own.
PUBLIC_SCORECARD_GROUPS = (
    "aftersales_service.group_aftersales_analyst,aftersales_service.group_aftersales_technician"
)

COMPLAINT_SCORECARD_FIELDS = [
    "aftersales_month_substantiated_complaints",
    "aftersales_quarter_substantiated_complaints",
]


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"  # pylint: disable=consider-merging-classes-inherited

    aftersales_month_substantiated_complaints = fields.Integer(
        string="Substantiated Complaints (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=PUBLIC_SCORECARD_GROUPS,
    )
    aftersales_quarter_substantiated_complaints = fields.Integer(
        string="Substantiated Complaints (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=PUBLIC_SCORECARD_GROUPS,
    )

    @api.depends_context("uid", "tz")
    def _compute_aftersales_scorecard(self):
        res = super()._compute_aftersales_scorecard()
        shown = self._aftersales_scorecard_shown()
        # Checked just above, as the other figures of the scorecard.
        private = self.env["hr.employee"].sudo().browse(shown.ids)
        for employee in self:
            for fname in COMPLAINT_SCORECARD_FIELDS:
                employee[fname] = 0
        for employee, source in zip(shown, private, strict=True):
            for fname in COMPLAINT_SCORECARD_FIELDS:
                employee[fname] = source[fname]
        return res
