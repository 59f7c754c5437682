from odoo import api, fields, models


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    # What the Satisfaction Surveys report averages and groups by, per question.
    aftersales_score = fields.Float(
        string="Satisfaction (1-5)",
        compute="_compute_aftersales_score",
        store=True,
        aggregator="avg",
        help="The answer's score on an after-sales satisfaction question; empty otherwise.",
    )
    aftersales_partner_id = fields.Many2one(
        related="user_input_id.partner_id", string="Customer", store=True
    )

    @api.depends("answer_score", "question_id.aftersales_dimension")
    def _compute_aftersales_score(self):
        for line in self:
            scored = line.question_id.aftersales_dimension and 1 <= line.answer_score <= 5
            line.aftersales_score = line.answer_score if scored else False
