from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesApprovalMixin(models.AbstractModel):
    """Money decisions approved within the approver's limit (res.users and res.groups
    `aftersales_approval_limit`) and escalated to the company's After-Sales managers above
    it: fee waivers, emergency fund drawings."""

    _name = "aftersales.approval.mixin"
    _description = "After-Sales Approval Within Limits"
    _inherit = ["aftersales.guard.mixin"]

    state = fields.Selection(
        [
            ("to_approve", "To Approve"),
            ("escalated", "Escalated to a Manager"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="to_approve",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_decided = fields.Datetime(readonly=True, copy=False)

    def _aftersales_method_fields(self):
        # Decisions are the approve/refuse buttons', with the approver's limit.
        return super()._aftersales_method_fields() | {
            "state",
            "requested_by_id",
            "decided_by_id",
            "date_decided",
        }

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state in ("approved", "refused")

    @api.model
    def _approval_limit(self, what):
        """The current user's limit; AccessError for users who approve nothing (managers
        include customer service)."""
        self._aftersales_check_role("user", what)
        return self.env.user._aftersales_approval_limit()

    def _approval_check_undecided(self):
        for record in self:
            if record.state not in ("to_approve", "escalated"):
                raise UserError(_("%s is already decided.", record.display_name))

    def _approval_lock_shared(self):
        """Hook: the records whose figures these decisions spend (the company of a fund
        drawing, the quotation of a fee waiver), as a list of recordsets. Decisions that
        share one of them run one after the other."""
        return []

    def _approval_lock(self):
        """Take the decision locks (_aftersales_lock, with the shared rows of
        _approval_lock_shared()), then check nothing is decided yet: call before any
        check. Without the shared row, two drawings would each pass the balance check on
        a snapshot that does not show the other one."""
        self._aftersales_lock(self._approval_lock_shared())
        self._approval_check_undecided()

    def _approval_decide(self, state, **extra):
        self.check_access("write")
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.sudo().write(
            {
                "state": state,
                "decided_by_id": self.env.user.id,
                "date_decided": fields.Datetime.now(),
                **extra,
            }
        )

    def _approval_escalate(self, summary):
        """Above the user's limit: the company's managers get an activity to decide."""
        self.ensure_one()
        self.check_access("write")
        self.sudo().state = "escalated"
        managers = self.env.ref("aftersales_service.group_aftersales_manager").users.filtered(
            lambda u: self.company_id in u.company_ids and not u._is_superuser()
        )
        for manager in managers:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, user_id=manager.id
            )
