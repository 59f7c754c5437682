from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesServiceAgreementTravel(models.Model):
    """The travel allowance a centre earns for one visit in a service zone."""

    _name = "aftersales.service.agreement.travel"
    _description = "Service Centre Travel Allowance"
    _inherit = ["aftersales.guard.mixin"]
    _order = "agreement_id, id"
    _sql_constraints = [
        (
            "zone_uniq",
            "UNIQUE (agreement_id, zone_id)",
            "An agreement has one travel allowance per zone.",
        ),
    ]

    agreement_id = fields.Many2one(
        "aftersales.service.agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    zone_id = fields.Many2one("aftersales.zone", string="Service Zone", required=True)
    amount = fields.Monetary(string="Allowance per Visit", required=True)

    @api.constrains("amount")
    def _check_amount(self):
        for travel in self:
            if travel.amount < 0:
                raise ValidationError(
                    _(
                        "The travel allowance of %(zone)s cannot be negative.",
                        zone=travel.zone_id.name,
                    )
                )

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"agreement_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"zone_id", "amount"}
        return writable
