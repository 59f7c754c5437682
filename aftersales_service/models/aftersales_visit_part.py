from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesVisitPart(models.Model):
    _name = "aftersales.visit.part"
    _description = "Part Used on a Visit"
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

    def write(self, vals):
        if self.filtered("move_id"):
            raise ValidationError(_("These parts were already taken out of stock."))
        return super().write(vals)
