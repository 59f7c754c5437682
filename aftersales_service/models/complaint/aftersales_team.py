from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"  # pylint: disable=consider-merging-classes-inherited

    # A second alias, next to the tickets' one: e-mails to it become complaints of the team.
    complaint_alias_id = fields.Many2one(
        "mail.alias",
        string="Complaint Alias Record",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    complaint_alias_name = fields.Char(
        string="Complaint Alias",
        compute="_compute_complaint_alias_name",
        inverse="_inverse_complaint_alias_name",
        help="E-mails to this address become complaints of the team.",
    )

    @api.depends("complaint_alias_id.alias_name")
    def _compute_complaint_alias_name(self):
        for team in self:
            team.complaint_alias_name = team.complaint_alias_id.alias_name

    def _inverse_complaint_alias_name(self):
        Alias = self.env["mail.alias"].sudo()
        for team in self:
            name = (team.complaint_alias_name or "").strip()
            if team.complaint_alias_id:
                team.complaint_alias_id.sudo().write({"alias_name": name or False})
                continue
            if not name:
                continue
            if name == team.alias_name:
                raise UserError(
                    _("The complaint alias of %s must differ from its ticket alias.", team.name)
                )
            alias = Alias.create(
                {
                    "alias_name": name,
                    "alias_model_id": self.env["ir.model"]._get_id("aftersales.complaint"),
                    "alias_parent_model_id": self.env["ir.model"]._get_id("aftersales.team"),
                    "alias_parent_thread_id": team.id,
                    "alias_domain_id": team.alias_domain_id.id
                    or team.company_id.alias_domain_id.id,
                    "alias_defaults": repr({"team_id": team.id, "company_id": team.company_id.id}),
                    "alias_contact": "everyone",
                }
            )
            team.sudo().write({"complaint_alias_id": alias.id})

    def unlink(self):
        aliases = self.complaint_alias_id
        res = super().unlink()
        aliases.sudo().unlink()
        return res

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"complaint_alias_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"complaint_alias_name"}
        return writable
