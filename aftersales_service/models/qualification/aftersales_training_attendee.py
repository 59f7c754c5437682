from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesTrainingAttendee(models.Model):
    _name = "aftersales.training.attendee"
    _description = "Training Attendee"
    _inherit = ["aftersales.guard.mixin"]
    _order = "training_id, id"

    training_id = fields.Many2one(
        "aftersales.training", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="training_id.company_id", store=True)
    employee_id = fields.Many2one("hr.employee", string="Technician", required=True, index=True)
    user_id = fields.Many2one(related="employee_id.user_id", string="User", store=True)
    date = fields.Date(related="training_id.date", store=True)
    hours = fields.Float(related="training_id.hours", store=True)
    training_state = fields.Selection(related="training_id.state", store=True, string="Status")
    score = fields.Float(string="Exam Score")
    passed = fields.Boolean(
        compute="_compute_passed",
        store=True,
        readonly=False,
        help="Reaching the pass mark ticks it; the manager may decide otherwise.",
    )

    _sql_constraints = [
        (
            "employee_training_uniq",
            "unique (training_id, employee_id)",
            "This technician is already an attendee of this training.",
        ),
    ]

    @api.depends("score", "training_id.pass_score")
    def _compute_passed(self):
        for attendee in self:
            attendee.passed = attendee.score >= attendee.training_id.pass_score

    @api.constrains("score")
    def _check_score(self):
        for attendee in self:
            if not 0 <= attendee.score <= 100:
                raise ValidationError(
                    _("The exam score of %s is between 0 and 100.", attendee.employee_id.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        trainings = self.env["aftersales.training"].browse(
            [vals.get("training_id") for vals in vals_list]
        )
        trainings.exists()._check_state(["draft"], self.env._("changed"))
        return super().create(vals_list)

    def write(self, vals):
        self.training_id._check_state(["draft"], self.env._("changed"))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"training_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"employee_id", "score", "passed"}
        return writable
