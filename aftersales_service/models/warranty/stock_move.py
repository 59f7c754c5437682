from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        if not self.env.context.get("aftersales_no_warranty_registration"):
            Warranty = self.env["aftersales.warranty"]
            Warranty._void_returns(moves)
            Warranty._register_deliveries(moves)
        return moves

    def _aftersales_set_done_quantity(self, quantity, lot=None):
        """Record what was really consumed, on the given lot when there is one."""
        self.ensure_one()
        if lot:
            self.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                {
                    "move_id": self.id,
                    "product_id": self.product_id.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "product_uom_id": self.product_uom.id,
                    "location_id": self.location_id.id,
                    "location_dest_id": self.location_dest_id.id,
                }
            )
        else:
            self.quantity = quantity
        self.picked = True
