from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesFeeWaiver(models.Model):
    _name = "aftersales.fee.waiver"
    _description = "Fee Waiver Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, index=True, ondelete="cascade", check_company=True
    )
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
    sale_line_id = fields.Many2one("sale.order.line", readonly=True, copy=False)

    @api.depends("ticket_id.name", "amount")
    def _compute_name(self):
        for waiver in self:
            waiver.name = _(
                "Waiver %(amount)s on %(ticket)s",
                amount=waiver.amount,
                ticket=waiver.ticket_id.name,
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
        self.ensure_one()
        order = self.sale_order_id
        if not order or order.state == "cancel":
            return
        product = self.env.ref("aftersales_service.product_fee_waiver")
        order.sudo().write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": _("Fee waiver: %s", self.reason),
                            "product_uom_qty": 1,
                            "price_unit": -self._amount_in_order_currency(),
                            "tax_id": [Command.clear()],
                        }
                    )
                ]
            }
        )
        self.sudo().sale_line_id = order.order_line[-1]

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
        return super()._aftersales_method_fields() | {"sale_line_id"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"ticket_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The request, while undecided (approved or refused waivers are locked).
        writable["user"] |= {"sale_order_id", "amount", "reason", "refuse_reason"}
        return writable
