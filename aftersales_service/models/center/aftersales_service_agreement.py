from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesServiceAgreement(models.Model):
    """The agreement with an authorized service centre (特约维修点) or an outsourced service
    provider: where and on what it may work, what a job pays, and the documents it must
    keep valid."""

    _name = "aftersales.service.agreement"
    _description = "Service Centre Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        required=True,
        index=True,
        tracking=True,
        domain="[('aftersales_is_service_center', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    date_start = fields.Date(string="Valid From", required=True, tracking=True)
    date_end = fields.Date(string="Valid Until", required=True, tracking=True)
    zone_ids = fields.Many2many(
        "aftersales.zone", string="Service Zones", help="The zones the centre covers."
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The products the centre may service (sub-categories included).",
    )
    hourly_rate = fields.Monetary(
        tracking=True, help="Labour paid per hour of work on site, on top of the job rate."
    )
    rate_ids = fields.One2many(
        "aftersales.service.agreement.rate", "agreement_id", string="Job Rates", copy=True
    )
    travel_ids = fields.One2many(
        "aftersales.service.agreement.travel",
        "agreement_id",
        string="Travel Allowances",
        copy=True,
    )
    document_ids = fields.One2many(
        "aftersales.service.agreement.document", "agreement_id", string="Documents"
    )
    note = fields.Html(string="Terms")

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end < agreement.date_start:
                raise ValidationError(
                    _(
                        "Agreement %(name)s ends before it starts.",
                        name=agreement.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_is_center(self):
        for agreement in self:
            if not agreement.partner_id.aftersales_is_service_center:
                raise ValidationError(
                    _(
                        "%(partner)s is not a service centre: tick “Service Centre” on the "
                        "contact first.",
                        partner=agreement.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"partner_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "date_start",
            "date_end",
            "zone_ids",
            "product_category_ids",
            "hourly_rate",
            "rate_ids",
            "travel_ids",
            "document_ids",
            "note",
        }
        return writable

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.active and self.date_start <= day <= self.date_end

    def _job_rate(self, category):
        """What one job of this ticket category pays (0 when the agreement has no rate)."""
        self.ensure_one()
        rate = self.rate_ids.filtered(lambda line: line.category_id == category)[:1]
        return rate.amount

    def _travel_allowance(self, zone):
        """The travel allowance of one visit in this service zone."""
        self.ensure_one()
        travel = self.travel_ids.filtered(lambda line: line.zone_id == zone)[:1]
        return travel.amount
