from odoo import Command, api, fields, models

from ..models.qualification.aftersales_qualification import LEVELS


class AftersalesTicketAssignSuggestion(models.TransientModel):
    """A ranked technician for the ticket being dispatched, with the reasons."""

    _name = "aftersales.ticket.assign.suggestion"
    _description = "Dispatch Suggestion"
    _order = "sequence, id"

    wizard_id = fields.Many2one("aftersales.ticket.assign", required=True, ondelete="cascade")
    sequence = fields.Integer(string="Rank", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    eligible = fields.Boolean(readonly=True)
    qualified = fields.Boolean(readonly=True)
    qualification_level = fields.Selection(LEVELS, string="Level", readonly=True)
    score = fields.Integer(readonly=True)
    open_ticket_count = fields.Integer(string="Open Tickets", readonly=True)
    can_meet_arrival = fields.Boolean(string="On Site in Time", readonly=True)
    reasons = fields.Text(readonly=True)

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


class AftersalesTicketAssign(models.TransientModel):
    _inherit = "aftersales.ticket.assign"  # pylint: disable=consider-merging-classes-inherited

    dispatch_mode = fields.Selection(related="team_id.dispatch_mode")
    suggestion_ids = fields.One2many(
        "aftersales.ticket.assign.suggestion",
        "wizard_id",
        string="Suggestions",
        compute="_compute_suggestion_ids",
        store=True,
        readonly=True,
    )
    technician_unqualified = fields.Boolean(compute="_compute_technician_unqualified")
    override_reason = fields.Text(
        string="Reason for an Unqualified Technician",
        help="The chosen technician holds no valid qualification for the product: say why "
        "they go anyway. The reason is logged on the ticket and counted.",
    )

    @api.depends("ticket_ids", "date_deadline", "team_id")
    def _compute_suggestion_ids(self):
        for wizard in self:
            tickets = wizard.ticket_ids._origin
            commands = [Command.clear()]
            if len(tickets) == 1 and (wizard.team_id.dispatch_mode or "suggest") != "manual":
                ranked = tickets._aftersales_suggest_technicians(
                    deadline=wizard.date_deadline, include_excluded=True
                )
                commands += [
                    Command.create(
                        {
                            "sequence": c["sequence"],
                            "technician_id": c["technician_id"],
                            "eligible": c["eligible"],
                            "qualified": c["qualified"],
                            "qualification_level": c["qualification_level"],
                            "score": c["score"],
                            "open_ticket_count": c["open_ticket_count"],
                            "can_meet_arrival": c["can_meet_arrival"],
                            "reasons": "; ".join(c["reasons"]),
                        }
                    )
                    for c in ranked
                ]
            wizard.suggestion_ids = commands

    @api.depends("technician_id", "ticket_ids")
    def _compute_technician_unqualified(self):
        for wizard in self:
            technician = wizard.technician_id._origin
            wizard.technician_unqualified = bool(technician) and any(
                required and not qualified
                for required, _level, qualified in (
                    ticket._aftersales_qualification_of(technician)
                    for ticket in wizard.ticket_ids._origin
                )
            )

    def action_assign(self):
        self.ensure_one()
        return super(
            AftersalesTicketAssign,
            self.with_context(aftersales_dispatch_override_reason=self.override_reason or ""),
        ).action_assign()
