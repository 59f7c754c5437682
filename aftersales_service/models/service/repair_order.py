from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", check_company=True
    )
    aftersales_visit_id = fields.Many2one(
        "aftersales.visit", string="Visit", index="btree_not_null"
    )

    def action_create_sale_order(self):
        # The repair's own quotation counts as the ticket's paid-service quotation.
        action = super().action_create_sale_order()
        for repair in self.filtered("aftersales_ticket_id"):
            repair.sale_order_id.aftersales_ticket_id = repair.aftersales_ticket_id
        return action
