from odoo import fields, models


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"

    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The authorized service centre that performs the visit.",
    )

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"service_center_id"}
