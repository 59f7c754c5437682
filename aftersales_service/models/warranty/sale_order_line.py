from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty", "sale_line_id", string="Warranty Registrations"
    )
    aftersales_warranty_date_end = fields.Date(
        string="Warranty Until", compute="_compute_aftersales_warranty_date_end"
    )
    aftersales_is_extended_warranty = fields.Boolean(
        related="product_id.aftersales_is_extended_warranty"
    )
    aftersales_lot_ids = fields.Many2many(
        "stock.lot",
        string="Extend Serials",
        help="For an extended warranty sold after the product: the serials it extends.",
    )
    aftersales_extension_ids = fields.One2many(
        "aftersales.warranty.extension", "sale_line_id", string="Warranty Extensions"
    )
    aftersales_waiver_id = fields.Many2one(
        "aftersales.fee.waiver",
        string="Fee Waiver",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The approved fee waiver this line deducts.",
    )
    aftersales_extension_remaining = fields.Integer(
        string="Extensions to Assign", compute="_compute_aftersales_extension_remaining"
    )

    @api.depends("aftersales_warranty_ids.date_end", "aftersales_warranty_ids.is_void")
    def _compute_aftersales_warranty_date_end(self):
        for line in self:
            ends = line.aftersales_warranty_ids.filtered(lambda w: not w.is_void).mapped("date_end")
            line.aftersales_warranty_date_end = max(filter(None, ends), default=False)

    @api.depends("product_uom_qty", "aftersales_extension_ids", "aftersales_is_extended_warranty")
    def _compute_aftersales_extension_remaining(self):
        for line in self:
            if line.aftersales_is_extended_warranty and line.order_id.state == "sale":
                remaining = int(line.product_uom_qty) - len(line.aftersales_extension_ids)
                line.aftersales_extension_remaining = max(remaining, 0)
            else:
                line.aftersales_extension_remaining = 0

    def _aftersales_extension_candidates(self):
        """Registrations this extended-warranty line may extend, not extended by it yet:
        the serials it names; else what its own order delivered; else the customer's."""
        self.ensure_one()
        domain = [
            ("is_void", "=", False),
            ("id", "not in", self.aftersales_extension_ids.warranty_id.ids),
        ]
        if self.aftersales_lot_ids:
            domain.append(("lot_id", "in", self.aftersales_lot_ids.ids))
        elif self._aftersales_order_sells_goods():
            domain.append(("sale_order_id", "=", self.order_id.id))
        else:
            partner = self.order_id.partner_id.commercial_partner_id
            domain.append(("commercial_partner_id", "=", partner.id))
        candidates = self.env["aftersales.warranty"].sudo().search(domain)
        return candidates.filtered(lambda w: w.state != "expired")

    def _aftersales_order_sells_goods(self):
        """The order's own products get registered on delivery: extend those."""
        return any(
            line.product_id.type == "consu" and not line.display_type
            for line in self.order_id.order_line
        )

    def _aftersales_apply_extension(self):
        """Extend the registrations each line clearly designates; return the lines
        whose match is unclear (the user assigns them with the wizard)."""
        unclear = self.browse()
        for line in self.filtered("aftersales_is_extended_warranty"):
            remaining = line.aftersales_extension_remaining
            if remaining <= 0:
                continue
            candidates = line._aftersales_extension_candidates()
            if line.aftersales_lot_ids:
                clear = candidates and len(candidates) <= remaining
            elif line._aftersales_order_sells_goods():
                if not candidates:
                    continue  # not delivered yet: extended at delivery
                clear = len(candidates) == remaining
            else:
                clear = len(candidates) == remaining
            if clear:
                candidates.action_extend(
                    line.product_id.aftersales_extension_months, sale_line=line
                )
            else:
                unclear |= line
        return unclear

    def _aftersales_open_extension_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Assign Extended Warranty"),
            "res_model": "aftersales.warranty.extension.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sale_line_id": self.id},
        }

    def _aftersales_create_contracts(self):
        """A maintenance contract service sold: a draft contract for the customer, covering
        the serials delivered to it so far (customer service completes and activates it)."""
        Contract = self.env["aftersales.contract"].sudo()
        for line in self.filtered(
            lambda line: (
                line.product_id.aftersales_is_contract
                and not Contract.search_count([("sale_line_id", "=", line.id)])
            )
        ):
            order = line.order_id
            template = line.product_id.product_tmpl_id
            start = fields.Date.context_today(line)
            owned = order.partner_id._aftersales_owned_lots()
            Contract.create(
                {
                    "partner_id": order.partner_id.id,
                    "company_id": order.company_id.id,
                    "user_id": order.user_id.id,
                    "date_start": start,
                    "date_end": start
                    + relativedelta(months=template.aftersales_contract_months, days=-1),
                    "inspection_frequency": template.aftersales_contract_frequency or "none",
                    "price": line.price_subtotal,
                    "sale_line_id": line.id,
                    "lot_ids": [(6, 0, owned.ids)],
                }
            )
