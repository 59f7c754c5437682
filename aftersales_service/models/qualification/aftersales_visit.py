from odoo import fields, models


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    customer_training = fields.Boolean(
        related="ticket_id.category_id.customer_training", string="Customer Training"
    )
    trainee_ids = fields.One2many(
        "aftersales.visit.trainee", "visit_id", string="Trained Operators"
    )

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"trainee_ids"}
        return writable
