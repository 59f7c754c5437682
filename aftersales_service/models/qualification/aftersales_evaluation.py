from odoo import api, fields, models


class AftersalesEvaluation(models.Model):
    _inherit = "aftersales.evaluation"  # pylint: disable=consider-merging-classes-inherited

    training_hours = fields.Float(
        compute="_compute_training_hours",
        help="Hours of the done training sessions the technician attended in the period.",
    )

    @api.depends("employee_id", "date_from", "date_to")
    def _compute_training_hours(self):
        Attendee = self.env["aftersales.training.attendee"].sudo()
        for evaluation in self:
            if not evaluation.employee_id or not evaluation.date_from:
                evaluation.training_hours = 0.0
                continue
            groups = Attendee._read_group(
                [
                    ("employee_id", "=", evaluation.employee_id.id),
                    ("training_state", "=", "done"),
                    ("date", ">=", evaluation.date_from),
                    ("date", "<=", evaluation.date_to),
                ],
                [],
                ["hours:sum"],
            )
            evaluation.training_hours = groups[0][0] if groups else 0.0
