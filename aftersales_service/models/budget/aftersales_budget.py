from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..kpi.kpi_period import period_bounds, period_domain

_lt = LazyTranslate(__name__)

# The kinds of cost a budget plans, as the ticket stores them (cost_<kind>, company
# currency, see models/cost/aftersales_ticket.py).
COST_KINDS = [
    ("parts", "Parts"),
    ("labour", "Labour"),
    ("expense", "Expenses"),
    ("fund", "Fund Drawings"),
    ("waiver", "Fees Waived"),
]
BUDGET_STATES = [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")]
# Consumption (actual / budget) at which the team is warned, once each.
THRESHOLD_WARNING = 0.8
THRESHOLD_EXCEEDED = 1.0


class AftersalesBudget(models.Model):
    """The repair-cost budget of a team (optionally of one product category) for a month
    or a quarter, per kind of cost, against what the team's tickets cost.

    The actual figures are those of the tickets of the team (and of products of the
    category or its sub-categories) created in the period, cancelled tickets excluded: the
    tickets and the date of the Ticket Costs report (aftersales.kpi.report), so that both
    show the same amounts. A period is made of days in the company's time zone."""

    _name = "aftersales.budget"
    _description = "Repair-Cost Budget"
    _aftersales_state_noun = _lt("Budget")
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_from desc, team_id, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one(
        "aftersales.team", required=True, index=True, check_company=True, tracking=True
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index="btree_not_null",
        tracking=True,
        help="Empty: every ticket of the team. Otherwise only the tickets about products of "
        "this category or of its sub-categories.",
    )
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")],
        string="Period",
        default="month",
        required=True,
        tracking=True,
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The first day of the month, or of the quarter (1 January, 1 April, 1 July, "
        "1 October).",
    )
    date_to = fields.Date(string="Period End", compute="_compute_period", store=True)
    period_start = fields.Datetime(
        string="Counted From",
        compute="_compute_period",
        store=True,
        help="The period's first moment in the company's time zone: tickets created from "
        "then count.",
    )
    period_end = fields.Datetime(
        string="Counted Until",
        compute="_compute_period",
        store=True,
        help="The moment after the period's last day in the company's time zone: tickets "
        "created from then on count no more.",
    )
    state = fields.Selection(
        BUDGET_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        "aftersales.budget.line",
        "budget_id",
        string="Budget Lines",
        copy=True,
        default=lambda self: [Command.create({"kind": kind}) for kind, _label in COST_KINDS],
    )
    amount_budget = fields.Monetary(
        string="Budgeted",
        compute="_compute_amount_budget",
        store=True,
        tracking=True,
        help="The lines' budgets, every kind of cost.",
    )
    amount_actual = fields.Monetary(
        string="Actual",
        compute="_compute_actuals",
        help="What the tickets of the team (and category) created in the period cost so "
        "far: parts, labour, expenses, fund drawings and fees waived. Cancelled tickets do "
        "not count. The same tickets and date as the Ticket Costs report.",
    )
    amount_variance = fields.Monetary(
        string="Variance", compute="_compute_actuals", help="Budget - actual: below 0, overspent."
    )
    consumption = fields.Float(
        string="Consumed", compute="_compute_actuals", help="Actual / budget."
    )
    ticket_count = fields.Integer(string="Tickets", compute="_compute_actuals")
    submitted_by_id = fields.Many2one("res.users", string="Prepared By", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime(string="Approved On", readonly=True, copy=False)
    reason = fields.Text(
        copy=False,
        help="Why a manager refuses the budget or resets it to draft: logged in the chatter.",
    )
    warned_80 = fields.Boolean(
        string="80 % Warned", readonly=True, copy=False, help="The 80 % activity was scheduled."
    )
    warned_100 = fields.Boolean(
        string="100 % Warned", readonly=True, copy=False, help="The 100 % activity was scheduled."
    )

    @api.model_create_multi
    def create(self, vals_list):
        budgets = super().create(vals_list)
        # A line per kind of cost, whatever lines the caller gave.
        missing = [
            {"budget_id": budget.id, "kind": kind}
            for budget in budgets
            for kind, _label in COST_KINDS
            if kind not in budget.line_ids.mapped("kind")
        ]
        if missing:
            self.env["aftersales.budget.line"].create(missing)
        return budgets

    def copy_data(self, default=None):
        """A copy plans the next period, with the same lines."""
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        if "date_from" not in default:
            for budget, vals in zip(self, vals_list, strict=True):
                vals["date_from"] = budget.date_to + relativedelta(days=1)
        return vals_list

    # ------------------------------------------------------------------
    # Period and figures
    # ------------------------------------------------------------------

    @api.depends("team_id.name", "product_categ_id.name", "period_type", "date_from")
    def _compute_name(self):
        for budget in self:
            parts = [budget.team_id.name or _("New Budget")]
            if budget.product_categ_id:
                parts.append(budget.product_categ_id.name)
            day = budget.date_from
            if day:
                if budget.period_type == "quarter":
                    parts.append(f"{day.year} Q{(day.month - 1) // 3 + 1}")
                else:
                    parts.append(f"{day.year}-{day.month:02d}")
            budget.name = " · ".join(parts)

    @api.depends("date_from", "period_type", "company_id")
    def _compute_period(self):
        for budget in self:
            if not budget.date_from:
                budget.date_to = budget.period_start = budget.period_end = False
                continue
            budget.date_to = period_bounds(budget.period_type, budget.date_from)[1]
            tz = budget.company_id.sudo()._aftersales_tz() if budget.company_id else "UTC"
            start, end = period_domain("create_date", budget.date_from, budget.date_to, tz)
            budget.period_start, budget.period_end = start[2], end[2]

    @api.depends("line_ids.amount_budget")
    def _compute_amount_budget(self):
        for budget in self:
            budget.amount_budget = sum(budget.line_ids.mapped("amount_budget"))

    def _budget_actuals(self):
        """{budget id: {kind: actual amount, "ticket_count": tickets}} of these budgets:
        one grouped read of the budget report for the whole recordset."""
        ids = [budget_id for budget_id in self._origin.ids if budget_id]
        actuals = defaultdict(dict)
        if not ids:
            return actuals
        # Whoever reads the budget reads its figures: the report is read for them.
        self._origin.check_access("read")
        groups = (
            self.env["aftersales.budget.report"]
            .sudo()
            ._read_group(
                [("budget_id", "in", ids)],
                ["budget_id", "kind"],
                ["amount_actual:sum", "ticket_count:max"],
            )
        )
        for budget, kind, amount, tickets in groups:
            actuals[budget.id][kind] = amount
            actuals[budget.id]["ticket_count"] = tickets
        return actuals

    @api.model
    def _actual_total(self, figures):
        """One budget's actual cost from its _budget_actuals() figures: every kind."""
        return sum(figures.get(kind, 0.0) for kind, _label in COST_KINDS)

    @api.depends("line_ids.amount_budget")
    def _compute_actuals(self):
        actuals = self._budget_actuals()
        for budget in self:
            figures = actuals.get(budget._origin.id, {})
            budget.amount_actual = budget.currency_id.round(self._actual_total(figures))
            budget.ticket_count = figures.get("ticket_count", 0)
            budget.amount_variance = budget.amount_budget - budget.amount_actual
            budget.consumption = (
                budget.amount_actual / budget.amount_budget if budget.amount_budget > 0 else 0.0
            )

    def _ticket_domain(self):
        """The tickets whose costs count: the team's (and category's) tickets created in
        the period, cancelled ones excluded (as the Ticket Costs report)."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("team_id", "=", self.team_id.id),
            ("create_date", ">=", self.period_start),
            ("create_date", "<", self.period_end),
            ("state", "!=", "cancelled"),
        ]
        if self.product_categ_id:
            domain.append(("product_id.categ_id", "child_of", self.product_categ_id.id))
        return domain

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.onchange("date_from", "period_type")
    def _onchange_period(self):
        """Start the period on its first day: any day of the month picks the month."""
        for budget in self.filtered("date_from"):
            budget.date_from = period_bounds(budget.period_type, budget.date_from)[0]

    @api.constrains("date_from", "period_type")
    def _check_date_from(self):
        for budget in self:
            day = budget.date_from
            if budget.period_type == "quarter" and (day.day != 1 or day.month not in (1, 4, 7, 10)):
                raise ValidationError(
                    _(
                        "A quarterly budget starts on 1 January, 1 April, 1 July or 1 October, "
                        "not on %(date)s.",
                        date=fields.Date.to_string(day),
                    )
                )
            if day.day != 1:
                raise ValidationError(
                    _(
                        "A monthly budget starts on the first day of the month, not on %(date)s.",
                        date=fields.Date.to_string(day),
                    )
                )

    @api.constrains("company_id", "team_id", "product_categ_id", "date_from", "period_type")
    def _check_overlap(self):
        # Two budgets for one team created at the same moment would each miss the other:
        # the team row serializes them, and the later one is retried and sees the first.
        self._aftersales_lock_shared(self.team_id)
        for budget in self:
            other = self.sudo().search(
                [
                    ("id", "!=", budget.id),
                    ("company_id", "=", budget.company_id.id),
                    ("team_id", "=", budget.team_id.id),
                    ("product_categ_id", "=", budget.product_categ_id.id),
                    ("date_from", "<=", budget.date_to),
                    ("date_to", ">=", budget.date_from),
                ],
                limit=1,
            )
            if other:
                raise ValidationError(
                    _(
                        "%(team)s already has a budget for %(period)s (%(other)s): a team has one "
                        "budget per period and category. Change that budget instead.",
                        team=budget.team_id.name,
                        period=budget.name,
                        other=other.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for budget in self:
            if budget.state != "draft":
                raise UserError(
                    _(
                        "Budget %s is submitted or approved: only drafts can be deleted.",
                        budget.name,
                    )
                )

    def _check_lines_open(self):
        for budget in self.sudo():
            if budget.state != "draft":
                raise UserError(
                    _(
                        "Budget %s is submitted or approved: its lines can no longer change.",
                        budget.name,
                    )
                )

    # ------------------------------------------------------------------
    # Lifecycle: draft -> submitted -> approved
    # ------------------------------------------------------------------

    def action_submit(self):
        """Customer service (or a manager) sends the budget to the managers."""
        self._aftersales_check_role("user", _("submit budgets"))
        self._check_state(("draft",), _("submitted"))
        for budget in self:
            if any(line.amount_budget < 0 for line in budget.line_ids) or (
                budget.currency_id.compare_amounts(budget.amount_budget, 0) <= 0
            ):
                raise UserError(
                    _(
                        "Budget %s has no amount: enter the budget of at least one kind of "
                        "cost (none negative) before submitting it.",
                        budget.name,
                    )
                )
        self._aftersales_method_write(
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "date_submitted": fields.Datetime.now(),
            }
        )
        for budget in self:
            budget.message_post(body=_("Submitted for approval by %s.", self.env.user.name))
            budget._notify_approvers()
        return True

    def _notify_approvers(self):
        """The company's After-Sales managers get an activity to decide."""
        self.ensure_one()
        managers = self.env.ref("aftersales_service.group_aftersales_manager").sudo().users
        managers = managers.filtered(
            lambda user: self.company_id in user.company_ids and not user._is_superuser()
        )
        for manager in managers:
            self._aftersales_schedule_activity(
                "mail.mail_activity_data_todo",
                manager,
                summary=lambda env: env._("Approve the budget"),
            )

    def action_approve(self):
        """Managers approve submitted budgets, under a lock on each budget."""
        self._aftersales_check_role("manager", _("approve budgets"))
        self._aftersales_lock()
        self._check_state(("submitted",), _("approved"))
        self._aftersales_method_write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "date_approved": fields.Datetime.now(),
                "reason": False,
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for budget in self:
            budget.message_post(body=_("Approved by %s.", self.env.user.name))
        self._check_consumption()
        return True

    def action_refuse(self, reason):
        """Managers send a submitted budget back to draft, with the reason."""
        self._aftersales_check_role("manager", _("refuse budgets"))
        reason = self._aftersales_require_reason(reason, _("refusing a budget"))
        self._aftersales_lock()
        self._check_state(("submitted",), _("refused"))
        self._aftersales_method_write(
            {"state": "draft", "submitted_by_id": False, "date_submitted": False, "reason": False}
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for budget in self:
            budget.message_post(
                body=_("Refused by %(user)s: %(reason)s", user=self.env.user.name, reason=reason)
            )
        return True

    def action_refuse_with_reason(self):
        for budget in self:
            budget.action_refuse(budget.reason)
        return True

    def action_reset_to_draft(self, reason):
        """Managers reopen an approved budget, with the reason: its approval is withdrawn
        and the consumption warnings start over."""
        self._aftersales_check_role("manager", _("reset approved budgets"))
        reason = self._aftersales_require_reason(reason, _("resetting a budget to draft"))
        self._aftersales_lock()
        self._check_state(("approved",), _("reset to draft"))
        self._aftersales_method_write(
            {
                "state": "draft",
                "submitted_by_id": False,
                "date_submitted": False,
                "approved_by_id": False,
                "date_approved": False,
                "warned_80": False,
                "warned_100": False,
                "reason": False,
            }
        )
        for budget in self:
            budget.message_post(
                body=_(
                    "Reset to draft by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                )
            )
        return True

    def action_reset_to_draft_with_reason(self):
        for budget in self:
            budget.action_reset_to_draft(budget.reason)
        return True

    def action_view_tickets(self):
        """The tickets whose costs count."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Tickets of %s", self.name),
            "res_model": "aftersales.ticket",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._ticket_domain(),
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Consumption warnings at 80 % and 100 %
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_consumption(self):
        self.search([("state", "=", "approved"), ("warned_100", "=", False)])._check_consumption()

    def _check_consumption(self):
        """One activity when an approved budget reaches 80 % and one more at 100 %, each
        once per budget: the figures of all the budgets come from one grouped read."""
        budgets = self.filtered(lambda b: b.state == "approved" and not b.warned_100)
        if not budgets:
            return
        actuals = budgets._budget_actuals()
        for budget in budgets:
            if budget.currency_id.compare_amounts(budget.amount_budget, 0) <= 0:
                continue
            actual = self._actual_total(actuals.get(budget.id, {}))
            consumption = actual / budget.amount_budget
            if consumption >= THRESHOLD_EXCEEDED:
                budget._warn_consumption(actual, exceeded=True)
                budget._aftersales_method_write({"warned_80": True, "warned_100": True})
            elif consumption >= THRESHOLD_WARNING and not budget.warned_80:
                budget._warn_consumption(actual, exceeded=False)
                budget._aftersales_method_write({"warned_80": True})

    def _consumption_recipient(self):
        """The team leader when they may read budgets, else the approver."""
        self.ensure_one()
        leader = self.team_id.sudo().leader_id.user_id
        if leader.active and (
            leader.has_group("aftersales_service.group_aftersales_user")
            or leader.has_group("aftersales_service.group_aftersales_analyst")
        ):
            return leader
        return self.approved_by_id or self.create_uid

    def _warn_consumption(self, actual, exceeded):
        self.ensure_one()
        user = self._consumption_recipient()
        percent = round(actual / self.amount_budget * 100)
        actual_text = self.currency_id.format(actual)
        budget_text = self.currency_id.format(self.amount_budget)
        if exceeded:

            def summary(env):
                return env._("Budget exceeded (%s %%)", percent)
        else:

            def summary(env):
                return env._("Budget %s %% consumed", percent)

        self._aftersales_schedule_activity(
            "aftersales_service.mail_activity_budget_consumption",
            user,
            summary=summary,
            note=_(
                "%(name)s: %(actual)s spent of %(budget)s.",
                name=self.name,
                actual=actual_text,
                budget=budget_text,
            ),
        )

    # ------------------------------------------------------------------
    # Settlement (printed)
    # ------------------------------------------------------------------

    def _settlement_values(self):
        """The figures of the settlement PDF: lines by kind and the costliest tickets."""
        self.ensure_one()
        self.check_access("read")
        tickets = (
            self.env["aftersales.ticket"]
            .sudo()
            # Tickets whose costs were never written hold no figure (NULL): not costly.
            .search(
                [*self._ticket_domain(), ("cost_total", ">", 0)],
                order="cost_total desc, id",
                limit=10,
            )
        )
        return {"lines": self.line_ids.sorted("sequence"), "top_tickets": tickets}

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "state",
            "submitted_by_id",
            "date_submitted",
            "approved_by_id",
            "date_approved",
            "warned_80",
            "warned_100",
        }

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"team_id", "product_categ_id", "period_type", "date_from", "line_ids"}
        writable["manager"] |= {"reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _aftersales_locked_writable_fields(self):
        return {"reason"}
