from odoo import fields, models


class AftersalesCategory(models.Model):
    _name = "aftersales.category"
    _description = "After-Sales Ticket Category"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    onsite_service = fields.Boolean(
        string="On-Site Service",
        default=True,
        help="Tickets of this category may need a technician on site: the SLA arrival target "
        "applies. Untick for remote guidance or complaints.",
    )
    quality_problem = fields.Boolean(
        help="Tickets of this category are defects fed back to production: resolving one "
        "requires who is liable.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the category between companies.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique (name, company_id)",
            "A ticket category with this name already exists.",
        ),
    ]

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "description",
            "onsite_service",
            "quality_problem",
            "sequence",
        }
        return writable
