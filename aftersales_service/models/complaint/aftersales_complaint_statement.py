from odoo import api, fields, models


class AftersalesComplaintStatement(models.Model):
    """The side of the story of an employee a complaint is about, given before the
    verdict through the complaint's *My Statement* button."""

    _name = "aftersales.complaint.statement"
    _description = "Complaint Statement"
    _inherit = ["aftersales.guard.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "aftersales.complaint", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="complaint_id.company_id", store=True, index=True, string="Company"
    )
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    employee_user_id = fields.Many2one(
        related="employee_id.user_id", store=True, string="Employee User"
    )
    statement = fields.Text(required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        (
            "complaint_employee_uniq",
            "unique (complaint_id, employee_id)",
            "An employee gives one statement per complaint.",
        ),
    ]

    @api.depends("employee_id")
    def _compute_display_name(self):
        for statement in self:
            statement.display_name = statement.employee_id.name or ""

    def _aftersales_method_fields(self):
        # Given through the complaint's action_submit_statement, which checks who and when.
        return super()._aftersales_method_fields() | {"statement", "date"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"complaint_id", "employee_id"}
