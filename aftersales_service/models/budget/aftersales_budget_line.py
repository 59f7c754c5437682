from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_budget import COST_KINDS


class AftersalesBudgetLine(models.Model):
    """The budget of one kind of cost (the ticket's cost figure of the same name) and what
    the budget's tickets cost of it so far."""

    _name = "aftersales.budget.line"
    _description = "Repair-Cost Budget Line"
    _inherit = ["aftersales.guard.mixin"]
    _order = "budget_id, sequence, id"
    _sql_constraints = [
        ("kind_uniq", "UNIQUE (budget_id, kind)", "A budget has one line per kind of cost."),
    ]

    budget_id = fields.Many2one("aftersales.budget", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="budget_id.company_id", store=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    kind = fields.Selection(COST_KINDS, string="Cost", required=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    amount_budget = fields.Monetary(string="Budgeted")
    amount_actual = fields.Monetary(
        string="Actual",
        compute="_compute_actuals",
        help="This cost of the budget's tickets so far (the ticket figure of the same name).",
    )
    amount_variance = fields.Monetary(
        string="Variance", compute="_compute_actuals", help="Budget - actual: below 0, overspent."
    )
    consumption = fields.Float(
        string="Consumed", compute="_compute_actuals", help="Actual / budget."
    )

    @api.depends("kind")
    def _compute_sequence(self):
        order = [kind for kind, _label in COST_KINDS]
        for line in self:
            line.sequence = order.index(line.kind) if line.kind in order else len(order)

    @api.depends("amount_budget", "kind")
    def _compute_actuals(self):
        actuals = self.budget_id._budget_actuals()
        for line in self:
            figures = actuals.get(line.budget_id._origin.id, {})
            line.amount_actual = figures.get(line.kind, 0.0)
            line.amount_variance = line.amount_budget - line.amount_actual
            line.consumption = (
                line.amount_actual / line.amount_budget if line.amount_budget > 0 else 0.0
            )

    @api.constrains("amount_budget")
    def _check_amount(self):
        for line in self:
            if line.amount_budget < 0:
                raise ValidationError(
                    _(
                        "The budget of %(kind)s cannot be negative.",
                        kind=dict(COST_KINDS)[line.kind],
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        budgets = self.env["aftersales.budget"].browse(
            [vals.get("budget_id") for vals in vals_list if vals.get("budget_id")]
        )
        budgets.exists()._check_lines_open()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self.budget_id._check_lines_open()

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"budget_id", "kind"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"amount_budget"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.sudo().budget_id._aftersales_is_locked()
