from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_is_service_center = fields.Boolean(
        string="Service Centre",
        tracking=True,
        help="An authorized service centre or outsourced provider: tickets can be "
        "dispatched to it under its agreement.",
    )
    aftersales_agreement_ids = fields.One2many(
        "aftersales.service.agreement",
        "partner_id",
        string="Service Agreements",
        groups="aftersales_service.group_aftersales_user,"
        "aftersales_service.group_aftersales_analyst",
    )
    aftersales_agreement_id = fields.Many2one(
        "aftersales.service.agreement",
        string="Agreement in Force",
        compute="_compute_aftersales_agreement_id",
        groups="aftersales_service.group_aftersales_user,"
        "aftersales_service.group_aftersales_analyst",
    )

    @api.depends("aftersales_agreement_ids.date_start", "aftersales_agreement_ids.date_end")
    @api.depends_context("company")
    def _compute_aftersales_agreement_id(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.aftersales_agreement_id = partner._aftersales_agreement_on(
                today, self.env.company
            )

    def _aftersales_agreement_on(self, day, company):
        """The centre's agreement in force in ``company`` on ``day`` (the latest started)."""
        self.ensure_one()
        return self.sudo().aftersales_agreement_ids.filtered(
            lambda agreement: agreement.company_id == company and agreement._is_valid_on(day)
        )[:1]
