from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesPartRequestLine(models.Model):
    _name = "aftersales.part.request.line"
    _description = "Parts Request Line"
    _inherit = ["aftersales.guard.mixin"]
    _order = "id"

    request_id = fields.Many2one(
        "aftersales.part.request", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, domain="[('is_storable', '=', True)]"
    )
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    amount = fields.Monetary(
        string="Value", compute="_compute_amount", store=True, help="Quantity x cost."
    )

    @api.depends("product_id", "quantity")
    def _compute_amount(self):
        for line in self:
            line.amount = line.quantity * line.product_id.sudo().standard_price

    @api.constrains("quantity", "product_id")
    def _check_line(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    _("The quantity of %s must be positive.", line.product_id.display_name)
                )
            if not line.product_id.is_storable:
                raise ValidationError(
                    _(
                        "%s is not tracked in stock: only stored parts travel to the van.",
                        line.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = self.env["aftersales.part.request"].browse(
            [vals.get("request_id") for vals in vals_list]
        )
        requests.exists()._check_lines_open()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self.request_id._check_lines_open()

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"request_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"product_id", "quantity"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.sudo().request_id._aftersales_is_locked()

    def _aftersales_assignee_users(self):
        return self.request_id.employee_id.user_id
