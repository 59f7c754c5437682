from odoo import fields, models


class AftersalesWarrantyExtension(models.Model):
    _name = "aftersales.warranty.extension"
    _description = "Warranty Extension"
    _inherit = ["aftersales.guard.mixin"]
    _order = "id"

    warranty_id = fields.Many2one(
        "aftersales.warranty", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="warranty_id.company_id", store=True)
    months = fields.Integer(required=True)
    sale_line_id = fields.Many2one("sale.order.line", string="Sold On", index="btree_not_null")
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", string="Sale Order")
    date = fields.Date(default=fields.Date.context_today, string="Extended On")

    _sql_constraints = [
        ("months_positive", "CHECK (months > 0)", "An extension adds at least one month."),
    ]

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # Extensions come from a sale (or a manager's action_extend), never typed in.
        return super()._aftersales_method_fields() | {
            "warranty_id",
            "months",
            "sale_line_id",
            "date",
        }
