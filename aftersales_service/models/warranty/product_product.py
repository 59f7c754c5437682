from odoo import _, api, models
from odoo.osv import expression


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Picking a part on a visit: what the technician's van holds comes first, with its
        quantity; the rest of the catalogue follows."""
        visit = self.env["aftersales.visit"]._van_visit_from_context()
        van = visit._van_stock() if visit else {}
        if not van:
            return super().name_search(name, args, operator, limit)
        quantities = {product.id: sum(lots.values()) for product, lots in van.items()}
        in_van = super().name_search(
            name, expression.AND([args or [], [("id", "in", list(quantities))]]), operator, limit
        )
        labelled = [
            (
                product_id,
                _(
                    "%(product)s (%(quantity)s in your van)",
                    product=label,
                    quantity=f"{quantities[product_id]:g}",
                ),
            )
            for product_id, label in in_van
        ]
        rest_limit = limit - len(labelled) if limit else limit
        if limit and rest_limit <= 0:
            return labelled
        rest_domain = expression.AND([args or [], [("id", "not in", list(quantities))]])
        return labelled + super().name_search(name, rest_domain, operator, rest_limit)
