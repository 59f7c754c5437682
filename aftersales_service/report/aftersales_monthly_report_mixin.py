from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.kpi.kpi_period import period_bounds


def check_report_reader(report, companies, not_reader, other_company):
    """Check the caller before figures of ``report`` (a report model) are read in sudo:
    they may read the report, of ``companies`` they work in. The messages say who may
    read it and that only their companies'; the superuser (crons) passes."""
    if report.env.su:
        return
    if not report.has_access("read"):
        raise AccessError(not_reader)
    if companies - report.env.companies:
        raise AccessError(other_company)


class AftersalesMonthlyReportMixin(models.AbstractModel):
    """Values of a monthly PDF per company (quality feedback, ledger): the period in
    `data` (a wizard's or a cron's), else last month.

    /report/<converter>/... is open to every logged-in user and the figures are read in
    sudo, so the caller is checked (`_monthly_check_access`) before anything is read."""

    _name = "aftersales.monthly.report.mixin"
    _description = "After-Sales Monthly PDF"

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _monthly_check_access(self, companies):
        raise NotImplementedError

    def _monthly_section(self, company, date_from, date_to):
        raise NotImplementedError

    def _monthly_period_error(self):
        """The message for a period that is not one (translated)."""
        raise NotImplementedError

    # ------------------------------------------------------------------

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        companies = self.env["res.company"].browse(
            docids or [data.get("company_id") or self.env.company.id]
        )
        self._monthly_check_access(companies)
        companies = companies.exists()
        if data.get("date_from"):
            date_from, date_to = self._period(data)
        else:
            last_month = fields.Date.context_today(self) - relativedelta(months=1)
            date_from, date_to = period_bounds("month", last_month)
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "sections": [
                self._monthly_section(company, date_from, date_to) for company in companies
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
            raise UserError(self._monthly_period_error())
        return date_from, date_to
