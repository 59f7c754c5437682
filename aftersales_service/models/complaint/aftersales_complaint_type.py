from odoo import fields, models


class AftersalesComplaintType(models.Model):
    _name = "aftersales.complaint.type"
    _description = "Complaint Type"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    about_product = fields.Boolean(
        string="Product Quality",
        help="Complaints of this type are about the product itself: they appear in the "
        "quality feedback sent to production, QA and R&D.",
    )
    penalty_rule_id = fields.Many2one(
        "aftersales.penalty.rule",
        string="Proposed Sanction",
        check_company=True,
        domain="[('kind', '=', 'penalty')]",
        help="Proposed, as a draft a manager confirms, to each employee held responsible "
        "for a substantiated complaint of this type.",
    )
    description = fields.Text(translate=True, help="What the regulations say about it.")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "A complaint type with this code already exists.",
        ),
    ]

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "code",
            "sequence",
            "active",
            "about_product",
            "penalty_rule_id",
            "description",
        }
        return writable
