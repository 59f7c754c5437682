from odoo import _, api, fields, models


class AftersalesEvaluation(models.Model):
    """Service centres are evaluated like technicians: the same frozen KPIs, score and
    rank, among the company's centres."""

    _inherit = "aftersales.evaluation"  # pylint: disable=consider-merging-classes-inherited

    evaluated = fields.Selection(
        selection_add=[("center", "Service Centre")], ondelete={"center": "cascade"}
    )
    service_center_id = fields.Many2one(
        "res.partner", string="Service Centre", index="btree_not_null", readonly=True
    )

    @api.depends(
        "evaluated", "employee_id", "team_id", "service_center_id", "period_type", "date_from"
    )
    def _compute_name(self):
        return super()._compute_name()

    @api.model
    def _evaluated_field(self, evaluated):
        if evaluated == "center":
            return "service_center_id"
        return super()._evaluated_field(evaluated)

    @api.model
    def _evaluated_kpi_field(self, evaluated):
        if evaluated == "center":
            return "service_center_id"
        return super()._evaluated_kpi_field(evaluated)

    @api.model
    def _penalty_totals(self, kpis, evaluated, date_from, date_to):
        """For centres: the confirmed penalties and rewards charged to each centre."""
        if evaluated != "center":
            return super()._penalty_totals(kpis, evaluated, date_from, date_to)
        groups = (
            self.env["aftersales.penalty"]
            .sudo()
            ._read_group(
                [
                    ("service_center_id", "in", [center.id for center in kpis]),
                    ("state", "=", "confirmed"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                    ("company_id", "=", self.env.company.id),
                ],
                ["service_center_id", "kind"],
                ["amount:sum", "points:sum"],
            )
        )
        totals = {}
        for center, kind, amount, points in groups:
            bucket = totals.setdefault(center, {})
            bucket[f"{kind}_amount"] = amount
            bucket[f"{kind}_points"] = points
        return totals

    def _summary_title(self):
        if self.evaluated == "center":
            return _("All Service Centres")
        return super()._summary_title()
