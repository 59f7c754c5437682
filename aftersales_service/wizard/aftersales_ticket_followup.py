from odoo import fields, models


class AftersalesTicketFollowupWizard(models.TransientModel):
    _name = "aftersales.ticket.followup"
    _description = "Record a Return Visit"

    ticket_id = fields.Many2one("aftersales.ticket", required=True)
    outcome = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("not_satisfied", "Not Satisfied (reopen)"),
            ("unreachable", "Unreachable"),
        ],
        required=True,
        default="satisfied",
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_record_followup(self.outcome, self.note)
        return {"type": "ir.actions.act_window_close"}
