import ast

from odoo import api, fields, models


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "After-Sales Team"
    _inherit = ["mail.thread", "mail.alias.mixin.optional", "aftersales.guard.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    leader_id = fields.Many2one(
        "hr.employee",
        string="Team Leader",
        tracking=True,
        check_company=True,
        domain="[('user_id', '!=', False)]",
    )
    member_ids = fields.Many2many(
        "hr.employee",
        "aftersales_team_employee_rel",
        "team_id",
        "employee_id",
        string="Technicians",
        check_company=True,
        domain="[('user_id', '!=', False)]",
    )
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    @api.depends("ticket_ids.state")
    def _compute_open_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("state", "in", self.env["aftersales.ticket"]._OPEN_STATES),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._add_leader_to_members()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "leader_id" in vals or "member_ids" in vals:
            self._add_leader_to_members()
        return res

    def _add_leader_to_members(self):
        # A leader who is not a member would not see the team's tickets.
        for team in self.filtered(lambda t: t.leader_id and t.leader_id not in t.member_ids):
            team.member_ids = [fields.Command.link(team.leader_id.id)]

    def _alias_get_creation_values(self):
        # E-mails to the team's alias become tickets of the team.
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("aftersales.ticket")
        if self.id:
            defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults.update({"team_id": self.id, "company_id": self.company_id.id})
            values["alias_defaults"] = repr(defaults)
        return values

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_view_tickets(
            [("team_id", "=", self.id)],
            {"default_team_id": self.id, "search_default_filter_open": 1},
        )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "color",
            "sequence",
            "leader_id",
            "member_ids",
            "alias_name",
            "alias_domain_id",
        }
        return writable

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"ticket_ids"}
