from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..report.aftersales_kpi_report import period_domain


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
            wizard.date_from, wizard.date_to = wizard._period_bounds(
                wizard.period_type, wizard.date_reference
            )

    @api.model
    def _period_bounds(self, period_type, day):
        if not day:
            return False, False
        if period_type == "quarter":
            start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
            return start, start + relativedelta(months=3, days=-1)
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

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
        Evaluation = self.env["aftersales.evaluation"]
        Evaluation._aftersales_check_role("manager", _("generate evaluations"))
        company = self.env.company
        domain = [("company_id", "=", company.id)]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.evaluated == "employee" and self.employee_ids:
            domain.append(("technician_id", "in", self.employee_ids.ids))
        group_field = "technician_id" if self.evaluated == "employee" else "team_id"
        Report = self.env["aftersales.kpi.report"]
        # The company's months, whoever generates: a ticket of 1 December 01:00 in
        # Shanghai counts in December.
        tz = company._aftersales_tz()
        kpis = Report._kpi_values(group_field, self.date_from, self.date_to, domain, tz=tz)
        if not kpis:
            raise UserError(
                _(
                    "No ticket was created from %(start)s to %(end)s for these technicians "
                    "or teams: there is nothing to evaluate.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        teams = {}
        if self.evaluated == "employee":
            # A technician is ranked in the team they worked most tickets for.
            per_team = Report.sudo()._read_group(
                [
                    *period_domain("date_created", self.date_from, self.date_to, tz),
                    ("technician_id", "in", [employee.id for employee in kpis]),
                    *domain,
                ],
                ["technician_id", "team_id"],
                ["__count"],
            )
            for employee, team, _count in sorted(per_team, key=lambda row: -row[2]):
                teams.setdefault(employee, team)
        penalties = self._penalty_totals(kpis, teams)
        evaluations = Evaluation.browse()
        for record, kpi_values in kpis.items():
            values = {**kpi_values, **penalties.get(record, {})}
            for key in ("penalty_amount", "reward_amount", "penalty_points", "reward_points"):
                values.setdefault(key, 0.0)
            key_values = {
                "company_id": company.id,
                "evaluated": self.evaluated,
                "period_type": self.period_type,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "employee_id": record.id if self.evaluated == "employee" else False,
                "team_id": (teams.get(record) or Evaluation.env["aftersales.team"]).id
                if self.evaluated == "employee"
                else record.id,
            }
            existing = Evaluation.search(
                [
                    ("company_id", "=", company.id),
                    ("evaluated", "=", self.evaluated),
                    ("period_type", "=", self.period_type),
                    ("date_from", "=", self.date_from),
                    (group_field.replace("technician_id", "employee_id"), "=", record.id),
                ],
                limit=1,
            )
            if existing and existing.state != "draft":
                continue  # confirmed evaluations stay as they were
            values.update(Evaluation._score_values(values, company))
            values.update(key_values)
            if existing:
                existing.sudo().write(values)
                evaluations |= existing
            else:
                evaluations |= Evaluation.sudo().create(values)
        evaluations._rank()
        return evaluations

    def _penalty_totals(self, kpis, teams):
        """Confirmed penalties and rewards dated in the period, per technician or per
        team (its technicians' total)."""
        groups = (
            self.env["aftersales.penalty"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "confirmed"),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                ["employee_id", "kind"],
                ["amount:sum", "points:sum"],
            )
        )
        if self.evaluated == "employee":
            owner = {employee: employee for employee in kpis}
        else:
            owner = {employee: team for team in kpis for employee in team.member_ids}
        totals = {}
        for employee, kind, amount, points in groups:
            record = owner.get(employee)
            if not record:
                continue
            bucket = totals.setdefault(record, {})
            bucket[f"{kind}_amount"] = bucket.get(f"{kind}_amount", 0.0) + amount
            bucket[f"{kind}_points"] = bucket.get(f"{kind}_points", 0.0) + points
        return totals
