from odoo import fields, models


class AftersalesTicketWarrantyOverride(models.TransientModel):
    _name = "aftersales.ticket.warranty.override"
    _description = "Override a Ticket's Warranty Status"

    ticket_id = fields.Many2one("aftersales.ticket", required=True)
    warranty_state = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty")], required=True
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_override_warranty(self.warranty_state, self.reason)
        return {"type": "ir.actions.act_window_close"}
