from odoo import fields, models


class AftersalesCategory(models.Model):
    _inherit = "aftersales.category"  # pylint: disable=consider-merging-classes-inherited

    customer_training = fields.Boolean(
        help="Handover or maintenance visits of this category train the customer's "
        "operators: the visit lists them and they sign; the service report prints them.",
    )

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"customer_training"}
        return writable
