from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesFeeWaiver(models.Model):
    _name = "aftersales.fee.waiver"
    _description = "Fee Waiver Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    # The waiver's company is its ticket's: no company check on the ticket itself (it
    # would offer only tickets without a company while the request has none yet).
    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Quotation",
        check_company=True,
        domain="[('aftersales_ticket_id', '=', ticket_id), ('state', '!=', 'cancel')]",
        help="The waiver is added to this quotation as a negative line once approved.",
    )
    amount = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True)
    refuse_reason = fields.Text()
    sale_line_ids = fields.One2many(
        "sale.order.line",
        "aftersales_waiver_id",
        string="Quotation Lines",
        readonly=True,
        help="The negative lines the approved waiver added to the quotation, one per set of "
        "taxes it reduces.",
    )

    @api.depends("ticket_id.name", "amount", "currency_id")
    def _compute_name(self):
        for waiver in self:
            # A request being typed has no title yet (a new record's id is false).
            if not waiver._origin.id or not waiver.ticket_id or not waiver.currency_id:
                waiver.name = _("New waiver")
                continue
            waiver.name = _(
                "%(ticket)s - %(amount)s",
                ticket=waiver.ticket_id.name,
                amount=waiver.currency_id.format(waiver.amount),
            )

    @api.constrains("amount")
    def _check_amount(self):
        for waiver in self:
            if waiver.amount <= 0:
                raise ValidationError(_("A fee waiver is a positive amount."))

    @api.constrains("reason")
    def _check_reason(self):
        for waiver in self:
            if not (waiver.reason or "").strip():
                raise ValidationError(_("Give the reason for the fee waiver."))

    @api.constrains("sale_order_id", "ticket_id", "amount")
    def _check_quotation(self):
        for waiver in self:
            order = waiver.sale_order_id
            if order and order.aftersales_ticket_id != waiver.ticket_id:
                raise ValidationError(
                    _(
                        "Quotation %(order)s is not a quotation of ticket %(ticket)s: a fee "
                        "waiver reduces its own ticket's quotation.",
                        order=order.name,
                        ticket=waiver.ticket_id.name,
                    )
                )
        # Once approved, the waiver's own line is in the total: only undecided ones compare.
        self.filtered(lambda w: w.state in ("to_approve", "escalated"))._check_within_quotation()

    def _check_within_quotation(self):
        """A waiver cannot take the quotation below zero: its amount is at most what the
        quotation still charges before taxes (earlier waivers' lines included)."""
        for waiver in self.filtered("sale_order_id"):
            order = waiver.sale_order_id
            amount = waiver._amount_in_order_currency()
            if order.currency_id.compare_amounts(amount, order.amount_untaxed) > 0:
                raise ValidationError(
                    _(
                        "The fee waiver of %(amount)s is more than quotation %(order)s "
                        "charges before taxes (%(total)s).",
                        amount=waiver._amount_text(),
                        order=order.name,
                        total=order.currency_id.format(order.amount_untaxed),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        waivers = super().create(vals_list)
        for waiver in waivers:
            waiver.ticket_id.message_post(
                body=_(
                    "Fee waiver of %(amount)s requested by %(user)s: %(reason)s",
                    amount=waiver._amount_text(),
                    user=waiver.requested_by_id.name,
                    reason=waiver.reason,
                )
            )
        return waivers

    @api.model
    def _action_request(self, ticket, order=None):
        """The request form with the ticket and its quotation filled in: the quotation
        given, else the ticket's latest open quotation, else its latest confirmed one."""
        self._aftersales_check_role("user", _("request fee waivers"))
        ticket.check_access("read")
        if order is None:
            orders = ticket.sudo().quotation_ids.filtered(lambda o: o.state != "cancel")
            orders = orders.sorted("id", reverse=True)
            order = orders.filtered(lambda o: o.state in ("draft", "sent"))[:1] or orders[:1]
        return {
            "type": "ir.actions.act_window",
            "name": _("Request Fee Waiver"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_ticket_id": ticket.id,
                "default_sale_order_id": order.id,
            },
        }

    def action_approve(self):
        """Approve within the user's limit; above it, send the request to the managers."""
        limit = self._approval_limit(_("approve fee waivers"))
        is_manager = self._aftersales_has_role("manager")
        # The quotation's total is re-read inside its lock: see _approval_lock().
        self._approval_lock()
        for waiver in self:
            waiver._check_within_quotation()
            if not is_manager and waiver.amount > limit:
                waiver._escalate(limit)
                continue
            waiver._approval_decide("approved")
            waiver._apply_to_quotation()
            waiver.ticket_id.message_post(
                body=_(
                    "Fee waiver of %(amount)s approved by %(user)s.",
                    amount=waiver._amount_text(),
                    user=self.env.user.name,
                )
            )
        return True

    def action_refuse(self, reason):
        reason = self._aftersales_require_reason(reason, _("refusing a fee waiver"))
        user = self.env.user
        self._approval_limit(_("refuse fee waivers"))
        self._approval_lock()
        for waiver in self:
            waiver._approval_decide("refused", refuse_reason=reason)
            waiver.ticket_id.message_post(
                body=_(
                    "Fee waiver of %(amount)s refused by %(user)s: %(reason)s",
                    amount=waiver._amount_text(),
                    user=user.name,
                    reason=reason,
                )
            )
        return True

    def action_refuse_with_reason(self):
        """Form button: refuse with the reason typed on the request."""
        return self.action_refuse(self.refuse_reason)

    def _approval_lock_shared(self):
        # Two waivers on one quotation: the second is checked against the reduced total.
        return [*super()._approval_lock_shared(), self.sale_order_id]

    def _escalate(self, limit):
        self.ensure_one()
        self._approval_escalate(_("Approve a fee waiver above the limit"))
        self.ticket_id.message_post(
            body=_(
                "Fee waiver of %(amount)s is above %(user)s's limit (%(limit)s): "
                "sent to the managers.",
                amount=self._amount_text(),
                user=self.env.user.name,
                limit=self.currency_id.format(limit),
            )
        )

    def _apply_to_quotation(self):
        """Add the waiver to its quotation as negative lines that carry the taxes of the
        lines they reduce, in proportion, the way Odoo's global discount does: a full
        waiver leaves nothing to pay, tax included. The customer reads a neutral label;
        the reason stays on the request."""
        self.ensure_one()
        order = self.sale_order_id.sudo()
        if not order or order.state == "cancel":
            return
        product = self.env.ref("aftersales_service.product_fee_waiver")
        customer_env = self.with_context(lang=order._get_lang()).env
        shares = self._waived_shares(order, self._amount_in_order_currency())
        label = customer_env._("After-sales fee waiver")
        lines = []
        for taxes, share in shares:
            name = label
            if len(shares) > 1:
                name = customer_env._(
                    "%(label)s (%(taxes)s)",
                    label=label,
                    taxes=", ".join(taxes.mapped("name")) or customer_env._("no tax"),
                )
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "name": name,
                        "product_uom_qty": 1,
                        "price_unit": -self._waiver_price_unit(order, taxes, share),
                        "tax_id": [Command.set(taxes.ids)],
                        "sequence": 999,
                        "aftersales_waiver_id": self.id,
                    }
                )
            )
        order.write({"order_line": lines})

    def _waived_shares(self, order, amount):
        """[(taxes, untaxed share)]: ``amount`` split over what the quotation still charges
        before taxes per set of taxes (earlier waivers deducted), rounded so the shares add
        up to ``amount``. Fixed taxes are per unit and are not waived (as in Odoo's
        discount)."""
        currency = order.currency_id
        charged = defaultdict(float)
        for line in order.order_line:
            if line.display_type or not line.product_uom_qty:
                continue
            taxes = line.tax_id.flatten_taxes_hierarchy()
            taxes -= taxes.filtered(lambda tax: tax.amount_type == "fixed")
            charged[taxes] += line.price_subtotal
        groups = sorted(
            ((taxes, total) for taxes, total in charged.items() if currency.round(total) > 0),
            key=lambda group: group[1],
        )
        if not groups:
            return [(self.env["account.tax"], amount)]
        base = sum(total for _taxes, total in groups)
        shares = [(taxes, currency.round(amount * total / base)) for taxes, total in groups[:-1]]
        # The largest group takes the rounding difference.
        shares.append((groups[-1][0], currency.round(amount - sum(s for _t, s in shares))))
        return [(taxes, share) for taxes, share in shares if not currency.is_zero(share)]

    def _waiver_price_unit(self, order, taxes, share):
        """The unit price whose amount before taxes is ``share``: taxes included in the
        price are added back."""
        included = taxes.filtered("price_include")
        if not included:
            return share
        return included.compute_all(share, currency=order.currency_id, handle_price_include=False)[
            "total_included"
        ]

    def _amount_in_order_currency(self):
        self.ensure_one()
        order = self.sale_order_id
        return self.currency_id._convert(
            self.amount, order.currency_id, self.company_id, fields.Date.today()
        )

    def _amount_text(self):
        return self.currency_id.format(self.amount)

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"sale_line_ids"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"ticket_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The request, while undecided (approved or refused waivers are locked).
        writable["user"] |= {"sale_order_id", "amount", "reason", "refuse_reason"}
        return writable
