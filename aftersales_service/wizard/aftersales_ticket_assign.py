from odoo import Command, api, fields, models


class AftersalesTicketAssign(models.TransientModel):
    _name = "aftersales.ticket.assign"
    _description = "Dispatch Service Tickets"

    ticket_ids = fields.Many2many("aftersales.ticket", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    team_id = fields.Many2one(
        "aftersales.team",
        domain="[('company_id', '=', company_id)]",
    )
    # Not required: a candidate line's Choose button saves the dialog before a technician
    # is picked; dispatching without one says so.
    technician_id = fields.Many2one(
        "hr.employee",
        domain="[('id', 'in', allowed_technician_ids)]",
    )
    allowed_technician_ids = fields.Many2many(
        "hr.employee", compute="_compute_allowed_technician_ids"
    )
    date_deadline = fields.Datetime(string="Deadline", help="Leave empty for the company default.")
    candidate_ids = fields.One2many(
        "aftersales.ticket.assign.line",
        "wizard_id",
        string="Technicians",
        compute="_compute_candidate_ids",
        store=True,
        readonly=True,
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.ticket":
            tickets = self.env["aftersales.ticket"].browse(self.env.context.get("active_ids", []))
            res["ticket_ids"] = [fields.Command.set(tickets.ids)]
            team = tickets._dispatch_team()
            if team:
                res["team_id"] = team.id
        return res

    @api.depends("ticket_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.ticket_ids.company_id[:1] or self.env.company

    @api.depends("team_id", "company_id")
    def _compute_allowed_technician_ids(self):
        for wizard in self:
            wizard.allowed_technician_ids = self.env["aftersales.ticket"]._dispatch_technicians(
                wizard.team_id, wizard.company_id
            )

    @api.depends("allowed_technician_ids", "date_deadline", "ticket_ids")
    def _compute_candidate_ids(self):
        for wizard in self:
            candidates = wizard.ticket_ids._dispatch_candidates(
                wizard.allowed_technician_ids._origin, wizard.date_deadline
            )
            wizard.candidate_ids = [Command.clear()] + [
                Command.create(values) for values in candidates
            ]

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
