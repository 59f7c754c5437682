from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    aftersales_approval_limit = fields.Monetary(
        string="Fee Waiver Limit",
        currency_field="aftersales_limit_currency_id",
        help="Largest fee waiver or discount this user may approve, in company currency. "
        "The user's groups may grant a higher one.",
    )
    aftersales_limit_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Fee Waiver Limit Currency"
    )

    def _aftersales_approval_limit(self):
        """The highest of the user's own limit and their groups' limits."""
        self.ensure_one()
        group_limits = self.sudo().groups_id.mapped("aftersales_approval_limit")
        return max([self.sudo().aftersales_approval_limit, *group_limits])

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any(vals.get("tz") for vals in vals_list):
            users._aftersales_time_zones_changed()
        return users

    def write(self, vals):
        res = super().write(vals)
        if vals.get("tz"):
            self._aftersales_time_zones_changed()
        return res

    def _aftersales_time_zones_changed(self):
        # The KPI report groups months in each user's zone: a zone that appears after the
        # install gets its planner statistics too.
        self.env["aftersales.ticket"].sudo()._create_kpi_month_statistics()
