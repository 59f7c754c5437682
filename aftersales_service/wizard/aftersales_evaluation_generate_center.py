from odoo import fields, models


class AftersalesEvaluationGenerate(models.TransientModel):
    _inherit = "aftersales.evaluation.generate"

    evaluated = fields.Selection(
        selection_add=[("center", "Service Centres")], ondelete={"center": "cascade"}
    )
