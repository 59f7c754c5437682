from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core.aftersales_guard_mixin import FRAMEWORK_FIELDS
from .kpi_period import period_domain

# Score components: (weight field on the company, evaluation field, label).
SCORE_COMPONENTS = [
    ("aftersales_weight_on_time", "score_on_time", "On-time arrival"),
    ("aftersales_weight_first_time_fix", "score_first_time_fix", "First-time fix"),
    ("aftersales_weight_repeat_repair", "score_repeat_repair", "Repeat repairs"),
    ("aftersales_weight_satisfaction", "score_satisfaction", "Satisfaction"),
    ("aftersales_weight_penalty", "score_penalty", "Penalties and rewards"),
    ("aftersales_weight_complaint", "score_complaint", "Complaints"),
]


class AftersalesEvaluation(models.Model):
    """A technician's or a team's KPIs for a month or a quarter, frozen when generated,
    scored with the company's weights, commented by a manager, acknowledged by the
    employee."""

    _name = "aftersales.evaluation"
    _description = "After-Sales Performance Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_from desc, team_id, rank, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    evaluated = fields.Selection(
        [("employee", "Technician"), ("team", "Team")], required=True, default="employee"
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Technician", index=True, check_company=True
    )
    user_id = fields.Many2one(
        related="employee_id.user_id", store=True, string="Technician's User", index=True
    )
    team_id = fields.Many2one("aftersales.team", index=True, check_company=True)
    period_type = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")], required=True, default="month"
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("acknowledged", "Acknowledged")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )

    # Frozen KPIs. Rates, averages and ranks do not add up: group rows leave them empty
    # (a plain average would count "no data" as 0 and weigh a single ticket like fifty).
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    on_time_rate = fields.Float(string="On-Time Arrival", readonly=True, aggregator=False)
    on_time_no_data = fields.Boolean(
        readonly=True, help="No arrival on site was due in the period: nothing to measure."
    )
    first_time_fix_rate = fields.Float(string="First-Time Fix", readonly=True, aggregator=False)
    repeat_repair_rate = fields.Float(string="Repeat Repairs", readonly=True, aggregator=False)
    satisfaction = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator=False)
    rating_count = fields.Integer(string="Customer Ratings", readonly=True)
    resolution_hours = fields.Float(string="Avg Resolution (h)", readonly=True, aggregator=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    penalty_amount = fields.Monetary(string="Penalties", readonly=True)
    reward_amount = fields.Monetary(string="Rewards", readonly=True)
    penalty_points = fields.Float(readonly=True)
    reward_points = fields.Float(readonly=True)
    substantiated_complaint_count = fields.Integer(
        string="Substantiated Complaints",
        readonly=True,
        help="Complaints verified as substantiated in the period: against the technician "
        "held responsible, or against the team.",
    )

    # Score: each component 0-100, weighted with the company's weights of the day
    score_on_time = fields.Float(readonly=True, aggregator=False)
    score_first_time_fix = fields.Float(readonly=True, aggregator=False)
    score_repeat_repair = fields.Float(readonly=True, aggregator=False)
    score_satisfaction = fields.Float(readonly=True, aggregator=False)
    score_penalty = fields.Float(readonly=True, aggregator=False)
    score_complaint = fields.Float(readonly=True, aggregator=False)
    weights = fields.Char(string="Weights Used", readonly=True)
    components_without_data = fields.Char(
        string="Not Scored (No Data)",
        readonly=True,
        help="Indicators with nothing to measure in the period (no visit on site, no rating"
        "...): left out of the score, the other weights count proportionally.",
    )
    score = fields.Float(readonly=True, aggregator="avg", tracking=True)
    rank = fields.Integer(
        readonly=True, aggregator=False, help="Position by score among the team's technicians."
    )
    rank_size = fields.Integer(string="Ranked Among", readonly=True, aggregator=False)

    manager_comment = fields.Text(tracking=True)
    employee_comment = fields.Text()
    date_confirmed = fields.Datetime(readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_acknowledged = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "period_order",
            "CHECK (date_from <= date_to)",
            "An evaluation period must end after it starts.",
        ),
    ]

    @api.depends("evaluated", "employee_id", "team_id", "period_type", "date_from")
    def _compute_name(self):
        for evaluation in self:
            who = evaluation[evaluation._evaluated_field(evaluation.evaluated)].name
            evaluation.name = f"{who or ''} - {evaluation._period_label()}"

    @api.model
    def _evaluated_field(self, evaluated):
        """The evaluation's field holding who is evaluated (extended with super())."""
        return {"employee": "employee_id", "team": "team_id"}[evaluated]

    @api.model
    def _evaluated_kpi_field(self, evaluated):
        """The KPI report's field the evaluated are grouped by."""
        return {"employee": "technician_id", "team": "team_id"}[evaluated]

    def _period_label(self):
        self.ensure_one()
        if not self.date_from:
            return ""
        if self.period_type == "quarter":
            return f"{self.date_from.year}-Q{(self.date_from.month - 1) // 3 + 1}"
        return self.date_from.strftime("%Y-%m")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(_("Only draft evaluations can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        self._aftersales_check_role("manager", _("confirm evaluations"))
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(_("%s is already confirmed.", evaluation.name))
        self._aftersales_method_write(
            {
                "state": "confirmed",
                "date_confirmed": fields.Datetime.now(),
                "confirmed_by_id": self.env.user.id,
            }
        )
        for evaluation in self.filtered(lambda e: e.evaluated == "employee" and e.user_id):
            evaluation.sudo()._aftersales_schedule_activity(
                "mail.mail_activity_data_todo",
                evaluation.user_id,
                summary=lambda env: env._("Read and acknowledge your evaluation"),
            )
        return True

    def action_reset_to_draft(self):
        self._aftersales_check_role("manager", _("reset evaluations"))
        if any(evaluation.state != "confirmed" for evaluation in self):
            raise UserError(_("Only confirmed evaluations not yet acknowledged can be reset."))
        self._aftersales_method_write(
            {"state": "draft", "date_confirmed": False, "confirmed_by_id": False}
        )
        return True

    def action_acknowledge(self):
        """The evaluated technician confirms having read the evaluation."""
        for evaluation in self:
            if evaluation.user_id != self.env.user:
                raise AccessError(_("Only the evaluated technician acknowledges an evaluation."))
            if evaluation.state != "confirmed":
                raise UserError(_("%s is not waiting for your acknowledgement.", evaluation.name))
        self._aftersales_method_write(
            {"state": "acknowledged", "date_acknowledged": fields.Datetime.now()}
        )
        self.sudo().activity_ids.filtered(lambda a: a.user_id == self.env.user).action_feedback(
            feedback=_("Acknowledged")
        )
        return True

    def action_print(self):
        return self.env.ref("aftersales_service.action_report_evaluation").report_action(self)

    def action_print_team_summary(self):
        return self.env.ref("aftersales_service.action_report_evaluation_team").report_action(self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _score_values(self, kpis, company):
        """Component scores (0-100) and the weighted score of frozen KPIs.

        Components without data in the period (no visit on site, no rating...) are left
        out and the remaining weights count proportionally."""
        net_points = kpis["penalty_points"] - kpis["reward_points"]
        components = {
            "score_on_time": None if kpis["on_time_rate"] is None else kpis["on_time_rate"] * 100,
            "score_first_time_fix": None
            if kpis["first_time_fix_rate"] is None
            else kpis["first_time_fix_rate"] * 100,
            "score_repeat_repair": None
            if kpis["repeat_repair_rate"] is None
            else (1 - kpis["repeat_repair_rate"]) * 100,
            "score_satisfaction": None
            if kpis["satisfaction"] is None
            else (kpis["satisfaction"] - 1) / 4 * 100,
            # Ten points of net penalty take the whole component.
            "score_penalty": max(0.0, min(100.0, 100.0 - 10.0 * net_points)),
            # Four substantiated complaints take the whole component.
            "score_complaint": max(
                0.0, 100.0 - 25.0 * kpis.get("substantiated_complaint_count", 0)
            ),
        }
        weighted = total_weight = 0.0
        weights, missing = [], []
        for weight_field, score_field, label in SCORE_COMPONENTS:
            weight = company[weight_field]
            weights.append(f"{label} {weight:g}%")
            if components[score_field] is None:
                missing.append(label)
            elif weight:
                weighted += components[score_field] * weight
                total_weight += weight
        values = {name: round(value or 0.0, 2) for name, value in components.items()}
        values["score"] = round(weighted / total_weight, 2) if total_weight else 0.0
        values["weights"] = ", ".join(weights)
        values["components_without_data"] = ", ".join(missing)
        values["on_time_no_data"] = kpis["on_time_rate"] is None
        return values

    @api.model
    def _generate(self, period_type, date_from, date_to, evaluated, *, teams=None, employees=None):
        """Freeze the KPIs of the company's technicians (or teams) from ``date_from`` to
        ``date_to`` into draft evaluations, scored and ranked. Re-running refreshes the
        drafts; confirmed and acknowledged evaluations stay as they were."""
        self._aftersales_check_role("manager", _("generate evaluations"))
        company = self.env.company
        domain = [("company_id", "=", company.id)]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        if evaluated == "employee" and employees:
            domain.append(("technician_id", "in", employees.ids))
        group_field = self._evaluated_kpi_field(evaluated)
        Report = self.env["aftersales.kpi.report"]
        # The company's months, whoever generates: a ticket of 1 December 01:00 in
        # Shanghai counts in December.
        tz = company._aftersales_tz()
        kpis = Report._kpi_values(group_field, date_from, date_to, domain, tz=tz)
        if not kpis:
            raise UserError(
                _(
                    "No ticket was created from %(start)s to %(end)s for these technicians "
                    "or teams: there is nothing to evaluate.",
                    start=date_from,
                    end=date_to,
                )
            )
        main_team = {}
        if evaluated == "employee":
            # A technician is ranked in the team they worked most tickets for.
            per_team = Report.sudo()._read_group(
                [
                    *period_domain("date_created", date_from, date_to, tz),
                    ("technician_id", "in", [employee.id for employee in kpis]),
                    *domain,
                ],
                ["technician_id", "team_id"],
                ["__count"],
            )
            for employee, team, _count in sorted(per_team, key=lambda row: -row[2]):
                main_team.setdefault(employee, team)
        penalties = self._penalty_totals(kpis, evaluated, date_from, date_to)
        evaluations = self.browse()
        for record, kpi_values in kpis.items():
            values = {**kpi_values, **penalties.get(record, {})}
            for key in ("penalty_amount", "reward_amount", "penalty_points", "reward_points"):
                values.setdefault(key, 0.0)
            key_values = {
                "company_id": company.id,
                "evaluated": evaluated,
                "period_type": period_type,
                "date_from": date_from,
                "date_to": date_to,
                "employee_id": False,
                "team_id": (main_team.get(record) or self.env["aftersales.team"]).id,
                self._evaluated_field(evaluated): record.id,
            }
            existing = self.search(
                [
                    ("company_id", "=", company.id),
                    ("evaluated", "=", evaluated),
                    ("period_type", "=", period_type),
                    ("date_from", "=", date_from),
                    (self._evaluated_field(evaluated), "=", record.id),
                ],
                limit=1,
            )
            if existing and existing.state != "draft":
                continue  # confirmed evaluations stay as they were
            values.update(self._score_values(values, company))
            values.update(key_values)
            if existing:
                existing.sudo().write(values)
                evaluations |= existing
            else:
                evaluations |= self.sudo().create(values)
        evaluations._rank()
        return evaluations

    @api.model
    def _penalty_totals(self, kpis, evaluated, date_from, date_to):
        """Confirmed penalties and rewards of the company dated in the period, per
        technician or per team (its technicians' total)."""
        if evaluated == "employee":
            owner = {employee: employee for employee in kpis}
        else:
            owner = {employee: team for team in kpis for employee in team.member_ids}
        employees = self.env["hr.employee"].browse([employee.id for employee in owner])
        per_employee = employees._aftersales_penalty_totals(
            date_from, date_to, company=self.env.company
        )
        totals = {}
        for employee, values in per_employee.items():
            bucket = totals.setdefault(owner[employee], {})
            for key in ("penalty_amount", "reward_amount", "penalty_points", "reward_points"):
                bucket[key] = bucket.get(key, 0.0) + values[key]
        return totals

    def _rank(self):
        """Rank evaluations of the same period and company: technicians within their
        team, teams among teams. Confirmed and acknowledged evaluations keep the rank they
        were confirmed with; drafts are placed by score among all of their peers."""
        keys = {
            (
                evaluation.company_id,
                evaluation.period_type,
                evaluation.date_from,
                evaluation.evaluated,
                evaluation.team_id if evaluation.evaluated == "employee" else False,
            )
            for evaluation in self
        }
        for key in keys:
            company, period_type, date_from, evaluated, team = key
            peers = self.search(
                [
                    ("company_id", "=", company.id),
                    ("period_type", "=", period_type),
                    ("date_from", "=", date_from),
                    ("evaluated", "=", evaluated),
                    ("team_id", "=", team.id if team else False)
                    if evaluated == "employee"
                    else (1, "=", 1),
                ]
            )
            ordered = peers.sorted(lambda e: (-e.score, -e.ticket_count, e.id))
            for position, peer in enumerate(ordered, start=1):
                if peer.state == "draft":
                    peer.sudo().write({"rank": position, "rank_size": len(ordered)})

    def _summary_title(self):
        """The section of the summary this evaluation is ranked in."""
        self.ensure_one()
        if self.evaluated == "employee":
            return self.team_id.name or _("No Team")
        return _("All Teams")

    def _team_summary_sections(self):
        """The evaluations grouped by team (or all teams) and period, ranked."""
        sections = {}
        for evaluation in self.sorted(lambda e: (e.date_from, e.evaluated, e.rank, e.id)):
            title = evaluation._summary_title()
            key = (title, evaluation.date_from, evaluation.date_to)
            section = sections.setdefault(
                key,
                {
                    "title": title,
                    "period": f"{evaluation.date_from} - {evaluation.date_to}",
                    "evaluations": self.browse(),
                },
            )
            section["evaluations"] |= evaluation
        for section in sections.values():
            evaluations = section["evaluations"]
            section["average_score"] = sum(evaluations.mapped("score")) / len(evaluations)
            section["tickets"] = sum(evaluations.mapped("ticket_count"))
        return list(sections.values())

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # Who, which period and every figure are frozen by the generation wizard.
        return (
            super()._aftersales_method_fields()
            | {name for name in self._fields if name not in ("manager_comment", "employee_comment")}
            - FRAMEWORK_FIELDS
        )

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"employee_comment"}
        writable["manager"] |= {"manager_comment"}
        return writable

    def _aftersales_owner_only_fields(self):
        return super()._aftersales_owner_only_fields() | {"employee_comment"}

    def _aftersales_assignee_users(self):
        return self.user_id

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state == "acknowledged"
