from odoo import fields, models


class AftersalesPenalty(models.Model):
    _inherit = "aftersales.penalty"  # pylint: disable=consider-merging-classes-inherited

    complaint_id = fields.Many2one(
        "aftersales.complaint",
        index="btree_not_null",
        check_company=True,
        help="The substantiated complaint this sanction was proposed for.",
    )

    def init(self):
        res = super().init()
        # One proposal per complaint and employee, even when two managers verify at once.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_penalty_complaint_once
            ON aftersales_penalty (complaint_id, employee_id)
            WHERE complaint_id IS NOT NULL
            """
        )
        return res

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"complaint_id"}
