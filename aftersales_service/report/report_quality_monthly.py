from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ReportQualityMonthly(models.AbstractModel):
    """Values of the monthly quality feedback PDF: the month in `data` (the cron's), else
    last month, for the companies printed."""

    _name = "report.aftersales_service.report_quality_monthly"
    _description = "After-Sales Monthly Quality Feedback"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        Quality = self.env["aftersales.quality.report"]
        companies = self.env["res.company"].browse(
            docids or [data.get("company_id") or self.env.company.id]
        )
        # Before anything is read: /report/<converter>/... is open to every logged-in user.
        Quality._check_monthly_access(companies)
        companies = companies.exists()
        if data.get("date_from"):
            date_from, date_to = self._period(data)
        else:
            last_month = fields.Date.context_today(self) - relativedelta(months=1)
            date_from, date_to = Quality._month_bounds(last_month)
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "sections": [
                Quality._monthly_values(company, date_from, date_to) for company in companies
            ],
        }

    @api.model
    def _period(self, data):
        try:
            date_from = fields.Date.to_date(data["date_from"])
            date_to = fields.Date.to_date(data.get("date_to"))
        except (TypeError, ValueError):
            date_from = date_to = None
        if not (date_from and date_to) or date_to < date_from:
            raise UserError(
                _(
                    "The quality feedback period needs a first and a last day (YYYY-MM-DD), "
                    "the last one not before the first."
                )
            )
        return date_from, date_to
