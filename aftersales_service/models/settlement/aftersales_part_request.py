from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError


class AftersalesPartRequest(models.Model):
    """A parts request can restock a service centre's consignment stock instead of a
    technician's van: the same approval and the same real transfer."""

    _inherit = "aftersales.part.request"

    # A centre's request has no technician.
    employee_id = fields.Many2one(required=False)
    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        index="btree_not_null",
        tracking=True,
        domain="[('aftersales_is_service_center', '=', True)]",
        help="Ship the parts to this centre's consignment stock instead of a technician's van.",
    )

    @api.depends("service_center_id")
    def _compute_locations(self):
        res = super()._compute_locations()
        for request in self.filtered("service_center_id"):
            request.location_dest_id = (
                request.service_center_id.sudo().aftersales_consignment_location_id
            )
        return res

    @api.constrains("employee_id", "service_center_id")
    def _check_van(self):
        centers = self.filtered("service_center_id")
        for request in self - centers:
            if not request.employee_id:
                raise ValidationError(
                    _("A parts request goes to a technician's van or to a service centre.")
                )
        res = super(AftersalesPartRequest, self - centers)._check_van()
        for request in centers:
            if not request.location_dest_id:
                raise ValidationError(
                    _(
                        "%s has no consignment stock: create it on the service centre before "
                        "sending it parts.",
                        request.service_center_id.display_name,
                    )
                )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("service_center_id"):
                if not self._aftersales_has_role("user"):
                    raise AccessError(_("Only customer service sends parts to service centres."))
                # The centre's stock, not the requester's van.
                vals["employee_id"] = False
        return super().create(vals_list)

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"service_center_id"}
