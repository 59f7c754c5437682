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
