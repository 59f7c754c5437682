from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

DURATION_UNITS = [("day", "Days"), ("month", "Months"), ("year", "Years")]


class AftersalesWarrantyRule(models.Model):
    _name = "aftersales.warranty.rule"
    _description = "Warranty Rule"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    applies_to = fields.Selection(
        [("product", "Product"), ("category", "Product Category"), ("all", "All Products")],
        required=True,
        default="product",
        help="The most specific rule wins: product, then the nearest category, then all "
        "products; among equals the lowest sequence.",
    )
    product_tmpl_id = fields.Many2one("product.template", string="Product", index=True)
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        help="Also applies to the products of its sub-categories.",
    )
    duration = fields.Integer(required=True, default=12)
    duration_unit = fields.Selection(DURATION_UNITS, required=True, default="month")
    start_basis = fields.Selection(
        [
            ("delivery", "Delivery Date"),
            ("invoice", "Invoice Date"),
            ("installation", "Installation Acceptance Date"),
        ],
        required=True,
        default="delivery",
        help="When the warranty period starts.",
    )
    cover_parts = fields.Boolean(string="Covers Parts", default=True)
    cover_labor = fields.Boolean(string="Covers Labour", default=True)
    cover_travel = fields.Boolean(string="Covers Travel", default=False)
    exclusions = fields.Text(
        translate=True,
        help="Printed on the warranty certificate: misuse, unauthorised repair, consumables, ...",
    )

    @api.constrains("duration")
    def _check_duration(self):
        for rule in self:
            if rule.duration <= 0:
                raise ValidationError(
                    _("The warranty duration of “%s” must be greater than zero.", rule.name)
                )

    @api.constrains("applies_to", "product_tmpl_id", "categ_id")
    def _check_scope(self):
        for rule in self:
            if rule.applies_to == "product" and not rule.product_tmpl_id:
                raise ValidationError(
                    _("Choose the product warranty rule “%s” applies to.", rule.name)
                )
            if rule.applies_to == "category" and not rule.categ_id:
                raise ValidationError(
                    _("Choose the product category warranty rule “%s” applies to.", rule.name)
                )

    @api.constrains("applies_to", "product_tmpl_id", "categ_id", "sequence", "company_id", "active")
    def _check_unique_scope(self):
        for rule in self.filtered("active"):
            domain = [
                ("id", "!=", rule.id),
                ("company_id", "=", rule.company_id.id),
                ("applies_to", "=", rule.applies_to),
                ("sequence", "=", rule.sequence),
            ]
            if rule.applies_to == "product":
                domain.append(("product_tmpl_id", "=", rule.product_tmpl_id.id))
            elif rule.applies_to == "category":
                domain.append(("categ_id", "=", rule.categ_id.id))
            twin = self.search(domain, limit=1)
            if twin:
                raise ValidationError(
                    _(
                        "Warranty rules “%(rule)s” and “%(twin)s” apply to the same products with "
                        "the same sequence; change the sequence of one of them.",
                        rule=rule.name,
                        twin=twin.name,
                    )
                )

    @api.onchange("applies_to")
    def _onchange_applies_to(self):
        if self.applies_to != "product":
            self.product_tmpl_id = False
        if self.applies_to != "category":
            self.categ_id = False

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _get_rules_for_products(self, products, company):
        """Effective rule per product (product.product or product.template), in
        one query for the whole batch: product, nearest category, all products."""
        rules = self.search([("company_id", "=", company.id)], order="sequence, id")
        by_template, by_category, general = {}, {}, self.browse()
        for rule in rules:
            if rule.applies_to == "product":
                by_template.setdefault(rule.product_tmpl_id.id, rule)
            elif rule.applies_to == "category":
                by_category.setdefault(rule.categ_id.id, rule)
            elif not general:
                general = rule
        result = {}
        for product in products:
            template = product.product_tmpl_id if product._name == "product.product" else product
            rule = by_template.get(template.id)
            category = template.categ_id
            while not rule and category:
                rule = by_category.get(category.id)
                category = category.parent_id
            result[product] = rule or general
        return result

    def _date_end(self, date_start):
        """Last day covered for a warranty starting on ``date_start``."""
        self.ensure_one()
        delta = {
            "day": relativedelta(days=self.duration),
            "month": relativedelta(months=self.duration),
            "year": relativedelta(years=self.duration),
        }[self.duration_unit]
        return date_start + delta - relativedelta(days=1)

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "sequence",
            "applies_to",
            "categ_id",
            "product_tmpl_id",
            "cover_labor",
            "cover_parts",
            "cover_travel",
            "duration",
            "duration_unit",
            "exclusions",
            "start_basis",
        }
        return writable
