from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesPenalty(models.Model):
    _name = "aftersales.penalty"
    _description = "Penalty or Reward"
    _inherit = ["mail.thread", "aftersales.guard.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, tracking=True, check_company=True
    )
    employee_user_id = fields.Many2one(
        related="employee_id.user_id", store=True, string="Employee User"
    )
    rule_id = fields.Many2one("aftersales.penalty.rule", required=True, check_company=True)
    kind = fields.Selection(related="rule_id.kind", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    ticket_id = fields.Many2one("aftersales.ticket", index="btree_not_null", check_company=True)
    visit_id = fields.Many2one("aftersales.visit", index="btree_not_null")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    amount = fields.Monetary(
        compute="_compute_from_rule", store=True, readonly=False, tracking=True
    )
    points = fields.Float(compute="_compute_from_rule", store=True, readonly=False)
    reason = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    cancel_reason = fields.Text(readonly=True)
    objection = fields.Text(help="The employee's side of the story.")
    auto_raised = fields.Boolean(readonly=True, help="Raised by the system, not by a manager.")

    @api.depends("rule_id")
    def _compute_from_rule(self):
        for penalty in self:
            penalty.amount = penalty.rule_id.amount
            penalty.points = penalty.rule_id.points

    @api.constrains("amount", "points")
    def _check_amount(self):
        # Like its rule: positive figures, the kind says whether it is a penalty or a reward.
        for penalty in self:
            if penalty.amount < 0 or penalty.points < 0:
                raise ValidationError(
                    _(
                        "%s: the amount and the points are positive figures; the rule's "
                        "kind says whether it is a penalty or a reward.",
                        penalty.display_name,
                    )
                )

    def init(self):
        # At most one automatic record per rule, ticket/visit and employee, even with two crons.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_penalty_auto_once
            ON aftersales_penalty
               (rule_id, employee_id, COALESCE(ticket_id, 0), COALESCE(visit_id, 0))
            WHERE auto_raised
            """
        )

    def action_confirm(self):
        self._aftersales_check_role("manager", _("confirm penalties and rewards"))
        for penalty in self:
            if penalty.state != "draft":
                raise UserError(
                    _("%s is not a draft: it cannot be confirmed.", penalty.display_name)
                )
        self._aftersales_method_write({"state": "confirmed"})
        return True

    def action_cancel(self, reason):
        self._aftersales_check_role("manager", _("cancel penalties and rewards"))
        reason = self._aftersales_require_reason(reason, _("cancelling a penalty or reward"))
        if self.filtered(lambda p: p.state == "cancelled"):
            raise UserError(_("Already cancelled."))
        self._aftersales_method_write({"state": "cancelled", "cancel_reason": reason})
        return True

    def action_cancel_from_form(self):
        return self.action_cancel(
            self.env.context.get("cancel_reason") or self.cancel_reason or self.reason
        )

    @api.depends("rule_id", "employee_id")
    def _compute_display_name(self):
        for penalty in self:
            penalty.display_name = (
                f"{penalty.rule_id.name or ''} - {penalty.employee_id.name or ''}"
            )

    @api.model
    def _raise_auto(self, rule, employees, ticket, visit=None, reason=None):
        """Draft records the system detected, once per rule, employee and ticket/visit."""
        if not rule:
            return self.browse()
        existing = self.search(
            [
                ("auto_raised", "=", True),
                ("rule_id", "=", rule.id),
                ("employee_id", "in", employees.ids),
                ("ticket_id", "=", ticket.id),
                ("visit_id", "=", visit.id if visit else False),
            ]
        )
        todo = employees - existing.employee_id
        return self.create(
            [
                {
                    "employee_id": employee.id,
                    "rule_id": rule.id,
                    "company_id": ticket.company_id.id,
                    "ticket_id": ticket.id,
                    "visit_id": visit.id if visit else False,
                    "reason": reason,
                    "auto_raised": True,
                }
                for employee in todo
            ]
        )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"state", "cancel_reason", "auto_raised"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {
            "employee_id",
            "rule_id",
            "ticket_id",
            "visit_id",
        }

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The employee's side of the story.
        writable["assignee"] |= {"objection"}
        writable["manager"] |= {"date", "amount", "points", "reason"}
        return writable

    def _aftersales_owner_only_fields(self):
        return super()._aftersales_owner_only_fields() | {"objection"}

    def _aftersales_assignee_users(self):
        return self.employee_id.user_id

    def _aftersales_is_locked(self):
        # A confirmed penalty is what payroll reads; only the objection may follow.
        self.ensure_one()
        return self.state != "draft"

    def _aftersales_locked_writable_fields(self):
        return {"objection"}
