from odoo import fields, models

# The four 1-5 figures of the after-sales questionnaire (《顾客满意度调查表》).
SURVEY_DIMENSIONS = [
    ("timeliness", "Timeliness"),
    ("attitude", "Attitude"),
    ("skill", "Skill"),
    ("result", "Result"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    aftersales_dimension = fields.Selection(
        SURVEY_DIMENSIONS,
        string="After-Sales Figure",
        help="The figure of a service ticket this question scores: the answer's score "
        "(1 very dissatisfied to 5 very satisfied) feeds the KPI report and evaluations.",
    )
