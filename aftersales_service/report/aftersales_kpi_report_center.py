from odoo import api, fields, models

from ..models.kpi.kpi_period import period_domain


class AftersalesKpiReport(models.Model):
    """The KPIs of service centres: the tickets dispatched to each centre."""

    _inherit = "aftersales.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    _depends = {"aftersales.ticket": ["service_center_id"]}

    service_center_id = fields.Many2one("res.partner", string="Service Centre", readonly=True)

    def _select(self):
        return super()._select() + ", t.service_center_id AS service_center_id"

    @api.model
    def _substantiated_complaints(self, group_field, records, date_from, date_to, tz):
        """For centres: the substantiated complaints about the tickets dispatched to them."""
        if group_field != "service_center_id":
            return super()._substantiated_complaints(group_field, records, date_from, date_to, tz)
        ids = [record.id for record in records]
        groups = (
            self.env["aftersales.complaint"]
            .sudo()
            ._read_group(
                [
                    *period_domain("date_verified", date_from, date_to, tz),
                    ("verdict", "=", "substantiated"),
                    ("state", "!=", "cancelled"),
                    ("ticket_id.service_center_id", "in", ids),
                ],
                ["ticket_id"],
                ["__count"],
            )
        )
        counts = {}
        for ticket, count in groups:
            center = ticket.sudo().service_center_id
            counts[center] = counts.get(center, 0) + count
        return {record: counts.get(record, 0) for record in records}
