from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, fields, models

from .aftersales_ticket import OPEN_STATES

# The fund's balance is for who sees the fund (customer service, analysts, managers); every
# team's KPIs for who reads the KPI report of all technicians (analysts, managers). The
# ticket and visit counts are computed with the reader's own rights and stay open.
FUND_GROUPS = "aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst"
KPI_GROUPS = "aftersales_service.group_aftersales_analyst"


# The team is also the manager's overview card: its figures live in a file of their own.
class AftersalesTeamDashboard(models.Model):
    """Figures of the After-Sales overview, one card per team."""

    _inherit = "aftersales.team"  # pylint: disable=consider-merging-classes-inherited

    dashboard_new_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_assigned_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_in_progress_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_waiting_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_at_risk_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_breached_count = fields.Integer(compute="_compute_dashboard_tickets")
    dashboard_visit_today_count = fields.Integer(compute="_compute_dashboard_visits")
    dashboard_currency_id = fields.Many2one(related="company_id.currency_id", groups=FUND_GROUPS)
    dashboard_fund_balance = fields.Monetary(
        string="Emergency Fund",
        compute="_compute_dashboard_fund_balance",
        currency_field="dashboard_currency_id",
        groups=FUND_GROUPS,
    )
    dashboard_month_ticket_count = fields.Integer(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_ticket_count = fields.Integer(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_month_on_time = fields.Float(compute="_compute_dashboard_kpis", groups=KPI_GROUPS)
    dashboard_last_month_on_time = fields.Float(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_month_first_time_fix = fields.Float(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_first_time_fix = fields.Float(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_month_satisfaction = fields.Float(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_satisfaction = fields.Float(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    # Nothing measured (no arrival due, nothing resolved, no rating): the card reads empty,
    # not 0 % or 0.00.
    dashboard_month_on_time_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_on_time_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_month_first_time_fix_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_first_time_fix_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_month_satisfaction_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )
    dashboard_last_month_satisfaction_no_data = fields.Boolean(
        compute="_compute_dashboard_kpis", groups=KPI_GROUPS
    )

    def _compute_dashboard_tickets(self):
        Ticket = self.env["aftersales.ticket"]
        by_state = Ticket._read_group(
            [("team_id", "in", self.ids), ("state", "in", Ticket._OPEN_STATES)],
            ["team_id", "state"],
            ["__count"],
        )
        by_sla = Ticket._read_group(
            [
                ("team_id", "in", self.ids),
                ("state", "in", Ticket._OPEN_STATES),
                ("sla_status", "in", ["at_risk", "breached"]),
            ],
            ["team_id", "sla_status"],
            ["__count"],
        )
        counts = {(team, key): count for team, key, count in by_state + by_sla}
        for team in self:
            for state in OPEN_STATES:
                team[f"dashboard_{state}_count"] = counts.get((team, state), 0)
            team.dashboard_at_risk_count = counts.get((team, "at_risk"), 0)
            team.dashboard_breached_count = counts.get((team, "breached"), 0)

    def _compute_dashboard_fund_balance(self):
        balances = {}
        for team in self:
            company = team.company_id or self.env.company
            if company not in balances:
                balances[company] = company._aftersales_fund_balance()
            team.dashboard_fund_balance = balances[company]

    def _compute_dashboard_visits(self):
        start, stop = self.env["aftersales.kpi.report"]._aftersales_today_bounds()
        counts = dict(
            self.env["aftersales.visit"]._read_group(
                [
                    ("team_id", "in", self.ids),
                    ("state", "!=", "cancelled"),
                    ("scheduled_start", ">=", start),
                    ("scheduled_start", "<", stop),
                ],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.dashboard_visit_today_count = counts.get(team, 0)

    def _compute_dashboard_kpis(self):
        Report = self.env["aftersales.kpi.report"]
        today = Report._aftersales_today()
        month_start = today.replace(day=1)
        last_month_start = month_start - relativedelta(months=1)
        domain = [("team_id", "in", self.ids)]
        this_month = Report._kpi_values("team_id", month_start, today, domain)
        # Last month up to the same day, so that both numbers are comparable.
        same_day = min(today - relativedelta(months=1), month_start - timedelta(days=1))
        last_month = Report._kpi_values("team_id", last_month_start, same_day, domain)
        empty = {
            "ticket_count": 0,
            "on_time_rate": None,
            "first_time_fix_rate": None,
            "satisfaction": None,
        }
        figures = {
            "on_time": "on_time_rate",
            "first_time_fix": "first_time_fix_rate",
            "satisfaction": "satisfaction",
        }
        for team in self:
            current = this_month.get(team, empty)
            previous = last_month.get(team, empty)
            team.dashboard_month_ticket_count = current["ticket_count"]
            team.dashboard_last_month_ticket_count = previous["ticket_count"]
            for figure, kpi in figures.items():
                for prefix, values in (("month", current), ("last_month", previous)):
                    team[f"dashboard_{prefix}_{figure}"] = values[kpi] or 0.0
                    team[f"dashboard_{prefix}_{figure}_no_data"] = values[kpi] is None

    def action_dashboard_tickets(self):
        """Open the team's tickets of the card's figure (`dashboard_filter` in context)."""
        self.ensure_one()
        Ticket = self.env["aftersales.ticket"]
        filters = {
            "new": [("state", "=", "new")],
            "assigned": [("state", "=", "assigned")],
            "in_progress": [("state", "=", "in_progress")],
            "waiting": [("state", "=", "waiting")],
            "at_risk": [("state", "in", Ticket._OPEN_STATES), ("sla_status", "=", "at_risk")],
            "breached": [("state", "in", Ticket._OPEN_STATES), ("sla_status", "=", "breached")],
        }
        key = self.env.context.get("dashboard_filter")
        return Ticket._action_view_tickets(
            [("team_id", "=", self.id), *filters.get(key, [])],
            {"default_team_id": self.id},
        )

    def action_dashboard_visits_today(self):
        self.ensure_one()
        start, stop = self.env["aftersales.kpi.report"]._aftersales_today_bounds()
        return {
            "type": "ir.actions.act_window",
            "name": _("Visits Today: %s", self.name),
            "res_model": "aftersales.visit",
            "view_mode": "list,calendar,form",
            "domain": [
                ("team_id", "=", self.id),
                ("state", "!=", "cancelled"),
                ("scheduled_start", ">=", start),
                ("scheduled_start", "<", stop),
            ],
        }

    def action_dashboard_kpis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_kpi_report"
        )
        action["context"] = {
            "search_default_filter_date_created": 1,
            "search_default_team_id": self.id,
        }
        return action
