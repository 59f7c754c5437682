from odoo import api, fields, models


class AftersalesDefectiveReturn(models.Model):
    """A part removed on a service centre's visit comes back through the centre's
    consignment stock."""

    _inherit = "aftersales.defective.return"

    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        readonly=True,
        index="btree_not_null",
        help="The centre that removed the part and returns it from its consignment stock.",
    )

    @api.model
    def _expect_from_repairs(self, repairs):
        returns = super()._expect_from_repairs(repairs)
        for defective in returns.sudo().filtered("visit_id.service_center_id"):
            defective.service_center_id = defective.visit_id.service_center_id
        return returns

    def _collection_location(self):
        self.ensure_one()
        location = self.sudo().service_center_id.aftersales_consignment_location_id
        return location or super()._collection_location()

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"service_center_id"}
