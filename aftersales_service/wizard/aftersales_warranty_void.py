from odoo import fields, models


class AftersalesWarrantyVoid(models.TransientModel):
    _name = "aftersales.warranty.void"
    _description = "Void Warranty Registrations"

    warranty_ids = fields.Many2many("aftersales.warranty", required=True)
    reason = fields.Char(required=True)

    def action_void(self):
        self.ensure_one()
        self.warranty_ids.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
