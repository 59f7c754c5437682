from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesWarrantyExtensionAssign(models.TransientModel):
    _name = "aftersales.warranty.extension.assign"
    _description = "Assign an Extended Warranty to Registrations"

    sale_line_id = fields.Many2one("sale.order.line", required=True, readonly=True)
    partner_id = fields.Many2one(related="sale_line_id.order_id.partner_id")
    months = fields.Integer(related="sale_line_id.product_id.aftersales_extension_months")
    remaining = fields.Integer(related="sale_line_id.aftersales_extension_remaining")
    candidate_ids = fields.Many2many(
        "aftersales.warranty", compute="_compute_candidate_ids", string="Candidates"
    )
    warranty_ids = fields.Many2many(
        "aftersales.warranty",
        string="Registrations to Extend",
        domain="[('id', 'in', candidate_ids)]",
    )

    @api.depends("sale_line_id")
    def _compute_candidate_ids(self):
        Warranty = self.env["aftersales.warranty"]
        for wizard in self:
            line = wizard.sale_line_id
            wizard.candidate_ids = Warranty.search(
                [
                    (
                        "commercial_partner_id",
                        "=",
                        line.order_id.partner_id.commercial_partner_id.id,
                    ),
                    ("is_void", "=", False),
                    ("id", "not in", line.aftersales_extension_ids.warranty_id.ids),
                ]
            ).filtered(lambda w: w.state not in ("expired", "void"))

    def action_assign(self):
        self.ensure_one()
        if not self.warranty_ids:
            raise UserError(_("Choose the registrations this extended warranty is for."))
        if len(self.warranty_ids) > self.remaining:
            raise UserError(
                _(
                    "This line sells %(remaining)s extension(s); "
                    "you chose %(chosen)s registrations.",
                    remaining=self.remaining,
                    chosen=len(self.warranty_ids),
                )
            )
        if self.warranty_ids - self.candidate_ids:
            raise UserError(_("Choose among the customer's current registrations."))
        # Sales users extend through the wizard without after-sales write rights.
        self.warranty_ids.sudo().action_extend(self.months, sale_line=self.sale_line_id)
        return {"type": "ir.actions.act_window_close"}
