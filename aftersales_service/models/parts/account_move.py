from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "in_refund")
        if refunds:
            self.env["aftersales.supplier.claim"]._recover_from_credit_notes(refunds)
        return posted
