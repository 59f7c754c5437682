from odoo import models


class AftersalesApprovalMixin(models.AbstractModel):
    _inherit = "aftersales.approval.mixin"

    def _approval_decide(self, state, **extra):
        res = super()._approval_decide(state, **extra)
        # Fund drawings and fee waivers are ticket costs once approved.
        if "ticket_id" in self._fields:
            self.env["aftersales.ticket"]._aftersales_update_costs_of(self.sudo().ticket_id.ids)
        return res
