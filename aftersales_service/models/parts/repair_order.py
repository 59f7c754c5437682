from odoo import models


class RepairOrder(models.Model):
    _inherit = "repair.order"  # pylint: disable=consider-merging-classes-inherited

    def action_repair_done(self):
        res = super().action_repair_done()
        # Every part put in on a ticket's repair has a broken one to bring back.
        self.env["aftersales.defective.return"]._expect_from_repairs(
            self.filtered(lambda r: r.state == "done")
        )
        return res
