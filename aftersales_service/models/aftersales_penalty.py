from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AftersalesPenalty(models.Model):
    _name = "aftersales.penalty"
    _description = "Penalty or Reward"
    _inherit = ["mail.thread"]
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

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            if set(vals) - {"objection"}:
                raise AccessError(
                    _("Only managers change penalties and rewards; you may add an objection.")
                )
        return super().write(vals)

    def action_confirm(self):
        self._check_manager()
        for penalty in self:
            if penalty.state != "draft":
                raise UserError(
                    _("%s is not a draft: it cannot be confirmed.", penalty.display_name)
                )
        self.sudo().write({"state": "confirmed"})
        return True

    def action_cancel(self, reason):
        self._check_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give a reason when cancelling a penalty or reward."))
        if self.filtered(lambda p: p.state == "cancelled"):
            raise UserError(_("Already cancelled."))
        self.sudo().write({"state": "cancelled", "cancel_reason": reason})
        return True

    def action_cancel_from_form(self):
        return self.action_cancel(
            self.env.context.get("cancel_reason") or self.cancel_reason or self.reason
        )

    def _check_manager(self):
        if not (
            self.env.su or self.env.user.has_group("aftersales_service.group_aftersales_manager")
        ):
            raise AccessError(_("Only managers confirm or cancel penalties and rewards."))

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
