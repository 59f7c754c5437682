from odoo import fields, models


class AftersalesEvaluation(models.Model):
    _inherit = "aftersales.evaluation"  # pylint: disable=consider-merging-classes-inherited

    # Informative: the score's weights stay the five of the company settings.
    survey_score = fields.Float(
        string="Survey Score (1-5)",
        readonly=True,
        aggregator=False,
        help="Average of the satisfaction questionnaires answered for the period's tickets.",
    )
    survey_count = fields.Integer(string="Surveys Answered", readonly=True)
