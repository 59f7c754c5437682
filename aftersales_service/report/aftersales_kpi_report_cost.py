from odoo import fields, models


class AftersalesKpiReport(models.Model):
    _inherit = "aftersales.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    _depends = {
        "aftersales.ticket": [
            "cost_parts",
            "cost_labour",
            "cost_expense",
            "cost_fund",
            "cost_waiver",
            "cost_total",
            "amount_invoiced",
        ],
    }

    # The ticket's stored cost figures (company currency): a grouped read over them reads
    # the ticket table only, the joins above are dropped by PostgreSQL.
    cost_parts_valued = fields.Float(string="Parts (Valuation)", readonly=True)
    cost_labour = fields.Float(string="Labour Cost", readonly=True)
    cost_expense = fields.Float(string="Expenses Cost", readonly=True)
    cost_fund = fields.Float(string="Fund Drawings", readonly=True)
    cost_waiver = fields.Float(string="Fees Waived", readonly=True)
    cost_total = fields.Float(string="Total Cost", readonly=True)
    amount_invoiced = fields.Float(string="Invoiced", readonly=True)
    cost_margin = fields.Float(string="Invoiced - Cost", readonly=True)
    warranty_cost = fields.Float(
        readonly=True, help="What tickets under warranty cost (total cost, in warranty)."
    )
    paid_revenue = fields.Float(
        string="Paid Service Revenue",
        readonly=True,
        help="What tickets out of warranty were invoiced.",
    )

    def _select(self):
        return (
            super()._select()
            + """,
                COALESCE(t.cost_parts, 0) AS cost_parts_valued,
                COALESCE(t.cost_labour, 0) AS cost_labour,
                COALESCE(t.cost_expense, 0) AS cost_expense,
                COALESCE(t.cost_fund, 0) AS cost_fund,
                COALESCE(t.cost_waiver, 0) AS cost_waiver,
                COALESCE(t.cost_total, 0) AS cost_total,
                COALESCE(t.amount_invoiced, 0) AS amount_invoiced,
                COALESCE(t.amount_invoiced, 0) - COALESCE(t.cost_total, 0) AS cost_margin,
                CASE WHEN t.warranty_state = 'in' THEN COALESCE(t.cost_total, 0) ELSE 0 END
                    AS warranty_cost,
                CASE WHEN t.warranty_state = 'in' THEN 0 ELSE COALESCE(t.amount_invoiced, 0) END
                    AS paid_revenue
        """
        )
