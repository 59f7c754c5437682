from odoo import models


class RepairOrder(models.Model):
    _inherit = "repair.order"  # pylint: disable=consider-merging-classes-inherited

    def action_repair_done(self):
        res = super().action_repair_done()
        self.env["aftersales.ticket"]._aftersales_update_costs_of(self.aftersales_ticket_id.ids)
        return res
