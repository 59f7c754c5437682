from odoo import fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        domain="[('aftersales_is_service_center', '=', True)]",
        help="The authorized service centre the ticket is dispatched to, instead of a technician.",
    )

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"service_center_id"}
