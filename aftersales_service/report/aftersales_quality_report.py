from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..models.kpi.kpi_period import period_bounds, period_domain
from ..models.ticket.aftersales_ticket import LIABILITIES
from .aftersales_kpi_report import PARTS_COST_BY_TICKET
from .aftersales_monthly_report_mixin import check_report_reader

# The tickets the quality feedback and the repair ledger count (alias t): resolved or
# closed, dated on their resolution.
RESOLVED_TICKETS = "t.state IN ('resolved', 'closed') AND t.date_resolved IS NOT NULL"
# One cause however it was typed: "Worn seal " = "worn seal".
FAULT_CAUSE = "lower(btrim(regexp_replace(t.resolution_cause, '\\s+', ' ', 'g')))"


class AftersalesQualityReport(models.Model):
    """Faults fed back to production, QA and R&D: one row per resolved or closed ticket
    about a product, dated on its resolution, with its cause, liability, whether it is a
    repeat repair or ended in a return, and the parts it cost."""

    _name = "aftersales.quality.report"
    _description = "After-Sales Quality Feedback"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc"
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
            "warranty_state",
        ],
        "repair.order": ["aftersales_ticket_id"],
        "stock.lot": ["aftersales_production_batch"],
    }

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    date = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    production_batch = fields.Char(readonly=True)
    category_id = fields.Many2one("aftersales.category", readonly=True)
    fault_cause = fields.Char(readonly=True)
    liability = fields.Selection(LIABILITIES, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    warranty_state = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")],
        readonly=True,
    )
    fault_count = fields.Integer(string="Faults", readonly=True)
    repeat_count = fields.Integer(string="Repeat Repairs", readonly=True)
    return_count = fields.Integer(string="Returns", readonly=True)
    parts_cost = fields.Float(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT
                        t.id AS id,
                        t.id AS ticket_id,
                        t.date_resolved AS date,
                        t.company_id AS company_id,
                        t.product_id AS product_id,
                        pt.categ_id AS product_categ_id,
                        t.lot_id AS lot_id,
                        lot.aftersales_production_batch AS production_batch,
                        t.category_id AS category_id,
                        %s AS fault_cause,
                        t.liability AS liability,
                        t.commercial_partner_id AS partner_id,
                        t.warranty_state AS warranty_state,
                        1 AS fault_count,
                        CASE WHEN t.is_repeat_repair THEN 1 ELSE 0 END AS repeat_count,
                        CASE WHEN returned.ticket_id IS NOT NULL THEN 1 ELSE 0 END
                            AS return_count,
                        COALESCE(parts.cost, 0) AS parts_cost
                    FROM aftersales_ticket t
                    JOIN product_product pp ON pp.id = t.product_id
                    JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    LEFT JOIN stock_lot lot ON lot.id = t.lot_id
                    LEFT JOIN (
                        SELECT DISTINCT aftersales_ticket_id AS ticket_id
                        FROM stock_picking
                        WHERE aftersales_ticket_id IS NOT NULL AND state = 'done'
                    ) returned ON returned.ticket_id = t.id
                    LEFT JOIN (%s) parts ON parts.ticket_id = t.id
                    WHERE %s
                )
                """,
                SQL.identifier(self._table),
                SQL(FAULT_CAUSE),
                SQL(PARTS_COST_BY_TICKET),
                SQL(RESOLVED_TICKETS),
            )
        )

    # ------------------------------------------------------------------
    # Monthly report
    # ------------------------------------------------------------------

    @api.model
    def _check_monthly_access(self, companies):
        """Who may get the monthly figures: analysts and managers, of their own companies."""
        check_report_reader(
            self,
            companies,
            _("Only after-sales analysts and managers may print the quality feedback."),
            _("You may only print the quality feedback of the companies you work in."),
        )

    @api.model
    def _monthly_values(self, company, date_from, date_to, top=10):
        """What the monthly PDF shows, computed with grouped reads on the view."""
        self._check_monthly_access(company)
        domain = [
            ("company_id", "=", company.id),
            *period_domain("date", date_from, date_to, company._aftersales_tz()),
        ]
        measures = ["fault_count:sum", "repeat_count:sum", "return_count:sum", "parts_cost:sum"]
        Report = self.sudo()

        def rows(groupby, limit=None):
            groups = Report._read_group(
                domain, [groupby], measures, order="fault_count:sum desc", limit=limit
            )
            return [
                {
                    "key": key,
                    "faults": faults,
                    "repeats": repeats,
                    "returns": returns,
                    "parts_cost": parts_cost,
                }
                for key, faults, repeats, returns, parts_cost in groups
            ]

        totals = Report._read_group(domain, [], measures)[0]
        return {
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "totals": dict(
                zip(("faults", "repeats", "returns", "parts_cost"), totals, strict=True)
            ),
            "by_product": rows("product_id"),
            "by_cause": rows("fault_cause", limit=top),
            "by_liability": rows("liability"),
            "by_lot": [row for row in rows("lot_id") if row["key"] and row["faults"] > 1],
            "liability_labels": dict(LIABILITIES),
        }

    @api.model
    def _cron_send_monthly_report(self):
        """On the 1st: last month's quality feedback PDF to each company's recipients."""
        today = fields.Date.context_today(self)
        date_from, date_to = period_bounds("month", today - relativedelta(months=1))
        report = self.env.ref("aftersales_service.action_report_quality_monthly")
        mails = self.env["mail.mail"]
        companies = self.env["res.company"].search(
            [("aftersales_quality_recipient_ids", "!=", False)]
        )
        for company in companies:
            data = {
                "company_id": company.id,
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
            }
            pdf, _format = report.sudo()._render_qweb_pdf(report, company.ids, data=data)
            period = date_from.strftime("%Y-%m")
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"Quality Feedback {period}.pdf",
                        "raw": pdf,
                        "res_model": "res.company",
                        "res_id": company.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            template = self.env.ref("aftersales_service.mail_template_quality_monthly").sudo()
            mail_id = template.with_context(period=period).send_mail(
                company.id, email_values={"attachment_ids": attachment.ids}
            )
            mails |= mails.sudo().browse(mail_id)
        mails.send()
        return mails
