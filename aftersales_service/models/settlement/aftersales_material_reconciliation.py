from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Where a move into or out of the consignment stock comes from or goes to: the
# customer's site (a part put in, a removed part collected) or anywhere else (the
# warehouse shipping parts, the Defective Parts location taking removed parts back).
SITE_USAGES = ("customer", "production")


class AftersalesMaterialReconciliation(models.Model):
    """The monthly material reconciliation (物料核销) of a service centre's consignment
    stock: per part, what it held at the start of the month, what we shipped, what it
    collected from customers, used and returned, against what customer service counted at
    the end; every difference is explained or charged to the centre."""

    _name = "aftersales.material.reconciliation"
    _description = "Material Reconciliation"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.center.month.mixin"]
    _order = "date_from desc, partner_id, id desc"
    _check_company_auto = True
    _sql_constraints = [
        (
            "center_period_uniq",
            "UNIQUE (company_id, partner_id, date_from)",
            "A service centre has one material reconciliation per month.",
        ),
    ]
    _aftersales_state_noun = _lt("Material reconciliation")

    name = fields.Char(string="Reference", compute="_compute_name", store=True)
    date_deadline = fields.Date(string="Due", compute="_compute_date_deadline", store=True)
    location_id = fields.Many2one(
        "stock.location", string="Consignment Stock", readonly=True, check_company=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "aftersales.material.reconciliation.line", "reconciliation_id", string="Parts"
    )
    qty_accountable = fields.Float(
        string="Parts Held",
        compute="_compute_figures",
        store=True,
        digits="Product Unit of Measure",
        help="Opening + shipped + collected: the parts the centre must account for.",
    )
    qty_difference = fields.Float(
        string="Total Difference",
        compute="_compute_figures",
        store=True,
        digits="Product Unit of Measure",
        help="The sum of the differences, missing and surplus alike.",
    )
    accuracy = fields.Float(
        string="Accuracy (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        help="1 - total difference / parts held.",
    )
    accuracy_target = fields.Float(
        string="Target (%)",
        readonly=True,
        help="The company's accuracy target when the reconciliation was prepared.",
    )
    is_on_target = fields.Boolean(string="On Target", compute="_compute_figures", store=True)
    amount_charged = fields.Monetary(
        string="Charged to the Centre",
        compute="_compute_figures",
        store=True,
        help="Missing parts at their cost, deducted from the centre's settlement.",
    )
    date_done = fields.Datetime(string="Closed On", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", string="Closed By", readonly=True, copy=False)
    settlement_line_ids = fields.One2many(
        "aftersales.settlement.line", "reconciliation_id", string="Deducted In", readonly=True
    )
    note = fields.Text()

    @api.depends("partner_id", "date_from")
    def _compute_name(self):
        for rec in self:
            rec.name = _(
                "Material reconciliation %(center)s %(month)s",
                center=rec.partner_id.name or "",
                month=rec._center_month_label(),
            )

    @api.depends("date_to", "company_id.aftersales_reconciliation_days")
    def _compute_date_deadline(self):
        for rec in self:
            rec.date_deadline = rec.date_to and rec.date_to + timedelta(
                days=rec.company_id.aftersales_reconciliation_days
            )

    @api.depends(
        "line_ids.qty_accountable",
        "line_ids.difference",
        "line_ids.charge_amount",
        "accuracy_target",
    )
    def _compute_figures(self):
        for rec in self:
            held = sum(rec.line_ids.mapped("qty_accountable"))
            difference = sum(abs(d) for d in rec.line_ids.mapped("difference"))
            rec.qty_accountable = held
            rec.qty_difference = difference
            rec.accuracy = 100.0 * (1 - difference / held) if held else 100.0
            rec.is_on_target = rec.accuracy >= rec.accuracy_target
            rec.amount_charged = sum(rec.line_ids.mapped("charge_amount"))

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for rec in records:
            location = rec.partner_id.sudo().aftersales_consignment_location_id
            if not location:
                raise ValidationError(
                    _(
                        "%s has no consignment stock: there is nothing to reconcile.",
                        rec.partner_id.display_name,
                    )
                )
            rec.sudo().write(
                {
                    "location_id": location.id,
                    "accuracy_target": rec.company_id.aftersales_reconciliation_target,
                }
            )
        return records

    # ------------------------------------------------------------------
    # Figures from the stock moves
    # ------------------------------------------------------------------

    def _period_datetimes(self):
        self.ensure_one()
        domain = self._center_month_domain("date")
        return domain[0][2], domain[1][2]

    def _stock_figures(self):
        """{product id: {opening, shipped, collected, used, returned, system}} from the done
        moves into and out of the consignment stock."""
        self.ensure_one()
        start, end = self._period_datetimes()
        location = self.location_id.id
        self.env["stock.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.product_id,
                       SUM(CASE WHEN m.date < %(start)s THEN
                           CASE WHEN m.location_dest_id = %(loc)s THEN m.product_qty
                                ELSE -m.product_qty END
                           ELSE 0 END) AS opening,
                       SUM(CASE WHEN m.date >= %(start)s AND m.location_dest_id = %(loc)s
                                 AND src.usage NOT IN %(site)s THEN m.product_qty
                           ELSE 0 END) AS shipped,
                       SUM(CASE WHEN m.date >= %(start)s AND m.location_dest_id = %(loc)s
                                 AND src.usage IN %(site)s THEN m.product_qty
                           ELSE 0 END) AS collected,
                       SUM(CASE WHEN m.date >= %(start)s AND m.location_id = %(loc)s
                                 AND dst.usage IN %(site)s THEN m.product_qty
                           ELSE 0 END) AS used,
                       SUM(CASE WHEN m.date >= %(start)s AND m.location_id = %(loc)s
                                 AND dst.usage NOT IN %(site)s THEN m.product_qty
                           ELSE 0 END) AS returned,
                       SUM(CASE WHEN m.location_dest_id = %(loc)s THEN m.product_qty
                                ELSE -m.product_qty END) AS system
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dst ON dst.id = m.location_dest_id
                 WHERE m.state = 'done'
                   AND m.date < %(end)s
                   AND m.location_id != m.location_dest_id
                   AND (m.location_id = %(loc)s OR m.location_dest_id = %(loc)s)
                 GROUP BY m.product_id
                """,
                start=start,
                end=end,
                loc=location,
                site=SITE_USAGES,
            )
        )
        return {row["product_id"]: row for row in self.env.cr.dictfetchall()}

    def action_compute(self):
        """(Re)build the lines from the stock moves; counted quantities already entered
        are kept."""
        self._aftersales_check_role("user", _("prepare material reconciliations"))
        self._check_state(["draft"], _("recomputed"))
        self.check_access("write")
        for rec in self:
            figures = rec._stock_figures()
            counted = {line.product_id.id: line.qty_counted for line in rec.line_ids}
            products = self.env["product.product"].browse(sorted(set(figures) | set(counted)))
            commands = [Command.clear()]
            for product in products.with_company(rec.company_id):
                row = figures.get(product.id, {})
                values = {
                    "product_id": product.id,
                    "qty_opening": row.get("opening") or 0.0,
                    "qty_shipped": row.get("shipped") or 0.0,
                    "qty_collected": row.get("collected") or 0.0,
                    "qty_used": row.get("used") or 0.0,
                    "qty_returned": row.get("returned") or 0.0,
                    "qty_system": row.get("system") or 0.0,
                    "standard_price": product.standard_price,
                }
                values["qty_counted"] = counted.get(product.id, values["qty_system"])
                if (
                    not any(
                        values[key]
                        for key in ("qty_opening", "qty_shipped", "qty_collected", "qty_system")
                    )
                    and not values["qty_counted"]
                ):
                    continue
                commands.append(Command.create(values))
            rec.sudo().write({"line_ids": commands})
        return True

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------

    def action_done(self):
        """Close: every difference is explained or charged to the centre."""
        self._aftersales_check_role("user", _("close material reconciliations"))
        self._aftersales_lock()
        self._check_state(["draft"], _("closed"))
        for rec in self:
            if not rec.line_ids:
                raise UserError(
                    _("%s has no part: compute it from the stock moves first.", rec.name)
                )
            open_lines = rec.line_ids.filtered(lambda line: not line._is_settled())
            if open_lines:
                raise UserError(
                    _(
                        "Explain or charge every difference of %(rec)s before closing it: "
                        "%(parts)s.",
                        rec=rec.name,
                        parts=", ".join(open_lines.mapped("product_id.display_name")),
                    )
                )
        for rec in self:
            rec._write_off_differences()
        self._transition(
            {"state": "done", "date_done": fields.Datetime.now(), "done_by_id": self.env.user.id}
        )
        for rec in self:
            rec.message_post(
                body=_(
                    "Closed: accuracy %(accuracy).1f%% (target %(target).1f%%), %(amount)s "
                    "charged to the centre.",
                    accuracy=rec.accuracy,
                    target=rec.accuracy_target,
                    amount=rec.currency_id.format(rec.amount_charged),
                )
            )
        return True

    def _write_off_differences(self):
        """Bring the consignment stock to what was counted: one move per difference
        between the consignment stock and the inventory loss location, dated at the end of
        the month (or now, when closed before it ends), so next month opens on the count."""
        self.ensure_one()
        end = min(self._period_datetimes()[1] - timedelta(seconds=1), fields.Datetime.now())
        Move = self.env["stock.move"].sudo().with_context(aftersales_no_warranty_registration=True)
        for line in self.line_ids.filtered(lambda line: line._has_difference()):
            product = line.product_id.with_company(self.company_id)
            loss = product.property_stock_inventory
            missing = line.difference > 0
            if not missing and product.tracking != "none":
                # Which serials are surplus is not known here: the count says so.
                self.message_post(
                    body=_(
                        "%(part)s: %(qty)s more than expected; record their serials with an "
                        "inventory adjustment of %(location)s.",
                        part=product.display_name,
                        qty=-line.difference,
                        location=self.location_id.display_name,
                    )
                )
                continue
            source, destination = (self.location_id, loss) if missing else (loss, self.location_id)
            move = Move.create(
                {
                    "name": _("%(rec)s: %(part)s", rec=self.name, part=product.display_name),
                    "origin": self.name,
                    "product_id": product.id,
                    "product_uom_qty": abs(line.difference),
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id,
                    "is_inventory": True,
                }
            )
            move._action_confirm()
            if missing and product.tracking != "none":
                move._action_assign()
                if move.quantity < abs(line.difference):
                    raise UserError(
                        _(
                            "%(location)s does not hold %(qty)s %(part)s to write off.",
                            location=self.location_id.display_name,
                            qty=abs(line.difference),
                            part=product.display_name,
                        )
                    )
                move.picked = True
            else:
                move._aftersales_set_done_quantity(abs(line.difference))
            move._action_done()
            move.write({"date": end})
            move.move_line_ids.write({"date": end})

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "state",
            "location_id",
            "accuracy_target",
            "date_done",
            "done_by_id",
            "settlement_line_ids",
        }

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"line_ids", "note"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state == "done"

    def _aftersales_locked_writable_fields(self):
        return {"note"}
