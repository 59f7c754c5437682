from datetime import timedelta

from odoo import api, fields, models

from ..models.kpi.kpi_period import period_bounds


class AftersalesEvaluationGenerate(models.TransientModel):
    """Freeze the KPIs of a month or a quarter into evaluations, scored and ranked."""

    _name = "aftersales.evaluation.generate"
    _description = "Generate After-Sales Evaluations"

    period_type = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")], required=True, default="month"
    )
    date_reference = fields.Date(
        string="Period Containing",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - timedelta(days=1),
        help="Any day of the month or quarter to evaluate; by default last month.",
    )
    date_from = fields.Date(compute="_compute_period")
    date_to = fields.Date(compute="_compute_period")
    evaluated = fields.Selection(
        [("employee", "Technicians"), ("team", "Teams")], required=True, default="employee"
    )
    team_ids = fields.Many2many(
        "aftersales.team", string="Teams", help="Empty: every team of the company."
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        string="Technicians",
        help="Empty: every technician with tickets in the period.",
    )

    @api.depends("period_type", "date_reference")
    def _compute_period(self):
        for wizard in self:
            wizard.date_from, wizard.date_to = period_bounds(
                wizard.period_type, wizard.date_reference
            )

    def action_generate(self):
        self.ensure_one()
        evaluations = self._generate()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_evaluation"
        )
        # Every draft just generated, whatever the team, in one flat list ordered by team
        # and rank: folded team groups showed one team's drafts and hid the others.
        action["domain"] = [("id", "in", evaluations.ids)]
        action["context"] = {}
        return action

    def _generate(self):
        self.ensure_one()
        return self.env["aftersales.evaluation"]._generate(
            self.period_type,
            self.date_from,
            self.date_to,
            self.evaluated,
            teams=self.team_ids,
            employees=self.employee_ids,
        )
