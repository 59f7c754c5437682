from odoo import api, models

from .aftersales_kpi_report import period_domain


class AftersalesQualityReport(models.Model):
    _inherit = "aftersales.quality.report"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _monthly_values(self, company, date_from, date_to, top=10):
        """Also the product-quality complaints received in the month: production, QA and
        R&D read what customers said about the product itself."""
        values = super()._monthly_values(company, date_from, date_to, top=top)
        # _monthly_values checked the caller; the complaints are read like the figures.
        complaints = (
            self.env["aftersales.complaint"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("about_product", "=", True),
                    ("state", "!=", "cancelled"),
                    *period_domain("date_received", date_from, date_to, company._aftersales_tz()),
                ],
                order="date_received, id",
            )
        )
        verdicts = dict(complaints._fields["verdict"]._description_selection(self.env))
        values["product_complaints"] = [
            {
                "name": complaint.name,
                "product": complaint.product_id.display_name or "",
                "lot": complaint.lot_id.name or "",
                "verdict": verdicts.get(complaint.verdict, ""),
                "findings": complaint.findings or "",
            }
            for complaint in complaints
        ]
        return values
