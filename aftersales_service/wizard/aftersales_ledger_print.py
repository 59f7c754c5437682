from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..models.kpi.kpi_period import period_bounds


class AftersalesLedgerPrint(models.TransientModel):
    """Print the monthly ledger of a company: the figures are the repair ledger's
    (aftersales.repair.ledger._ledger_monthly_values)."""

    _name = "aftersales.ledger.print"
    _description = "Print the Monthly After-Sales Ledger"

    date_month = fields.Date(
        string="Month",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        ),
        help="Any day of the month to print; by default last month.",
    )
    date_from = fields.Date(compute="_compute_period")
    date_to = fields.Date(compute="_compute_period")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    @api.depends("date_month")
    def _compute_period(self):
        for wizard in self:
            wizard.date_from, wizard.date_to = period_bounds("month", wizard.date_month)

    def action_print(self):
        self.ensure_one()
        self.env["aftersales.repair.ledger"]._check_ledger_access(self.company_id)
        report = self.env.ref("aftersales_service.action_report_aftersales_ledger_monthly")
        return report.report_action(
            self.company_id,
            data={
                "company_id": self.company_id.id,
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
