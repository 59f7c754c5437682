from odoo import Command
from odoo.tests import Form, new_test_user

from .common import AftersalesCommon


class WarrantyCommon(AftersalesCommon):
    """Serial-tracked and untracked products with rules, delivered for real."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.categ_machines = Category.create({"name": "Machines"})
        cls.categ_compressors = Category.create(
            {"name": "Compressors", "parent_id": cls.categ_machines.id}
        )
        cls.product.categ_id = cls.categ_compressors
        cls.product.list_price = 1000
        cls.untracked = cls.env["product.product"].create(
            {"name": "Filter Kit", "is_storable": True, "categ_id": cls.categ_machines.id}
        )
        cls.no_rule_product = cls.env["product.product"].create(
            {"name": "Brochure", "is_storable": True}
        )
        cls.extension_product = cls.env["product.product"].create(
            {
                "name": "Extended Warranty +12",
                "type": "service",
                "aftersales_is_extended_warranty": True,
                "aftersales_extension_months": 12,
                "list_price": 100,
            }
        )
        Rule = cls.env["aftersales.warranty.rule"]
        # Only this test's rules count: demo rules may exist in the database.
        Rule.search([]).active = False
        cls.rule_product = Rule.create(
            {
                "name": "Compressor 24 months",
                "applies_to": "product",
                "product_tmpl_id": cls.product.product_tmpl_id.id,
                "duration": 24,
                "duration_unit": "month",
                "cover_travel": True,
            }
        )
        cls.rule_machines = Rule.create(
            {
                "name": "Machines 12 months",
                "applies_to": "category",
                "categ_id": cls.categ_machines.id,
                "duration": 12,
                "duration_unit": "month",
                "cover_labor": False,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.salesperson = new_test_user(
            cls.env, "w_sales", groups="sales_team.group_sale_salesman", email="sales@example.com"
        )

    @classmethod
    def _stock_serials(cls, product, names):
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in names]
        )
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.stock_location, 1, lot_id=lot
            )
        return lots

    @classmethod
    def _sell(cls, lines, partner=None):
        """Confirm a sale order of [(product, qty)] or [(product, qty, {extra line values})]."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": cls.salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "product_uom_qty": line[1],
                            **(line[2] if len(line) > 2 else {}),
                        }
                    )
                    for line in lines
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _validate(cls, picking):
        picking.move_ids.picked = True
        result = picking.button_validate()
        assert result is True, result
        return picking

    @classmethod
    def _deliver_order(cls, order):
        pickings = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for picking in pickings:
            cls._validate(picking)
        return pickings

    def _return(self, picking, lots=None, quantity=None):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        for line in wizard.product_return_moves:
            line.quantity = quantity if quantity is not None else line.move_id.quantity
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        if lots:
            returned.move_ids.move_line_ids.unlink()
            for move in returned.move_ids:
                for lot in lots.filtered(lambda lot, m=move: lot.product_id == m.product_id):
                    self.env["stock.move.line"].create(
                        {
                            "move_id": move.id,
                            "picking_id": returned.id,
                            "product_id": move.product_id.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "location_id": move.location_id.id,
                            "location_dest_id": move.location_dest_id.id,
                        }
                    )
        self._validate(returned)
        return returned

    def _registrations(self, **domain):
        return self.env["aftersales.warranty"].search(
            [
                (key, "=", value.id if hasattr(value, "id") else value)
                for key, value in domain.items()
            ]
        )
