from odoo import fields, models, tools
from odoo.tools import SQL

MOVEMENTS = [("issued", "Issued"), ("returned", "Returned Defective")]

# Parts issued for after-sales work: the done "add" lines of the repair orders of tickets,
# those a visit's parts were consumed through (aftersales.visit._consume_parts) and those
# opened on a ticket by hand. The technician is the one whose van the part left, else the
# ticket's. Quantities in the part's unit; value at stock valuation (a part taken out of
# stock is a negative layer).
ISSUED_PARTS = """
    SELECT
        2 * m.id AS id,
        'issued' AS movement,
        m.date AS date,
        m.company_id AS company_id,
        repair.aftersales_ticket_id AS ticket_id,
        repair.id AS repair_id,
        NULL::integer AS defective_return_id,
        COALESCE(van.employee_id, t.technician_id) AS technician_id,
        m.product_id AS product_id,
        pt.categ_id AS product_categ_id,
        m.quantity / move_uom.factor * part_uom.factor AS quantity,
        m.quantity / move_uom.factor * part_uom.factor AS quantity_issued,
        0.0 AS quantity_returned,
        -COALESCE(layer.value, 0) AS value,
        -COALESCE(layer.value, 0) AS value_issued,
        0.0 AS value_returned,
        0 AS return_count,
        m.location_id AS location_id,
        m.location_dest_id AS location_dest_id
    FROM stock_move m
    JOIN repair_order repair ON repair.id = m.repair_id
    JOIN aftersales_ticket t ON t.id = repair.aftersales_ticket_id
    JOIN product_product pp ON pp.id = m.product_id
    JOIN product_template pt ON pt.id = pp.product_tmpl_id
    JOIN uom_uom move_uom ON move_uom.id = m.product_uom
    JOIN uom_uom part_uom ON part_uom.id = pt.uom_id
    LEFT JOIN LATERAL (
        SELECT SUM(svl.value) AS value
          FROM stock_valuation_layer svl
         WHERE svl.stock_move_id = m.id
    ) layer ON TRUE
    LEFT JOIN LATERAL (
        SELECT e.id AS employee_id
          FROM hr_employee e
         WHERE e.aftersales_location_id = m.location_id
         ORDER BY e.id
         LIMIT 1
    ) van ON TRUE
    WHERE m.state = 'done' AND m.repair_line_type = 'add'
"""

# Broken parts back from the customer's site (aftersales.defective.return received or
# inspected): valued at the layers of their stock moves in, from the customer's site to the
# Defective Parts location.
RETURNED_PARTS = """
    SELECT
        2 * d.id + 1 AS id,
        'returned' AS movement,
        d.date_received AS date,
        d.company_id AS company_id,
        d.ticket_id AS ticket_id,
        d.repair_id AS repair_id,
        d.id AS defective_return_id,
        d.employee_id AS technician_id,
        d.product_id AS product_id,
        pt.categ_id AS product_categ_id,
        d.quantity AS quantity,
        0.0 AS quantity_issued,
        d.quantity AS quantity_returned,
        COALESCE(moves.value, 0) AS value,
        0.0 AS value_issued,
        COALESCE(moves.value, 0) AS value_returned,
        1 AS return_count,
        moves.location_id AS location_id,
        moves.location_dest_id AS location_dest_id
    FROM aftersales_defective_return d
    JOIN product_product pp ON pp.id = d.product_id
    JOIN product_template pt ON pt.id = pp.product_tmpl_id
    LEFT JOIN LATERAL (
        SELECT (array_agg(m.location_id ORDER BY m.id))[1] AS location_id,
               (array_agg(m.location_dest_id ORDER BY m.id DESC))[1] AS location_dest_id,
               SUM(svl.value) AS value
          FROM stock_move m
          LEFT JOIN stock_valuation_layer svl ON svl.stock_move_id = m.id
         WHERE m.aftersales_defective_return_id = d.id AND m.state = 'done'
    ) moves ON TRUE
    WHERE d.state IN ('received', 'inspected')
"""


class AftersalesPartsLedger(models.Model):
    """The parts ledger (备件台帐): every part issued for after-sales work and every
    defective part returned, so that issued and returned read side by side per part and
    month."""

    _name = "aftersales.parts.ledger"
    _description = "After-Sales Parts Ledger"
    _auto = False
    _order = "date desc, id desc"
    _depends = {
        "stock.move": [
            "aftersales_defective_return_id",
            "company_id",
            "date",
            "location_dest_id",
            "location_id",
            "product_id",
            "product_uom",
            "quantity",
            "repair_id",
            "repair_line_type",
            "state",
        ],
        "stock.valuation.layer": ["stock_move_id", "value"],
        "repair.order": ["aftersales_ticket_id"],
        "aftersales.ticket": ["technician_id"],
        "aftersales.defective.return": [
            "company_id",
            "date_received",
            "employee_id",
            "product_id",
            "quantity",
            "repair_id",
            "state",
            "ticket_id",
        ],
        "hr.employee": ["aftersales_location_id"],
    }

    movement = fields.Selection(MOVEMENTS, readonly=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True)
    defective_return_id = fields.Many2one(
        "aftersales.defective.return", string="Defective Part Return", readonly=True
    )
    technician_id = fields.Many2one("hr.employee", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Part Category", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    quantity_issued = fields.Float(
        string="Issued Qty", readonly=True, digits="Product Unit of Measure"
    )
    quantity_returned = fields.Float(
        string="Returned Qty",
        readonly=True,
        digits="Product Unit of Measure",
        help="Defective parts brought back.",
    )
    value = fields.Float(readonly=True, help="At stock valuation, company currency.")
    value_issued = fields.Float(string="Issued Value", readonly=True)
    value_returned = fields.Float(
        string="Returned Value", readonly=True, help="Defective parts brought back."
    )
    return_count = fields.Integer(string="Defective Returns", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                SQL(ISSUED_PARTS),
                SQL(RETURNED_PARTS),
            )
        )
