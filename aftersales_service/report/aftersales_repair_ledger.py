from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..models.cost.aftersales_ticket import COST_FIELDS
from ..models.kpi.kpi_period import period_domain
from ..models.ticket.aftersales_ticket import LIABILITIES
from .aftersales_monthly_report_mixin import check_report_reader
from .aftersales_quality_report import FAULT_CAUSE, RESOLVED_TICKETS


class AftersalesRepairLedger(models.Model):
    """The repair ledger (维修台帐) the clerk keeps: one row per resolved or closed ticket,
    dated on its resolution, with who repaired what for whom, the serial and its production
    batch, warranty and liability, and the ticket's stored cost figures."""

    _name = "aftersales.repair.ledger"
    _description = "After-Sales Repair Ledger"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc, id desc"
    _depends = {
        "aftersales.ticket": [
            "category_id",
            "commercial_partner_id",
            "company_id",
            "date_resolved",
            "is_repeat_repair",
            "liability",
            "lot_id",
            "product_id",
            "resolution_cause",
            "state",
            "team_id",
            "technician_id",
            "warranty_state",
            *COST_FIELDS,
        ],
        "stock.lot": ["aftersales_production_batch"],
    }

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    date = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    production_batch = fields.Char(readonly=True)
    category_id = fields.Many2one("aftersales.category", readonly=True)
    fault_cause = fields.Char(readonly=True)
    warranty_state = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")],
        readonly=True,
    )
    liability = fields.Selection(LIABILITIES, readonly=True)
    is_repeat_repair = fields.Boolean(string="Repeat Repair", readonly=True)

    # Measures
    repair_count = fields.Integer(string="Repairs", readonly=True)
    in_warranty_count = fields.Integer(string="In Warranty (Repairs)", readonly=True)
    out_warranty_count = fields.Integer(string="Out of Warranty (Repairs)", readonly=True)
    repeat_count = fields.Integer(string="Repeat Repairs", readonly=True)
    # The ticket's stored figures (models/cost/aftersales_ticket.py), company currency.
    cost_parts = fields.Float(string="Parts Cost", readonly=True)
    cost_labour = fields.Float(string="Labour Cost", readonly=True)
    cost_expense = fields.Float(string="Expenses Cost", readonly=True)
    cost_fund = fields.Float(string="Fund Drawings", readonly=True)
    cost_waiver = fields.Float(string="Fees Waived", readonly=True)
    cost_total = fields.Float(string="Total Cost", readonly=True)
    amount_invoiced = fields.Float(string="Invoiced", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        costs = ",\n".join(f"COALESCE(t.{name}, 0) AS {name}" for name in COST_FIELDS)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT
                        t.id AS id,
                        t.id AS ticket_id,
                        t.date_resolved AS date,
                        t.company_id AS company_id,
                        t.team_id AS team_id,
                        t.technician_id AS technician_id,
                        t.commercial_partner_id AS partner_id,
                        t.product_id AS product_id,
                        pt.categ_id AS product_categ_id,
                        t.lot_id AS lot_id,
                        lot.aftersales_production_batch AS production_batch,
                        t.category_id AS category_id,
                        %s AS fault_cause,
                        t.warranty_state AS warranty_state,
                        t.liability AS liability,
                        COALESCE(t.is_repeat_repair, FALSE) AS is_repeat_repair,
                        1 AS repair_count,
                        CASE WHEN t.warranty_state = 'in' THEN 1 ELSE 0 END AS in_warranty_count,
                        CASE WHEN t.warranty_state = 'in' THEN 0 ELSE 1 END AS out_warranty_count,
                        CASE WHEN t.is_repeat_repair THEN 1 ELSE 0 END AS repeat_count,
                        %s
                    FROM aftersales_ticket t
                    LEFT JOIN product_product pp ON pp.id = t.product_id
                    LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    LEFT JOIN stock_lot lot ON lot.id = t.lot_id
                    WHERE %s
                )
                """,
                SQL.identifier(self._table),
                SQL(FAULT_CAUSE),
                SQL(costs),
                SQL(RESOLVED_TICKETS),
            )
        )

    # ------------------------------------------------------------------
    # Monthly ledger (PDF)
    # ------------------------------------------------------------------

    @api.model
    def _check_ledger_access(self, companies):
        """Who may print the ledgers: their readers (customer service, analysts, managers),
        of their own companies."""
        check_report_reader(
            self,
            companies,
            _("Only customer service, after-sales analysts and managers may read the ledgers."),
            _("You may only print the ledgers of the companies you work in."),
        )

    @api.model
    def _ledger_monthly_values(self, company, date_from, date_to, top=10):
        """What the monthly ledger PDF shows for ``company`` from ``date_from`` to
        ``date_to`` (days of the company's zone): repairs per product, parts issued and
        returned defective per part, costs by kind, and the production batches with the
        most faults."""
        self._check_ledger_access(company)
        tz = company._aftersales_tz()
        repairs = self.sudo()
        parts = self.env["aftersales.parts.ledger"].sudo()
        domain = [("company_id", "=", company.id), *period_domain("date", date_from, date_to, tz)]
        costs = [f"{name}:sum" for name in COST_FIELDS]

        by_product = [
            {
                "product": product,
                "repairs": count,
                "in_warranty": in_warranty,
                "out_warranty": out_warranty,
                **dict(zip(COST_FIELDS, figures, strict=True)),
            }
            for product, count, in_warranty, out_warranty, *figures in repairs._read_group(
                domain,
                ["product_id"],
                ["__count", "in_warranty_count:sum", "out_warranty_count:sum", *costs],
                order="__count desc",
            )
        ]
        by_part = [
            {
                "part": part,
                "issued": issued,
                "issued_value": issued_value,
                "returned": returned,
                "returned_value": returned_value,
            }
            for part, issued, issued_value, returned, returned_value in parts._read_group(
                domain,
                ["product_id"],
                [
                    "quantity_issued:sum",
                    "value_issued:sum",
                    "quantity_returned:sum",
                    "value_returned:sum",
                ],
                order="quantity_issued:sum desc",
            )
        ]
        count, *figures = repairs._read_group(domain, [], ["__count", *costs])[0]
        totals = dict(zip(COST_FIELDS, figures, strict=True))
        by_batch = [
            {"product": product, "batch": batch or False, "faults": faults, "repeats": repeats}
            for product, batch, faults, repeats in repairs._read_group(
                [*domain, ("product_id", "!=", False)],
                ["product_id", "production_batch"],
                ["__count", "repeat_count:sum"],
                order="__count desc, repeat_count:sum desc",
                limit=top,
            )
        ]
        return {
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "repair_count": count,
            "by_product": by_product,
            "by_part": by_part,
            "costs": [
                (self._fields[name]._description_string(self.env), totals[name])
                for name in COST_FIELDS
            ],
            "by_batch": by_batch,
        }
