from odoo import api, models

from .aftersales_kpi_report import period_domain


class AftersalesKpiReport(models.Model):
    _inherit = "aftersales.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _kpi_values(self, group_field, date_from, date_to, domain=(), tz=None):
        """Also ``substantiated_complaint_count``: complaints verified as substantiated in
        the period, against the technicians held responsible or against the team."""
        values = super()._kpi_values(group_field, date_from, date_to, domain=domain, tz=tz)
        if not values:
            return values
        counts = self._substantiated_complaints(
            group_field, list(values), date_from, date_to, tz or self._aftersales_period_tz()
        )
        for record, kpis in values.items():
            kpis["substantiated_complaint_count"] = counts.get(record, 0)
        return values

    @api.model
    def _substantiated_complaints(self, group_field, records, date_from, date_to, tz):
        """{employee or team: substantiated complaints verified from date_from to date_to}."""
        complaint_field = "responsible_ids" if group_field == "technician_id" else "team_id"
        ids = [record.id for record in records]
        groups = (
            self.env["aftersales.complaint"]
            .sudo()
            ._read_group(
                [
                    *period_domain("date_verified", date_from, date_to, tz),
                    ("verdict", "=", "substantiated"),
                    ("state", "!=", "cancelled"),
                    (complaint_field, "in", ids),
                ],
                [complaint_field],
                ["__count"],
            )
        )
        return {record: count for record, count in groups if record.id in ids}
