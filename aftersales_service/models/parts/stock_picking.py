from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"  # pylint: disable=consider-merging-classes-inherited

    def _action_done(self):
        res = super()._action_done()
        # Validated from the van or from the Inventory app alike: the request is received.
        done = self.filtered(lambda p: p.state == "done")
        if done:
            requests = (
                self.env["aftersales.part.request"]
                .sudo()
                .search([("picking_id", "in", done.ids), ("state", "=", "approved")])
            )
            requests._close_received()
        return res
