from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


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
        is_manager = self._approval_is_manager()
        for waiver in self:
            waiver._approval_check_undecided()
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
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give a reason when refusing a fee waiver."))
        user = self.env.user
        for waiver in self:
            waiver._approval_check_undecided()
            waiver._approval_limit(_("refuse fee waivers"))
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
                            "price_unit": -self.currency_id._convert(
                                self.amount, order.currency_id, self.company_id, fields.Date.today()
                            ),
                            "tax_id": [Command.clear()],
                        }
                    )
                ]
            }
        )
        self.sudo().sale_line_id = order.order_line[-1]

    def _amount_text(self):
        return self.currency_id.format(self.amount)
