from odoo import fields, models


class AftersalesTicketAssignLine(models.TransientModel):
    """A technician the dispatcher may choose, with how busy they are."""

    _name = "aftersales.ticket.assign.line"
    _description = "Dispatch Candidate"
    _order = "id"

    wizard_id = fields.Many2one("aftersales.ticket.assign", required=True, ondelete="cascade")
    technician_id = fields.Many2one("hr.employee", readonly=True)
    open_ticket_count = fields.Integer(string="Open Tickets", readonly=True)
    free_from = fields.Datetime(
        readonly=True, help="The end of their last planned visit, or now when they have none."
    )
    arrival_deadline = fields.Datetime(string="Arrival Due", readonly=True)
    can_meet_arrival = fields.Boolean(
        string="On Site in Time",
        readonly=True,
        help="Free before the arrival deadline of the tickets.",
    )

    def action_choose(self):
        """Pick this technician: the dispatch dialog stays open to confirm."""
        self.ensure_one()
        self.wizard_id.technician_id = self.technician_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispatch"),
            "res_model": self.wizard_id._name,
            "res_id": self.wizard_id.id,
            "view_mode": "form",
            "target": "new",
        }
