from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_rule_id = fields.Many2one(
        "aftersales.warranty.rule",
        string="Warranty Rule",
        compute="_compute_aftersales_warranty_rule_id",
        help="The warranty rule that applies to this product in the current company.",
    )
    aftersales_is_extended_warranty = fields.Boolean(
        string="Extended Warranty",
        help="Selling this service extends the warranty of the serials it is sold for.",
    )
    aftersales_extension_months = fields.Integer(string="Extension (months)", default=12)
    aftersales_is_contract = fields.Boolean(
        string="Maintenance Contract",
        help="Selling this service opens a draft maintenance contract for the customer.",
    )
    aftersales_contract_months = fields.Integer(string="Contract Length (months)", default=12)
    aftersales_contract_frequency = fields.Selection(
        [
            ("none", "No Inspection"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("yearly", "Yearly"),
        ],
        string="Inspections",
        default="quarterly",
    )

    @api.depends("categ_id")
    @api.depends_context("company")
    def _compute_aftersales_warranty_rule_id(self):
        rules = (
            self.env["aftersales.warranty.rule"]
            .sudo()
            ._get_rules_for_products(self, self.env.company)
        )
        for template in self:
            template.aftersales_warranty_rule_id = rules.get(template)

    @api.constrains("aftersales_is_extended_warranty", "aftersales_extension_months")
    def _check_aftersales_extension_months(self):
        for template in self:
            if (
                template.aftersales_is_extended_warranty
                and template.aftersales_extension_months <= 0
            ):
                raise ValidationError(
                    _("The extended warranty “%s” must add at least one month.", template.name)
                )
