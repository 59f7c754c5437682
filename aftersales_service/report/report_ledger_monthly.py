from odoo import _, models


class ReportLedgerMonthly(models.AbstractModel):
    """Values of the printable monthly ledger (the period of the print wizard)."""

    _name = "report.aftersales_service.report_ledger_monthly"
    _inherit = ["aftersales.monthly.report.mixin"]
    _description = "After-Sales Monthly Ledger"

    def _monthly_check_access(self, companies):
        self.env["aftersales.repair.ledger"]._check_ledger_access(companies)

    def _monthly_section(self, company, date_from, date_to):
        Ledger = self.env["aftersales.repair.ledger"]
        return Ledger._ledger_monthly_values(company, date_from, date_to)

    def _monthly_period_error(self):
        return _(
            "The ledger period needs a first and a last day (YYYY-MM-DD), the last "
            "one not before the first."
        )
