from odoo import api, fields, models
from odoo.tools import float_is_zero

QTY_DIGITS = "Product Unit of Measure"

RESOLUTIONS = [
    ("explained", "Explained"),
    ("charged", "Charged to the Centre"),
]


class AftersalesMaterialReconciliationLine(models.Model):
    """One part of a material reconciliation: opening + shipped + collected - used -
    returned - counted = difference."""

    _name = "aftersales.material.reconciliation.line"
    _description = "Material Reconciliation Line"
    _inherit = ["aftersales.guard.mixin"]
    _order = "reconciliation_id, id"

    reconciliation_id = fields.Many2one(
        "aftersales.material.reconciliation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True)
    currency_id = fields.Many2one(related="reconciliation_id.currency_id")
    product_id = fields.Many2one("product.product", string="Part", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    qty_opening = fields.Float(
        string="Opening",
        digits=QTY_DIGITS,
        help="In the system at the start of the month: last month's count once its "
        "reconciliation is closed.",
    )
    qty_shipped = fields.Float(string="Shipped", digits=QTY_DIGITS, help="Received from us.")
    qty_collected = fields.Float(
        string="Collected",
        digits=QTY_DIGITS,
        help="Removed parts taken back from customers' sites, on their way to us.",
    )
    qty_used = fields.Float(string="Used", digits=QTY_DIGITS, help="Put in on the centre's visits.")
    qty_returned = fields.Float(
        string="Returned",
        digits=QTY_DIGITS,
        help="Sent back to us: defective parts and unused parts.",
    )
    qty_system = fields.Float(
        string="On Hand (System)", digits=QTY_DIGITS, help="In the system at the end of the month."
    )
    qty_counted = fields.Float(
        string="On Hand (Counted)",
        digits=QTY_DIGITS,
        help="What customer service counted (or the centre declared) at the end of the month.",
    )
    qty_accountable = fields.Float(
        string="Held", compute="_compute_difference", store=True, digits=QTY_DIGITS
    )
    qty_expected = fields.Float(
        string="Expected", compute="_compute_difference", store=True, digits=QTY_DIGITS
    )
    difference = fields.Float(
        compute="_compute_difference",
        store=True,
        digits=QTY_DIGITS,
        help="Expected - counted: positive when parts are missing, negative when the centre "
        "holds more than expected.",
    )
    resolution = fields.Selection(RESOLUTIONS)
    reason = fields.Text(string="Explanation")
    standard_price = fields.Float(
        string="Unit Cost", digits="Product Price", help="The part's cost when computed."
    )
    charge_amount = fields.Monetary(string="Charged", compute="_compute_charge_amount", store=True)

    @api.depends(
        "qty_opening", "qty_shipped", "qty_collected", "qty_used", "qty_returned", "qty_counted"
    )
    def _compute_difference(self):
        for line in self:
            line.qty_accountable = line.qty_opening + line.qty_shipped + line.qty_collected
            line.qty_expected = line.qty_accountable - line.qty_used - line.qty_returned
            line.difference = line.qty_expected - line.qty_counted

    @api.depends("difference", "resolution", "standard_price")
    def _compute_charge_amount(self):
        for line in self:
            charged = line.resolution == "charged" and line.difference > 0
            line.charge_amount = line.difference * line.standard_price if charged else 0.0

    def _has_difference(self):
        self.ensure_one()
        return not float_is_zero(self.difference, precision_rounding=self.uom_id.rounding or 0.01)

    def _is_settled(self):
        """No difference, or one charged (missing parts only) or explained in words."""
        self.ensure_one()
        if not self._has_difference():
            return True
        if self.resolution == "charged":
            return self.difference > 0
        return self.resolution == "explained" and bool((self.reason or "").strip())

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "product_id",
            "qty_opening",
            "qty_shipped",
            "qty_collected",
            "qty_used",
            "qty_returned",
            "qty_system",
            "standard_price",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"reconciliation_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"qty_counted", "resolution", "reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.sudo().reconciliation_id.state == "done"
