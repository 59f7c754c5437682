from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class AftersalesFundMove(models.Model):
    """The emergency repair fund's ledger: managers allocate money, emergency tickets draw
    on it once approved within the approver's limit; the balance cannot go negative unless
    a manager overrides with a reason."""

    _name = "aftersales.fund.move"
    _description = "Emergency Repair Fund Move"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.approval.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("allocation", "Allocation"), ("drawing", "Drawing")], required=True, default="drawing"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    amount = fields.Monetary(currency_field="currency_id", required=True, tracking=True)
    signed_amount = fields.Monetary(
        currency_field="currency_id", compute="_compute_signed_amount", store=True
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        check_company=True,
        index="btree_not_null",
        domain="[('priority', '=', '3')]",
        help="The emergency ticket the money pays for.",
    )
    description = fields.Text(required=True)
    override_reason = fields.Text(
        readonly=True, copy=False, help="Why a manager let the fund go negative."
    )

    @api.depends("kind", "ticket_id", "date")
    def _compute_name(self):
        labels = dict(self._fields["kind"].selection)
        for move in self:
            move.name = " ".join(filter(None, [labels[move.kind], move.ticket_id.name]))

    @api.depends("kind", "amount")
    def _compute_signed_amount(self):
        for move in self:
            move.signed_amount = move.amount if move.kind == "allocation" else -move.amount

    @api.constrains("amount", "kind", "ticket_id")
    def _check_move(self):
        for move in self:
            if move.amount <= 0:
                raise ValidationError(_("A fund move is a positive amount."))
            if move.kind == "drawing":
                if not move.ticket_id:
                    raise ValidationError(_("A drawing pays for an emergency ticket: choose it."))
                if move.ticket_id.priority != "3":
                    raise ValidationError(
                        _(
                            "%s is not an emergency ticket: the emergency fund pays for "
                            "emergency repairs only.",
                            move.ticket_id.name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        is_manager = self._aftersales_has_role("manager")
        for vals in vals_list:
            if vals.get("kind") == "allocation" and not is_manager:
                raise AccessError(_("Only After-Sales managers allocate money to the fund."))
        moves = super().create(vals_list)
        # Allocations are the managers' own decision.
        moves.filtered(lambda m: m.kind == "allocation")._decide("approved")
        for move in moves.filtered("ticket_id"):
            move.ticket_id.message_post(
                body=_(
                    "Emergency fund drawing of %(amount)s requested: %(description)s",
                    amount=move.currency_id.format(move.amount),
                    description=move.description,
                )
            )
        return moves

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if any(move.state == "approved" for move in self):
            raise UserError(_("An approved fund move cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_approve(self):
        """Approve within the user's limit; above it the managers decide. A drawing the
        balance cannot cover needs action_approve_override."""
        limit = self._approval_limit(_("approve emergency fund drawings"))
        is_manager = self._aftersales_has_role("manager")
        # The balance is read inside the company's fund lock: see _approval_lock().
        self._approval_lock()
        for move in self:
            if not is_manager and move.amount > limit:
                move._escalate(limit)
                continue
            balance = move.company_id._aftersales_fund_balance()
            if move.amount > balance:
                raise UserError(
                    _(
                        "The emergency fund holds %(balance)s: it cannot pay %(amount)s. A "
                        "manager may approve it anyway, with a reason.",
                        balance=move.currency_id.format(balance),
                        amount=move.currency_id.format(move.amount),
                    )
                )
            move._decide("approved")
        return True

    def action_approve_override(self, reason):
        """A manager pays a drawing even if the fund goes negative."""
        if not self._aftersales_has_role("manager"):
            raise AccessError(_("Only After-Sales managers may overdraw the emergency fund."))
        reason = self._aftersales_require_reason(reason, _("overdrawing the emergency fund"))
        self._approval_lock()
        for move in self:
            move._decide("approved", override_reason=reason)
            move.message_post(body=_("Approved beyond the fund's balance: %s", reason))
        return True

    def action_refuse(self):
        self._approval_limit(_("refuse emergency fund drawings"))
        self._approval_lock()
        self._decide("refused")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _approval_lock_shared(self):
        # Drawings spend their company's fund: one balance check at a time per company.
        drawings = self.filtered(lambda m: m.kind == "drawing")
        return [*super()._approval_lock_shared(), drawings.company_id]

    def _decide(self, state, **extra):
        self._approval_decide(state, **extra)
        for move in self.filtered(lambda m: m.ticket_id and state == "approved"):
            move.ticket_id.message_post(
                body=_(
                    "Emergency fund drawing of %(amount)s approved by %(user)s.",
                    amount=move.currency_id.format(move.amount),
                    user=self.env.user.name,
                )
            )

    def _escalate(self, limit):
        self.ensure_one()
        self._approval_escalate(_("Approve an emergency fund drawing above the limit"))
        self.message_post(
            body=_(
                "%(amount)s is above %(user)s's approval limit (%(limit)s): sent to the managers.",
                amount=self.currency_id.format(self.amount),
                user=self.env.user.name,
                limit=self.currency_id.format(limit),
            )
        )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"override_reason"}

    def _aftersales_create_only_fields(self):
        # A drawing never turns into an allocation, nor pays for another ticket.
        return super()._aftersales_create_only_fields() | {"kind", "ticket_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"amount", "date", "description"}
        return writable
