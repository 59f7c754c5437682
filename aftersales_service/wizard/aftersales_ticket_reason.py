from odoo import api, fields, models


class AftersalesTicketReason(models.TransientModel):
    _name = "aftersales.ticket.reason"
    _description = "Reason for a Ticket Action"

    ticket_ids = fields.Many2many("aftersales.ticket", required=True)
    action = fields.Selection(
        [("cancel", "Cancel"), ("refuse", "Refuse"), ("reopen", "Reopen")],
        required=True,
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.ticket":
            res["ticket_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return res

    def action_confirm(self):
        self.ensure_one()
        method = {
            "cancel": "action_cancel",
            "refuse": "action_refuse",
            "reopen": "action_reopen",
        }[self.action]
        getattr(self.ticket_ids, method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
