import re

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

# What a caller reads out as a phone number: digits and the usual separators.
PHONE_INPUT = re.compile(r"\+?[\d\s\-./()]+")


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    aftersales_zone_id = fields.Many2one(
        "aftersales.zone",
        string="Service Zone",
        compute="_compute_aftersales_zone_id",
        store=True,
        readonly=False,
        help="Derived from the address by the zones' ZIP, city and state rules; "
        "can be set by hand.",
    )

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    @api.model
    def _search_display_name(self, operator, value):
        """With ``aftersales_phone_search`` in the context (the ticket's customer field), a
        phone number finds the caller too: digits only, whatever the separators, as
        Odoo's phone search compares them."""
        domain = super()._search_display_name(operator, value)
        if (
            not self.env.context.get("aftersales_phone_search")
            or operator not in ("ilike", "=ilike")
            or not isinstance(value, str)
            or not PHONE_INPUT.fullmatch(value.strip())
        ):
            return domain
        digits = re.sub(r"\D", "", value)
        # 0086 is +86: the stored number may carry either prefix.
        if value.strip().startswith("00"):
            digits = digits[2:]
        if len(digits) < 3:
            return domain
        self.flush_model(["phone", "mobile"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM res_partner
                    WHERE regexp_replace(phone, '\\D', '', 'g') LIKE %(term)s
                       OR regexp_replace(mobile, '\\D', '', 'g') LIKE %(term)s""",
                term=f"%{digits}%",
            )
        )
        if not rows:
            return domain
        return expression.OR([domain, [("id", "in", [row[0] for row in rows])]])

    @api.depends("zip", "city", "state_id")
    def _compute_aftersales_zone_id(self):
        Zone = self.env["aftersales.zone"].sudo()
        for partner in self:
            partner.aftersales_zone_id = Zone._match_partner(partner) or partner.aftersales_zone_id

    def _compute_aftersales_ticket_count(self):
        # Tickets of the whole company: a contact shows its commercial entity's file.
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_view_tickets(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.id},
        )

    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    def _compute_aftersales_warranty_count(self):
        counts = dict(
            self.env["aftersales.warranty"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_warranty_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_view_warranties(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        )

    def _aftersales_owned_lots(self):
        """Serial numbers the customer's company owns: delivered to it and not returned
        since, or registered to it under warranty (installed base)."""
        commercial = self.commercial_partner_id
        MoveLine = self.env["stock.move.line"].sudo()
        delivered = MoveLine.search(
            [
                ("state", "=", "done"),
                ("lot_id", "!=", False),
                ("location_dest_id.usage", "=", "customer"),
                ("picking_id.partner_id.commercial_partner_id", "in", commercial.ids),
            ]
        ).lot_id
        registered = (
            self.env["aftersales.warranty"]
            .sudo()
            .search([("commercial_partner_id", "in", commercial.ids), ("is_void", "=", False)])
            .lot_id
        )
        # Whether each one still belongs to the customer: stock.lot's one ownership rule.
        candidates = delivered | registered
        owners = candidates._aftersales_owners()
        return candidates.filtered(lambda lot: owners[lot] & commercial)

    def _aftersales_owned_products(self):
        """Products delivered to the customer's company or registered to it."""
        commercial = self.commercial_partner_id
        delivered = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_id.partner_id.commercial_partner_id", "in", commercial.ids),
                ]
            )
            .product_id
        )
        registered = (
            self.env["aftersales.warranty"]
            .sudo()
            .search([("commercial_partner_id", "in", commercial.ids), ("is_void", "=", False)])
            .product_id
        )
        return delivered | registered
