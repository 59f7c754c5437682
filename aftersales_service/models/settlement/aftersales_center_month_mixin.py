from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..kpi.kpi_period import period_bounds, period_domain


class AftersalesCenterMonthMixin(models.AbstractModel):
    """A service centre's record for one month (material reconciliation, settlement): the
    centre, the month (any day given is taken as its first; by default last month) and
    the month's moments in the company's zone."""

    _name = "aftersales.center.month.mixin"
    _description = "Service Centre Month"
    _inherit = ["aftersales.guard.mixin"]

    partner_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        required=True,
        index=True,
        tracking=True,
        domain="[('aftersales_is_service_center', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: period_bounds(
            "month", fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        )[0],
        help="Any day of the month: the record covers the whole month.",
    )
    date_to = fields.Date(string="Until", compute="_compute_date_to", store=True)

    @api.depends("date_from")
    def _compute_date_to(self):
        for record in self:
            record.date_to = period_bounds("month", record.date_from)[1]

    @api.constrains("partner_id")
    def _check_center(self):
        for record in self:
            if not record.partner_id.aftersales_is_service_center:
                raise ValidationError(
                    _("%s is not a service centre.", record.partner_id.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_from"):
                day = fields.Date.to_date(vals["date_from"])
                vals["date_from"] = period_bounds("month", day)[0]
        return super().create(vals_list)

    def _center_month_label(self):
        self.ensure_one()
        return self.date_from.strftime("%Y-%m") if self.date_from else ""

    def _center_month_domain(self, field):
        """``field`` (a datetime) within the month, days of the company's zone."""
        self.ensure_one()
        return period_domain(field, self.date_from, self.date_to, self.company_id._aftersales_tz())

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"partner_id", "date_from"}
