from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ReportLedgerMonthly(models.AbstractModel):
    """Values of the printable monthly ledger: the period in `data` (the wizard's), else
    last month, for the companies printed."""

    _name = "report.aftersales_service.report_ledger_monthly"
    _description = "After-Sales Monthly Ledger"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        Ledger = self.env["aftersales.repair.ledger"]
        companies = self.env["res.company"].browse(
            docids or [data.get("company_id") or self.env.company.id]
        )
        # Before anything is read: /report/<converter>/... is open to every logged-in user.
        Ledger._check_ledger_access(companies)
        companies = companies.exists()
        if data.get("date_from"):
            date_from, date_to = self._period(data)
        else:
            last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
            date_from, date_to = last_month, last_month + relativedelta(months=1, days=-1)
        return {
            "doc_ids": companies.ids,
            "doc_model": "res.company",
            "docs": companies,
            "sections": [
                Ledger._ledger_monthly_values(company, date_from, date_to) for company in companies
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
                    "The ledger period needs a first and a last day (YYYY-MM-DD), the last "
                    "one not before the first."
                )
            )
        return date_from, date_to
