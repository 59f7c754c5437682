from odoo import api, fields, models

DOCUMENT_TYPES = [
    ("business_licence", "Business Licence"),
    ("safety_qualification", "Safety Qualification"),
    ("insurance", "Insurance"),
    ("other", "Other"),
]


class AftersalesServiceAgreementDocument(models.Model):
    """A document the centre must keep valid (licence, safety qualification, insurance)."""

    _name = "aftersales.service.agreement.document"
    _description = "Service Centre Document"
    _inherit = ["aftersales.guard.mixin"]
    _order = "agreement_id, date_expiry, id"

    agreement_id = fields.Many2one(
        "aftersales.service.agreement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    document_type = fields.Selection(DOCUMENT_TYPES, required=True)
    name = fields.Char(string="Number / Reference", required=True)
    date_expiry = fields.Date(string="Expires On", required=True)
    attachment = fields.Binary(attachment=True)
    attachment_name = fields.Char()
    is_expired = fields.Boolean(compute="_compute_is_expired")

    @api.depends("date_expiry")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.is_expired = document.date_expiry < today

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"agreement_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "document_type",
            "name",
            "date_expiry",
            "attachment",
            "attachment_name",
        }
        return writable
