from odoo import api, fields, models


class AftersalesTicketAssign(models.TransientModel):
    _name = "aftersales.ticket.assign"
    _description = "Dispatch Service Tickets"

    ticket_ids = fields.Many2many("aftersales.ticket", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    team_id = fields.Many2one(
        "aftersales.team",
        domain="[('company_id', '=', company_id)]",
    )
    technician_id = fields.Many2one(
        "hr.employee",
        required=True,
        domain="[('id', 'in', allowed_technician_ids)]",
    )
    allowed_technician_ids = fields.Many2many(
        "hr.employee", compute="_compute_allowed_technician_ids"
    )
    date_deadline = fields.Datetime(string="Deadline", help="Leave empty for the company default.")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.ticket":
            tickets = self.env["aftersales.ticket"].browse(self.env.context.get("active_ids", []))
            res["ticket_ids"] = [fields.Command.set(tickets.ids)]
            if len(tickets.team_id) == 1:
                res["team_id"] = tickets.team_id.id
        return res

    @api.depends("ticket_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.ticket_ids.company_id[:1] or self.env.company

    @api.depends("team_id", "company_id")
    def _compute_allowed_technician_ids(self):
        for wizard in self:
            if wizard.team_id:
                wizard.allowed_technician_ids = wizard.team_id.member_ids.filtered("user_id")
            else:
                wizard.allowed_technician_ids = self.env["hr.employee"].search(
                    [("user_id", "!=", False), ("company_id", "=", wizard.company_id.id)]
                )

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.technician_id and self.technician_id not in self.allowed_technician_ids:
            self.technician_id = False

    def action_assign(self):
        self.ensure_one()
        if self.team_id:
            self.ticket_ids.filtered(lambda t: t.team_id != self.team_id).write(
                {"team_id": self.team_id.id}
            )
        self.ticket_ids.action_assign(self.technician_id, deadline=self.date_deadline)
        return {"type": "ir.actions.act_window_close"}
