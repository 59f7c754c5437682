from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    aftersales_defective_return_id = fields.Many2one(
        "aftersales.defective.return",
        string="Defective Part Return",
        index="btree_not_null",
        copy=False,
    )
