from odoo import fields, models


class AftersalesPenaltyRule(models.Model):
    _inherit = "aftersales.penalty.rule"  # pylint: disable=consider-merging-classes-inherited

    auto_trigger = fields.Selection(
        selection_add=[("defective_overdue", "Defective Part Returned Late")],
        ondelete={"defective_overdue": "set default"},
    )
