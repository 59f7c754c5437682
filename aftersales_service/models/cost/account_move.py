from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _aftersales_invoiced_tickets(self):
        orders = self.sudo().invoice_line_ids.sale_line_ids.order_id
        return orders.aftersales_ticket_id.ids

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        self.env["aftersales.ticket"]._aftersales_update_costs_of(
            posted._aftersales_invoiced_tickets()
        )
        return posted

    def button_draft(self):
        tickets = self._aftersales_invoiced_tickets()
        res = super().button_draft()
        self.env["aftersales.ticket"]._aftersales_update_costs_of(tickets)
        return res

    def button_cancel(self):
        tickets = self._aftersales_invoiced_tickets()
        res = super().button_cancel()
        self.env["aftersales.ticket"]._aftersales_update_costs_of(tickets)
        return res
