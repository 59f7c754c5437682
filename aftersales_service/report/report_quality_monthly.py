from odoo import _, models


class ReportQualityMonthly(models.AbstractModel):
    """Values of the monthly quality feedback PDF (the cron sends last month's)."""

    _name = "report.aftersales_service.report_quality_monthly"
    _inherit = ["aftersales.monthly.report.mixin"]
    _description = "After-Sales Monthly Quality Feedback"

    def _monthly_check_access(self, companies):
        self.env["aftersales.quality.report"]._check_monthly_access(companies)

    def _monthly_section(self, company, date_from, date_to):
        return self.env["aftersales.quality.report"]._monthly_values(company, date_from, date_to)

    def _monthly_period_error(self):
        return _(
            "The quality feedback period needs a first and a last day (YYYY-MM-DD), "
            "the last one not before the first."
        )
