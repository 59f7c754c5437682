from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.budget.aftersales_budget import BUDGET_STATES, COST_KINDS


class AftersalesBudgetReport(models.Model):
    """Budget against actual: two rows per budget and kind of cost, its budget (figure
    "budget") and its actual amount (figure "actual"), so that a bar chart shows them side
    by side; amount_budget, amount_actual and amount_variance add up over both.

    The actual amount of a row is the sum of the ticket figure of that kind (cost_parts,
    cost_labour, ...) over the budget's tickets: those of its team (and of products of its
    category or sub-categories) created between the period's bounds, cancelled ones
    excluded, as the Ticket Costs report counts them. The budgets read their actual figures
    here (aftersales.budget._budget_actuals), so the form, the report and the settlement
    show the same amounts."""

    _name = "aftersales.budget.report"
    _description = "Budget vs Actual"
    _auto = False
    _order = "date desc, team_id, sequence"
    _depends = {
        "aftersales.budget": [
            "company_id",
            "team_id",
            "product_categ_id",
            "period_type",
            "date_from",
            "period_start",
            "period_end",
            "state",
        ],
        "aftersales.budget.line": ["budget_id", "kind", "amount_budget"],
        "aftersales.ticket": [
            "company_id",
            "team_id",
            "product_id",
            "create_date",
            "state",
            "cost_parts",
            "cost_labour",
            "cost_expense",
            "cost_fund",
            "cost_waiver",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "product.category": ["parent_path"],
    }

    budget_id = fields.Many2one("aftersales.budget", readonly=True)
    kind = fields.Selection(COST_KINDS, string="Cost", readonly=True)
    figure = fields.Selection([("budget", "Budgeted"), ("actual", "Actual")], readonly=True)
    sequence = fields.Integer(readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], string="Period", readonly=True
    )
    date = fields.Date(string="Period Start", readonly=True)
    state = fields.Selection(BUDGET_STATES, string="Status", readonly=True)
    amount_budget = fields.Float(string="Budgeted", readonly=True)
    amount_actual = fields.Float(string="Actual", readonly=True)
    amount = fields.Float(readonly=True, help="The budgeted or the actual amount (see Figure).")
    amount_variance = fields.Float(
        string="Variance", readonly=True, help="Budget - actual: below 0, overspent."
    )
    # The same on every row of a budget: not a measure to add up.
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator=None)

    def _query(self):
        kinds = ", ".join(
            f"('{kind}', {sequence})" for sequence, (kind, _label) in enumerate(COST_KINDS)
        )
        actual_columns = ",\n".join(
            f"COALESCE(SUM(t.cost_{kind}), 0) AS cost_{kind}" for kind, _label in COST_KINDS
        )
        actual_by_kind = " ".join(
            f"WHEN '{kind}' THEN per_budget.cost_{kind}" for kind, _label in COST_KINDS
        )
        return f"""
            WITH kinds (kind, sequence) AS (VALUES {kinds}),
            per_budget AS (
                -- One pass over each budget's tickets: a filter on budget_id reaches here.
                SELECT b.id AS budget_id, actual.*
                  FROM aftersales_budget b
                  LEFT JOIN product_category bc ON bc.id = b.product_categ_id
                 CROSS JOIN LATERAL (
                    SELECT COUNT(t.id) AS ticket_count,
                           {actual_columns}
                      FROM aftersales_ticket t
                     WHERE t.company_id = b.company_id
                       AND t.team_id = b.team_id
                       AND t.create_date >= b.period_start
                       AND t.create_date < b.period_end
                       AND t.state != 'cancelled'
                       AND (b.product_categ_id IS NULL OR EXISTS (
                           SELECT 1
                             FROM product_product pp
                             JOIN product_template pt ON pt.id = pp.product_tmpl_id
                             JOIN product_category pc ON pc.id = pt.categ_id
                            WHERE pp.id = t.product_id
                              AND starts_with(pc.parent_path, bc.parent_path)))
                 ) actual
            ),
            per_kind AS (
                SELECT per_budget.budget_id AS budget_id,
                       kinds.kind AS kind,
                       kinds.sequence AS sequence,
                       COALESCE(line.amount_budget, 0) AS budgeted,
                       CASE kinds.kind {actual_by_kind} END AS actual,
                       per_budget.ticket_count AS ticket_count
                  FROM per_budget
                 CROSS JOIN kinds
                  LEFT JOIN aftersales_budget_line line
                         ON line.budget_id = per_budget.budget_id AND line.kind = kinds.kind
            )
            SELECT (per_kind.budget_id * 10 + per_kind.sequence) * 2 + figures.position AS id,
                   per_kind.budget_id AS budget_id,
                   per_kind.kind AS kind,
                   per_kind.sequence AS sequence,
                   figures.figure AS figure,
                   b.company_id AS company_id,
                   b.team_id AS team_id,
                   b.product_categ_id AS product_categ_id,
                   b.period_type AS period_type,
                   b.date_from AS date,
                   b.state AS state,
                   CASE figures.figure WHEN 'budget' THEN per_kind.budgeted ELSE per_kind.actual END
                       AS amount,
                   CASE figures.figure WHEN 'budget' THEN per_kind.budgeted ELSE 0 END
                       AS amount_budget,
                   CASE figures.figure WHEN 'actual' THEN per_kind.actual ELSE 0 END
                       AS amount_actual,
                   CASE figures.figure
                       WHEN 'budget' THEN per_kind.budgeted ELSE -per_kind.actual
                   END AS amount_variance,
                   per_kind.ticket_count AS ticket_count
              FROM per_kind
              JOIN aftersales_budget b ON b.id = per_kind.budget_id
             CROSS JOIN (VALUES ('budget', 0), ('actual', 1)) AS figures (figure, position)
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(self._query())
            )
        )
