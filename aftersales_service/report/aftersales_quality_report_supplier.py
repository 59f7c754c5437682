from odoo import api, models

from .aftersales_kpi_report import period_domain


class AftersalesQualityReport(models.Model):
    _inherit = "aftersales.quality.report"

    @api.model
    def _monthly_values(self, company, date_from, date_to, top=10):
        """Plus the supplier quality figures: claims sent in the month and the faulty
        quantities behind them, by vendor, product and production lot."""
        values = super()._monthly_values(company, date_from, date_to, top=top)
        values["by_supplier"] = self._supplier_rows(company, date_from, date_to)
        return values

    @api.model
    def _supplier_rows(self, company, date_from, date_to):
        groups = (
            self.env["aftersales.supplier.claim"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "!=", "draft"),
                    *period_domain("date_claimed", date_from, date_to, company._aftersales_tz()),
                ],
                ["partner_id", "product_id", "lot_id"],
                ["__count", "quantity:sum", "amount_claimed:sum", "amount_recovered:sum"],
                order="quantity:sum desc",
            )
        )
        return [
            {
                "vendor": vendor,
                "product": product,
                "lot": lot,
                "claims": count,
                "quantity": quantity,
                "claimed": claimed,
                "recovered": recovered,
            }
            for vendor, product, lot, count, quantity, claimed, recovered in groups
        ]
