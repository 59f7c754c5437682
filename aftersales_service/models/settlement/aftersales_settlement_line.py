from odoo import _, api, fields, models
from odoo.exceptions import UserError

KINDS = [
    ("job", "Job"),
    ("deduction", "Material Charged"),
]


class AftersalesSettlementLine(models.Model):
    """One finished job of the centre (job rate + hours at the hourly rate + travel
    allowance), or one material reconciliation's charge deducted."""

    _name = "aftersales.settlement.line"
    _description = "Service Centre Settlement Line"
    _inherit = ["aftersales.guard.mixin"]
    _order = "settlement_id, kind desc, date, id"

    settlement_id = fields.Many2one(
        "aftersales.settlement", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="settlement_id.company_id", store=True)
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    kind = fields.Selection(KINDS, required=True, default="job")
    visit_id = fields.Many2one("aftersales.visit", index="btree_not_null")
    ticket_id = fields.Many2one("aftersales.ticket")
    reconciliation_id = fields.Many2one(
        "aftersales.material.reconciliation",
        string="Material Reconciliation",
        index="btree_not_null",
    )
    date = fields.Datetime(help="When the job was finished (checked out).")
    category_id = fields.Many2one("aftersales.category", string="Job Type")
    zone_id = fields.Many2one("aftersales.zone", string="Service Zone")
    work_hours = fields.Float(string="Hours")
    job_amount = fields.Monetary(string="Job Rate")
    hours_amount = fields.Monetary(string="Labour")
    travel_amount = fields.Monetary(string="Travel")
    deduction_amount = fields.Monetary(string="Deduction")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    is_rejected = fields.Boolean(string="Rejected", readonly=True)
    reject_reason = fields.Char(string="Rejection Reason")

    @api.depends("job_amount", "hours_amount", "travel_amount", "deduction_amount")
    def _compute_amount(self):
        for line in self:
            line.amount = (
                line.job_amount + line.hours_amount + line.travel_amount + line.deduction_amount
            )

    @api.depends("kind", "visit_id", "reconciliation_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                line.reconciliation_id.name if line.kind == "deduction" else line.visit_id.name
            ) or ""

    def _check_review_open(self):
        self._aftersales_check_role("user", _("review settlement lines"))
        self.check_access("write")
        for line in self:
            if line.settlement_id.state != "draft":
                raise UserError(
                    _(
                        "%s is submitted: its lines can no longer be rejected or accepted.",
                        line.settlement_id.name,
                    )
                )

    def action_reject(self, reason=None):
        """Customer service rejects the line with a reason: it is not paid."""
        self._check_review_open()
        for line in self:
            text = self._aftersales_require_reason(
                reason if reason is not None else line.reject_reason,
                _("rejecting a settlement line"),
            )
            line._aftersales_method_write({"is_rejected": True, "reject_reason": text})
            line.settlement_id.message_post(
                body=_("Line %(line)s rejected: %(reason)s", line=line.display_name, reason=text)
            )
        return True

    def action_accept(self):
        """Take a rejected line back into the claim."""
        self._check_review_open()
        self._aftersales_method_write({"is_rejected": False, "reject_reason": False})
        return True

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "kind",
            "visit_id",
            "ticket_id",
            "reconciliation_id",
            "date",
            "category_id",
            "zone_id",
            "work_hours",
            "job_amount",
            "hours_amount",
            "travel_amount",
            "deduction_amount",
            "is_rejected",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"settlement_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"reject_reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.sudo().settlement_id.state != "draft"
