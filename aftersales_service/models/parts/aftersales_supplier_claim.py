from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesSupplierClaim(models.Model):
    """A claim against the vendor of a part that failed: an Odoo return to the vendor and a
    draft vendor credit note, or a claim amount when the part cannot go back, followed
    until the money is recovered."""

    _name = "aftersales.supplier.claim"
    _description = "Supplier Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    defective_return_id = fields.Many2one(
        "aftersales.defective.return",
        string="Defective Part",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(related="defective_return_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    ticket_id = fields.Many2one(related="defective_return_id.ticket_id", store=True, index=True)
    product_id = fields.Many2one(related="defective_return_id.product_id", store=True, index=True)
    lot_id = fields.Many2one(
        related="defective_return_id.lot_id", store=True, string="Lot/Serial", index=True
    )
    quantity = fields.Float(related="defective_return_id.quantity", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        tracking=True,
        index=True,
        check_company=True,
        help="From the purchase of the part's lot, else the product's first vendor.",
    )
    price_unit = fields.Monetary(
        string="Unit Price", help="What the vendor charged for one part: what is claimed back."
    )
    amount_claimed = fields.Monetary(compute="_compute_amount_claimed", store=True)
    no_return = fields.Boolean(
        string="Claim Without Return",
        help="The part cannot be sent back (scrapped on site, destroyed in the test): the "
        "amount is claimed without a return or a credit note.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("claimed", "Claimed"),
            ("recovered", "Recovered"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return to Vendor", readonly=True, copy=False
    )
    credit_note_id = fields.Many2one(
        "account.move", string="Vendor Credit Note", readonly=True, copy=False
    )
    amount_recovered = fields.Monetary(
        tracking=True, help="What the vendor paid back or credited (the credit note's amount)."
    )
    date_claimed = fields.Datetime(readonly=True, copy=False)
    date_closed = fields.Datetime(readonly=True, copy=False)
    reject_reason = fields.Text(string="Rejection Reason")

    @api.depends("quantity", "price_unit")
    def _compute_amount_claimed(self):
        for claim in self:
            claim.amount_claimed = claim.currency_id.round(claim.quantity * claim.price_unit)

    @api.constrains("price_unit", "amount_recovered")
    def _check_amounts(self):
        for claim in self:
            if claim.price_unit < 0 or claim.amount_recovered < 0:
                raise ValidationError(_("The amounts of claim %s are not negative.", claim.name))

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(vals_list)
        for claim in claims:
            sequence = claim.company_id._aftersales_sequence("aftersales.supplier.claim")
            values = {"name": sequence.next_by_id()}
            if not claim.partner_id:
                values.update(claim._vendor_and_price())
            claim.sudo().write(values)
        return claims

    def _aftersales_notify_managers(self):
        """The company's managers send claims: each gets an activity on a new one."""
        managers = self.env.ref("aftersales_service.group_aftersales_manager").users.filtered(
            lambda u: self.company_id in u.company_ids and not u._is_superuser()
        )
        for manager in managers:
            self._aftersales_schedule_activity(
                "mail.mail_activity_data_todo",
                manager,
                summary=lambda env: env._("Send the supplier claim"),
            )

    def _vendor_and_price(self):
        """{partner_id, price_unit}: the purchase of the removed part's lot, else the
        product's first vendor for the company, else nothing (typed in)."""
        self.ensure_one()
        product = self.product_id.sudo()
        lines = self.lot_id.sudo().purchase_order_ids.order_line.filtered(
            lambda line: line.product_id == product
        )
        if lines:
            line = lines[:1]
            return {
                "partner_id": line.order_id.partner_id.id,
                "price_unit": line.currency_id._convert(
                    line.price_unit, self.currency_id, self.company_id, fields.Date.today()
                ),
            }
        sellers = product.seller_ids.filtered(
            lambda s: s.company_id in (self.company_id, self.env["res.company"])
        )
        if sellers:
            seller = sellers[:1]
            return {
                "partner_id": seller.partner_id.id,
                "price_unit": seller.currency_id._convert(
                    seller.price, self.currency_id, self.company_id, fields.Date.today()
                ),
            }
        return {"price_unit": product.standard_price}

    # ------------------------------------------------------------------
    # Claim, recover, reject (managers)
    # ------------------------------------------------------------------

    def action_claim(self):
        """Send the claim: the part goes back to the vendor with an Odoo return and a draft
        vendor credit note asks for the money; without a return, the amount is claimed."""
        self._aftersales_check_role("manager", _("send supplier claims"))
        self.check_access("write")
        for claim in self:
            if claim.state != "draft":
                raise UserError(_("Claim %s was already sent.", claim.name))
            if not claim.partner_id:
                raise UserError(_("Choose the vendor of claim %s.", claim.name))
            if not claim.price_unit:
                raise UserError(_("Give the unit price claimed on %s.", claim.name))
            values = {"state": "claimed", "date_claimed": fields.Datetime.now()}
            if not claim.no_return:
                if claim.defective_return_id.state != "inspected":
                    raise UserError(
                        _("Defective part %s is not inspected yet.", claim.defective_return_id.name)
                    )
                values["return_picking_id"] = claim._create_vendor_return().id
                values["credit_note_id"] = claim._create_credit_note().id
            claim.sudo().write(values)
            claim.message_post(
                body=_(
                    "Claimed %(amount)s from %(vendor)s.",
                    amount=claim.currency_id.format(claim.amount_claimed),
                    vendor=claim.partner_id.display_name,
                )
            )
        return True

    def _create_vendor_return(self):
        self.ensure_one()
        warehouse = (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
        picking_type = warehouse.in_type_id.return_picking_type_id or warehouse.out_type_id
        source = self.company_id._aftersales_defective_location()
        vendor_location = self.env.ref("stock.stock_location_suppliers")
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_context(aftersales_no_warranty_registration=True)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": self.partner_id.id,
                    "location_id": source.id,
                    "location_dest_id": vendor_location.id,
                    "company_id": self.company_id.id,
                    "origin": self.name,
                    "aftersales_ticket_id": self.ticket_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product_id.display_name,
                                "product_id": self.product_id.id,
                                "product_uom_qty": self.quantity,
                                "product_uom": self.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": vendor_location.id,
                                "company_id": self.company_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        move = picking.move_ids
        move._aftersales_set_done_quantity(self.quantity, self.lot_id or None)
        return picking

    def _create_credit_note(self):
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "in_refund",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "ref": _("Supplier claim %s", self.name),
                    "aftersales_ticket_id": self.ticket_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "name": _(
                                    "Defective %(part)s %(lot)s (claim %(claim)s)",
                                    part=self.product_id.display_name,
                                    lot=self.lot_id.name or "",
                                    claim=self.name,
                                ),
                                "quantity": self.quantity,
                                "price_unit": self.price_unit,
                            }
                        )
                    ],
                }
            )
        )

    def action_recover(self):
        """Close the claim as recovered: the credit note's amount once it is posted, else
        the amount typed in."""
        self._aftersales_check_role("manager", _("close supplier claims"))
        self.check_access("write")
        for claim in self:
            if claim.state != "claimed":
                raise UserError(_("Claim %s is not waiting for the vendor.", claim.name))
            amount = claim.amount_recovered
            credit_note = claim.credit_note_id.sudo()
            if credit_note:
                if credit_note.state != "posted":
                    raise UserError(
                        _(
                            "Credit note of claim %s is not posted yet: post it once the "
                            "vendor agreed.",
                            claim.name,
                        )
                    )
                amount = credit_note.currency_id._convert(
                    credit_note.amount_untaxed,
                    claim.currency_id,
                    claim.company_id,
                    credit_note.invoice_date or fields.Date.today(),
                )
            if claim.currency_id.is_zero(amount):
                raise UserError(_("Give the amount recovered on claim %s.", claim.name))
            claim._close("recovered", amount_recovered=amount)
        return True

    def action_reject(self):
        """The vendor refused: closed with the reason typed on the claim."""
        self._aftersales_check_role("manager", _("close supplier claims"))
        for claim in self:
            self._aftersales_require_reason(claim.reject_reason, _("closing a rejected claim"))
            if claim.state not in ("draft", "claimed"):
                raise UserError(_("Claim %s is already closed.", claim.name))
            if claim.credit_note_id.sudo().state == "draft":
                claim.credit_note_id.sudo().button_cancel()
            claim._close("rejected")
        return True

    def _close(self, state, **values):
        self.check_access("write")
        self.sudo().write({"state": state, "date_closed": fields.Datetime.now(), **values})

    @api.model
    def _recover_from_credit_notes(self, moves):
        """A vendor credit note of a claim posted in Accounting recovers the claim."""
        claims = self.sudo().search(
            [("credit_note_id", "in", moves.ids), ("state", "=", "claimed")]
        )
        for claim in claims:
            note = claim.credit_note_id
            claim.write(
                {
                    "state": "recovered",
                    "date_closed": fields.Datetime.now(),
                    "amount_recovered": note.currency_id._convert(
                        note.amount_untaxed,
                        claim.currency_id,
                        claim.company_id,
                        note.invoice_date or fields.Date.today(),
                    ),
                }
            )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "name",
            "state",
            "return_picking_id",
            "credit_note_id",
            "date_claimed",
            "date_closed",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"defective_return_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"partner_id", "price_unit", "no_return"}
        writable["manager"] |= {"amount_recovered", "reject_reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _aftersales_locked_writable_fields(self):
        # Following the vendor: what came back and why it was refused.
        return {"amount_recovered", "reject_reason"} if self.state == "claimed" else set()
