from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"  # pylint: disable=consider-merging-classes-inherited

    aftersales_production_batch = fields.Char(
        string="Production Batch",
        index="btree_not_null",
        tracking=True,
        help="The production batch the unit was built in: the ledgers count faults per "
        "product and batch.",
    )
