from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.osv import expression


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket", "lot_id", string="Service Ticket Records"
    )
    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty", "lot_id", string="Warranty Registrations"
    )
    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """Serial pickers put the likely ones first: on a visit's part, the technician's
        van stock (with its quantity); on a ticket, the customer's own serials."""
        first_ids, van_quantities = self._aftersales_picker_first()
        if not first_ids:
            return super().name_search(name=name, args=args, operator=operator, limit=limit)
        first = super().name_search(
            name=name,
            args=expression.AND([args or [], [("id", "in", first_ids)]]),
            operator=operator,
            limit=limit,
        )
        if van_quantities:
            first = [
                (
                    lot_id,
                    _(
                        "%(lot)s (%(quantity)s in your van)",
                        lot=label,
                        quantity=f"{van_quantities[lot_id]:g}",
                    ),
                )
                for lot_id, label in first
            ]
        if limit and len(first) >= limit:
            return first
        rest = super().name_search(
            name=name,
            args=expression.AND([args or [], [("id", "not in", first_ids)]]),
            operator=operator,
            limit=limit and limit - len(first),
        )
        return first + rest

    @api.model
    def _aftersales_picker_first(self):
        """(serial ids the picker lists first, {id: quantity in the van} when on a visit)."""
        visit = self.env["aftersales.visit"]._van_visit_from_context()
        if visit:
            van = visit._van_stock()
            quantities = {lot.id: qty for lots in van.values() for lot, qty in lots.items() if lot}
            return list(quantities), quantities
        customer = (
            self.env["res.partner"]
            .browse(self.env.context.get("aftersales_lot_owner_id") or [])
            .exists()
        )
        if customer:
            return customer.sudo()._aftersales_owned_lots().ids, {}
        return [], {}

    def init(self):
        res = super().init()
        # A caller gives a serial number: stock's trigram index on the name is built for
        # "contains" searches and reads thousands of pages for an exact match in a million
        # serials (16-24 ms); a b-tree answers in about 1 ms.
        tools.create_index(self.env.cr, "stock_lot_name_exact_idx", self._table, ["name"])
        return res

    def _compute_aftersales_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.aftersales_ticket_count = counts.get(lot, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_view_tickets(
            [("lot_id", "=", self.id)],
            {"default_lot_id": self.id, "default_product_id": self.product_id.id},
        )

    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    def _compute_aftersales_warranty_count(self):
        counts = dict(
            self.env["aftersales.warranty"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
            )
        )
        for lot in self:
            lot.aftersales_warranty_count = counts.get(lot, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_view_warranties([("lot_id", "=", self.id)])

    def _aftersales_check_product(self, product):
        """Tickets and warranties name a serial with its product: they must agree."""
        for lot in self:
            if lot.product_id != product:
                raise ValidationError(
                    _(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=lot.name,
                        lot_product=lot.product_id.display_name,
                        product=product.display_name or _("no product"),
                    )
                )

    def _aftersales_owners(self):
        """{serial: commercial partners it belongs to}: the customer its last delivery
        went to (not returned since) and the customers it is registered to under
        warranty. res.partner._aftersales_owned_lots() applies this rule too."""
        owners = dict.fromkeys(self, self.env["res.partner"])
        if not self:
            return owners
        latest = {}
        for line in (
            self.env["stock.move.line"]
            .sudo()
            .search([("state", "=", "done"), ("lot_id", "in", self.ids)], order="date, id")
        ):
            latest[line.lot_id] = line
        for lot, line in latest.items():
            if line.location_dest_id.usage == "customer" and line.picking_id.partner_id:
                owners[lot] |= line.picking_id.partner_id.commercial_partner_id
        for warranty in (
            self.env["aftersales.warranty"]
            .sudo()
            .search([("lot_id", "in", self.ids), ("is_void", "=", False)])
        ):
            owners[warranty.lot_id] |= warranty.commercial_partner_id
        return owners
