from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesVisitPart(models.Model):
    _name = "aftersales.visit.part"
    _description = "Part Used on a Visit"
    _inherit = ["aftersales.guard.mixin"]
    _order = "id"

    visit_id = fields.Many2one("aftersales.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, domain="[('type', '=', 'consu')]"
    )
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", domain="[('product_id', '=', product_id)]"
    )
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True, copy=False)

    @api.onchange("product_id")
    def _onchange_product_id_van_lot(self):
        """A tracked part from the van: its serial is the one in the van (when there is
        a single one, or the first of several), not typed in."""
        visit = self.visit_id._origin
        if not self.product_id or self.product_id.tracking == "none" or not visit:
            return
        van_lots = [lot for lot in visit._van_stock().get(self.product_id._origin, {}) if lot]
        if self.lot_id not in van_lots:
            self.lot_id = van_lots[0] if van_lots else False

    @api.constrains("quantity", "lot_id", "product_id")
    def _check_part(self):
        for part in self:
            if part.quantity <= 0:
                raise ValidationError(
                    _("The quantity of %s must be positive.", part.product_id.display_name)
                )
            part.lot_id._aftersales_check_product(part.product_id)
            if part.product_id.tracking == "serial" and part.quantity != 1 and part.lot_id:
                raise ValidationError(
                    _("Serial number %s is one unit: record one line per serial.", part.lot_id.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        visits = self.env["aftersales.visit"].browse([v.get("visit_id") for v in vals_list])
        visits.exists()._check_parts_open()
        return super().create(vals_list)

    def write(self, vals):
        if self.filtered("move_id"):
            raise ValidationError(_("These parts were already taken out of stock."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_consumed(self):
        if self.filtered("move_id"):
            raise ValidationError(_("These parts were already taken out of stock."))
        self.visit_id._check_parts_open()

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"visit_id"}

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"move_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"product_id", "lot_id", "quantity"}
        return writable

    def _aftersales_assignee_users(self):
        return self.visit_id.technician_ids.user_id
