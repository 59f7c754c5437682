from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ReportQualityMonthly(models.AbstractModel):
    """Values of the monthly quality feedback PDF: the month in `data` (the cron's), else
    last month, for the companies printed."""

    _name = "report.aftersales_service.report_quality_monthly"
    _description = "After-Sales Monthly Quality Feedback"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        Quality = self.env["aftersales.quality.report"]
        if data.get("date_from"):
            date_from = fields.Date.to_date(data["date_from"])
            date_to = fields.Date.to_date(data["date_to"])
        else:
            last_month = fields.Date.context_today(self) - relativedelta(months=1)
            date_from, date_to = Quality._month_bounds(last_month)
        companies = self.env["res.company"].browse(
            docids or [data.get("company_id") or self.env.company.id]
        )
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "sections": [
                Quality._monthly_values(company, date_from, date_to) for company in companies
            ],
        }
