from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesServiceAgreementRate(models.Model):
    """What one job of a kind (installation, repair, inspection: the ticket category) pays
    the centre."""

    _name = "aftersales.service.agreement.rate"
    _description = "Service Centre Job Rate"
    _inherit = ["aftersales.guard.mixin"]
    _order = "agreement_id, id"
    _sql_constraints = [
        (
            "category_uniq",
            "UNIQUE (agreement_id, category_id)",
            "An agreement has one rate per job type.",
        ),
    ]

    agreement_id = fields.Many2one(
        "aftersales.service.agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    currency_id = fields.Many2one(related="agreement_id.currency_id")
    category_id = fields.Many2one("aftersales.category", string="Job Type", required=True)
    amount = fields.Monetary(string="Rate per Job", required=True)

    @api.constrains("amount")
    def _check_amount(self):
        for rate in self:
            if rate.amount < 0:
                raise ValidationError(
                    _("The rate of %(job)s cannot be negative.", job=rate.category_id.name)
                )

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"agreement_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"category_id", "amount"}
        return writable
