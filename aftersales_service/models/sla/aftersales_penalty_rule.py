from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesPenaltyRule(models.Model):
    _name = "aftersales.penalty.rule"
    _description = "Penalty or Reward Rule"
    _inherit = ["aftersales.guard.mixin"]
    _order = "kind, sequence, id"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("penalty", "Penalty"), ("reward", "Reward")], required=True, default="penalty"
    )
    amount = fields.Monetary(currency_field="currency_id", help="In company currency.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    points = fields.Float()
    auto_trigger = fields.Selection(
        [
            ("none", "Recorded by a Manager"),
            ("late_arrival", "Late Arrival"),
            ("incomplete_report", "Incomplete Service Report"),
        ],
        required=True,
        default="none",
        help="Late arrivals and incomplete reports are raised by the system, as drafts.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("code_company_uniq", "unique (code, company_id)", "A rule with this code already exists."),
    ]

    @api.constrains("amount", "points")
    def _check_amount(self):
        for rule in self:
            if rule.amount < 0 or rule.points < 0:
                raise ValidationError(
                    _(
                        "Rule %s: amount and points are positive; the kind says penalty or reward.",
                        rule.name,
                    )
                )

    @api.model
    def _auto_rules(self, trigger):
        return self.search([("auto_trigger", "=", trigger)])

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "sequence",
            "amount",
            "auto_trigger",
            "code",
            "kind",
            "points",
        }
        return writable
