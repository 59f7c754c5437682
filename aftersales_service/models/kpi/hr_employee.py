from odoo import _, fields, models

SCORECARD_GROUPS = "hr.group_hr_user,aftersales_service.group_aftersales_analyst"


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    aftersales_location_id = fields.Many2one(
        "stock.location",
        string="Service Van Stock",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        groups="hr.group_hr_user,aftersales_service.group_aftersales_technician",
        help="Where the parts this technician uses on site are taken from.",
    )
    aftersales_penalty_ids = fields.One2many(
        "aftersales.penalty",
        "employee_id",
        string="Penalties and Rewards",
        groups="hr.group_hr_user",
    )
    aftersales_month_penalty_amount = fields.Monetary(
        compute="_compute_aftersales_month_totals",
        currency_field="currency_id",
        string="Penalties This Month",
        groups="hr.group_hr_user",
    )
    aftersales_month_reward_amount = fields.Monetary(
        compute="_compute_aftersales_month_totals",
        currency_field="currency_id",
        string="Rewards This Month",
        groups="hr.group_hr_user",
    )

    aftersales_month_ticket_count = fields.Integer(
        string="Tickets (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_on_time = fields.Float(
        string="On-Time Arrival (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_resolution_hours = fields.Float(
        string="Avg Resolution (h) (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_first_time_fix = fields.Float(
        string="First-Time Fix (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_repeat_repair = fields.Float(
        string="Repeat Repairs (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_satisfaction = fields.Float(
        string="Satisfaction (1-5) (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_month_net_points = fields.Float(
        string="Net Penalty Points (This Month)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_ticket_count = fields.Integer(
        string="Tickets (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_on_time = fields.Float(
        string="On-Time Arrival (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_resolution_hours = fields.Float(
        string="Avg Resolution (h) (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_first_time_fix = fields.Float(
        string="First-Time Fix (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_repeat_repair = fields.Float(
        string="Repeat Repairs (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_satisfaction = fields.Float(
        string="Satisfaction (1-5) (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_net_points = fields.Float(
        string="Net Penalty Points (This Quarter)",
        compute="_compute_aftersales_scorecard",
        groups=SCORECARD_GROUPS,
    )

    def _compute_aftersales_scorecard(self):
        Report = self.env["aftersales.kpi.report"]
        today = Report._aftersales_today()
        month_start = today.replace(day=1)
        quarter_start = month_start.replace(month=(today.month - 1) // 3 * 3 + 1)
        for period, start in (("month", month_start), ("quarter", quarter_start)):
            kpis = Report._kpi_values(
                "technician_id", start, today, [("technician_id", "in", self.ids)]
            )
            totals = self._aftersales_penalty_totals(start, today)
            for employee in self:
                values = kpis.get(employee, {})
                prefix = f"aftersales_{period}_"
                employee[prefix + "ticket_count"] = values.get("ticket_count", 0)
                employee[prefix + "on_time"] = values.get("on_time_rate") or 0.0
                employee[prefix + "resolution_hours"] = values.get("resolution_hours") or 0.0
                employee[prefix + "first_time_fix"] = values.get("first_time_fix_rate") or 0.0
                employee[prefix + "repeat_repair"] = values.get("repeat_repair_rate") or 0.0
                employee[prefix + "satisfaction"] = values.get("satisfaction") or 0.0
                employee[prefix + "net_points"] = totals[employee]["net_points"]

    def action_view_aftersales_kpis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_kpi_report"
        )
        action["domain"] = [("technician_id", "=", self.id)]
        scorecard = self.env.ref("aftersales_service.aftersales_kpi_report_view_pivot_scorecard")
        action["views"] = [(scorecard.id, "pivot"), (False, "graph"), (False, "list")]
        action["display_name"] = _("Service KPIs: %s", self.name)
        return action

    def _compute_aftersales_month_totals(self):
        today = fields.Date.context_today(self)
        totals = self._aftersales_penalty_totals(today.replace(day=1), today)
        for employee in self:
            employee.aftersales_month_penalty_amount = totals[employee]["penalty_amount"]
            employee.aftersales_month_reward_amount = totals[employee]["reward_amount"]

    def _aftersales_penalty_totals(self, date_from, date_to, company=None):
        """{employee: confirmed penalty and reward amounts and points between the dates
        (of ``company`` only, when given), and net_points = penalty points - reward
        points}: the one reading of these totals."""
        company_domain = [("company_id", "=", company.id)] if company else []
        groups = (
            self.env["aftersales.penalty"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", self.ids),
                    ("state", "=", "confirmed"),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                    *company_domain,
                ],
                ["employee_id", "kind"],
                ["amount:sum", "points:sum"],
            )
        )
        totals = {
            employee: dict.fromkeys(
                ("penalty_amount", "reward_amount", "penalty_points", "reward_points"), 0.0
            )
            for employee in self
        }
        for employee, kind, amount, points in groups:
            totals[employee][f"{kind}_amount"] = amount
            totals[employee][f"{kind}_points"] = points
        for values in totals.values():
            values["net_points"] = values["penalty_points"] - values["reward_points"]
        return totals
