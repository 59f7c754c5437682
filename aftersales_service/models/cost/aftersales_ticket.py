from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# The cost figures stored on the ticket (company currency): written by
# _aftersales_update_costs() when one of their sources changes, so that a report over a
# million tickets reads columns instead of summing six tables.
COST_PARTS = ("cost_parts", "cost_labour", "cost_expense", "cost_fund", "cost_waiver")
COST_FIELDS = (*COST_PARTS, "cost_total", "amount_invoiced")


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    cost_currency_id = fields.Many2one(related="company_id.currency_id", string="Cost Currency")
    cost_parts = fields.Monetary(
        string="Parts Cost",
        currency_field="cost_currency_id",
        readonly=True,
        help="Parts taken out of stock for the ticket, at their stock valuation.",
    )
    cost_labour = fields.Monetary(
        string="Labour Cost",
        currency_field="cost_currency_id",
        readonly=True,
        help="Travel and work hours of the done visits at each technician's hourly cost.",
    )
    cost_expense = fields.Monetary(
        string="Expenses Cost",
        currency_field="cost_currency_id",
        readonly=True,
        help="Travel and other expenses recorded on the visits (refused ones excluded).",
    )
    cost_fund = fields.Monetary(
        string="Fund Drawings",
        currency_field="cost_currency_id",
        readonly=True,
        help="Approved drawings on the emergency repair fund.",
    )
    cost_waiver = fields.Monetary(
        string="Fees Waived",
        currency_field="cost_currency_id",
        readonly=True,
        help="Approved fee waivers: what the customer was not charged.",
    )
    cost_total = fields.Monetary(
        string="Total Cost",
        currency_field="cost_currency_id",
        readonly=True,
        help="Parts, labour, expenses, fund drawings and waivers.",
    )
    amount_invoiced = fields.Monetary(
        string="Invoiced",
        currency_field="cost_currency_id",
        readonly=True,
        help="Invoiced to the customer on the ticket's quotations, before taxes, credit "
        "notes deducted.",
    )

    def _aftersales_update_costs(self):
        """Recompute the stored cost figures of these tickets from their sources."""
        tickets = self.sudo().exists()
        if not tickets:
            return
        self.env.flush_all()
        figures = defaultdict(lambda: dict.fromkeys(COST_FIELDS, 0.0))
        cr = self.env.cr
        ids = tuple(tickets.ids)
        queries = {
            # Stock valuation of the parts the ticket's repairs consumed.
            "cost_parts": """
                SELECT repair.aftersales_ticket_id, -SUM(layer.value)
                  FROM stock_valuation_layer layer
                  JOIN stock_move move ON move.id = layer.stock_move_id
                  JOIN repair_order repair ON repair.id = move.repair_id
                 WHERE repair.aftersales_ticket_id IN %(ids)s
                 GROUP BY repair.aftersales_ticket_id
            """,
            "cost_labour": """
                SELECT visit.ticket_id,
                       SUM((COALESCE(visit.travel_hours, 0) + COALESCE(visit.work_hours, 0))
                           * COALESCE(employee.hourly_cost, 0))
                  FROM aftersales_visit visit
                  JOIN aftersales_visit_employee_rel rel ON rel.visit_id = visit.id
                  JOIN hr_employee employee ON employee.id = rel.employee_id
                 WHERE visit.ticket_id IN %(ids)s AND visit.state = 'done'
                 GROUP BY visit.ticket_id
            """,
            "cost_expense": """
                SELECT aftersales_ticket_id, SUM(total_amount)
                  FROM hr_expense
                 WHERE aftersales_ticket_id IN %(ids)s AND state != 'refused'
                 GROUP BY aftersales_ticket_id
            """,
            "cost_fund": """
                SELECT ticket_id, SUM(amount)
                  FROM aftersales_fund_move
                 WHERE ticket_id IN %(ids)s AND kind = 'drawing' AND state = 'approved'
                 GROUP BY ticket_id
            """,
            "cost_waiver": """
                SELECT ticket_id, SUM(amount)
                  FROM aftersales_fee_waiver
                 WHERE ticket_id IN %(ids)s AND state = 'approved'
                 GROUP BY ticket_id
            """,
            "amount_invoiced": """
                SELECT so.aftersales_ticket_id, SUM(line.untaxed_amount_invoiced)
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                 WHERE so.aftersales_ticket_id IN %(ids)s
                   AND so.state = 'sale'
                   -- Waivers are their own figure, not a reduction of what was invoiced.
                   AND line.aftersales_waiver_id IS NULL
                 GROUP BY so.aftersales_ticket_id
            """,
        }
        for name, query in queries.items():
            cr.execute(SQL(query.replace("%(ids)s", "%s"), ids))
            for ticket_id, value in cr.fetchall():
                figures[ticket_id][name] = value or 0.0
        for ticket in tickets:
            values = figures[ticket.id]
            currency = ticket.company_id.currency_id
            values = {name: currency.round(value) for name, value in values.items()}
            values["cost_total"] = currency.round(sum(values[name] for name in COST_PARTS))
            if any(currency.compare_amounts(ticket[name], values[name]) for name in COST_FIELDS):
                ticket.write(values)

    @api.model
    def _aftersales_update_costs_of(self, ticket_ids):
        self.browse({tid for tid in ticket_ids if tid})._aftersales_update_costs()

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | set(COST_FIELDS)
