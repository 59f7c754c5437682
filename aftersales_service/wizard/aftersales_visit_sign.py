from odoo import fields, models


class AftersalesVisitSign(models.TransientModel):
    """The customer signs the service report on the technician's screen."""

    _name = "aftersales.visit.sign"
    _description = "Customer Signature of a Service Report"

    visit_id = fields.Many2one("aftersales.visit", required=True, ondelete="cascade")
    signed_by = fields.Char(required=True)
    customer_signature = fields.Binary(string="Signature", required=True)

    def action_sign(self):
        self.ensure_one()
        self.visit_id.action_sign(self.customer_signature, self.signed_by)
        return {"type": "ir.actions.act_window_close"}
