from odoo import _, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    aftersales_reconciliation_target = fields.Float(
        string="Material Reconciliation Accuracy Target (%)",
        default=98.0,
        help="The share of the parts a service centre must account for in each monthly "
        "material reconciliation: 1 - the sum of the differences / the parts it held.",
    )
    aftersales_reconciliation_days = fields.Integer(
        string="Material Reconciliation Due In (Days)",
        default=10,
        help="Days after the end of the month by which the centres' material reconciliations "
        "must be closed.",
    )
    aftersales_center_location_id = fields.Many2one(
        "stock.location",
        string="Service Centres Location",
        help="The parent of the service centres' consignment stock; created beside the first "
        "warehouse's stock when empty.",
    )

    def _aftersales_center_location(self):
        """The company's "Service Centres" parent location of the consignment stock."""
        return self._aftersales_location(
            "aftersales_center_location_id", _("Service Centres"), usage="view"
        )
