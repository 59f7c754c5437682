from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.kpi.kpi_period import period_domain
from ..models.ticket.aftersales_ticket import PRIORITIES, TICKET_STATES

# How much the parts of a ticket cost: the stock valuation of what its repair orders moved
# (consumed parts are negative layers). Shared by the KPI and quality reports.
PARTS_COST_BY_TICKET = """
    SELECT repair.aftersales_ticket_id AS ticket_id, -SUM(layer.value) AS cost
      FROM stock_valuation_layer layer
      JOIN stock_move move ON move.id = layer.stock_move_id
      JOIN repair_order repair ON repair.id = move.repair_id
     WHERE repair.aftersales_ticket_id IS NOT NULL
     GROUP BY repair.aftersales_ticket_id
"""


class AftersalesKpiReport(models.Model):
    """One row per (not cancelled) ticket with its dimensions and measures.

    Times and visit totals are stored on the ticket when they happen; penalties and parts
    cost are summed per ticket in sub-queries PostgreSQL drops when a query does not ask
    for them. SLA, first-time-fix, repeat and reopen flags are 0/1 (empty when not
    applicable), so an average is a rate: 0.75 = 75 %."""

    _name = "aftersales.kpi.report"
    _description = "After-Sales KPI Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date_created desc"
    # Reading the view first writes what is pending on the tables it reads (a rating
    # given, a penalty confirmed a moment ago).
    _depends = {
        "aftersales.ticket": [
            "category_id",
            "commercial_partner_id",
            "company_id",
            "create_date",
            "date_accepted",
            "date_arrival",
            "date_resolved",
            "is_first_time_fix",
            "is_repeat_repair",
            "kpi_arrival_hours",
            "kpi_arrival_work_hours",
            "kpi_done_visit_count",
            "kpi_labour_hours",
            "kpi_resolution_hours",
            "kpi_resolution_work_hours",
            "kpi_response_hours",
            "kpi_response_work_hours",
            "priority",
            "product_id",
            "rating_last_value",
            "reopen_count",
            "sla_arrival_state",
            "sla_resolution_state",
            "sla_response_state",
            "state",
            "team_id",
            "technician_id",
            "technician_user_id",
            "warranty_state",
        ],
        "aftersales.penalty": ["ticket_id", "kind", "amount", "points", "state"],
        "repair.order": ["aftersales_ticket_id"],
    }

    # Dimensions
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    date_created = fields.Datetime(string="Created On", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    technician_user_id = fields.Many2one("res.users", readonly=True)
    category_id = fields.Many2one("aftersales.category", readonly=True)
    priority = fields.Selection(
        PRIORITIES,
        readonly=True,
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    zone_id = fields.Many2one("aftersales.zone", string="Service Zone", readonly=True)
    warranty_state = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")],
        readonly=True,
    )
    state = fields.Selection(TICKET_STATES, readonly=True)

    # Measures
    ticket_count = fields.Integer(string="Tickets", readonly=True)
    response_hours = fields.Float(string="Response (h)", readonly=True, aggregator="avg")
    response_work_hours = fields.Float(
        string="Response (working h)", readonly=True, aggregator="avg"
    )
    arrival_hours = fields.Float(string="Arrival (h)", readonly=True, aggregator="avg")
    arrival_work_hours = fields.Float(string="Arrival (working h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution (h)", readonly=True, aggregator="avg")
    resolution_work_hours = fields.Float(
        string="Resolution (working h)", readonly=True, aggregator="avg"
    )
    sla_response_met = fields.Float(string="Response SLA Met", readonly=True, aggregator="avg")
    sla_arrival_met = fields.Float(string="Arrival SLA Met", readonly=True, aggregator="avg")
    sla_resolution_met = fields.Float(string="Resolution SLA Met", readonly=True, aggregator="avg")
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    first_time_fix = fields.Float(string="First-Time Fix", readonly=True, aggregator="avg")
    repeat_repair = fields.Float(readonly=True, aggregator="avg")
    reopened = fields.Float(readonly=True, aggregator="avg")
    rating = fields.Float(string="Rating (1-5)", readonly=True, aggregator="avg")
    penalty_amount = fields.Float(readonly=True)
    penalty_points = fields.Float(readonly=True)
    reward_amount = fields.Float(readonly=True)
    reward_points = fields.Float(readonly=True)
    parts_cost = fields.Float(readonly=True)
    labour_hours = fields.Float(readonly=True)
    visit_count = fields.Integer(string="Visits", readonly=True)

    @api.model
    def _kpi_values(self, group_field, date_from, date_to, domain=(), tz=None):
        """KPIs of the tickets created from date_from to date_to (inclusive), per value of
        group_field (technician_id or team_id): {record: {kpi: value}}. Rates are 0-1 and
        None when nothing in the period applies (no visit on site, no rating...).

        Days are those of ``tz``, by default the user's (as ``context_today``), else the
        company's."""
        tz = tz or self._aftersales_period_tz()
        groups = self.sudo()._read_group(
            [*period_domain("date_created", date_from, date_to, tz), *domain],
            [group_field],
            [
                "__count",
                "resolved_count:sum",
                "sla_arrival_met:avg",
                "first_time_fix:avg",
                "repeat_repair:avg",
                "rating:avg",
                "rating:count",
                "resolution_hours:avg",
            ],
        )

        def rate(value):
            # An average over no value comes back as False: "no data", not 0 %.
            return None if value is False or value is None else value

        values = {}
        for record, count, resolved, on_time, ftf, repeat, rating, ratings, resolution in groups:
            if not record:
                continue
            values[record] = {
                "ticket_count": count,
                "resolved_count": resolved or 0,
                "on_time_rate": rate(on_time),
                "first_time_fix_rate": rate(ftf),
                "repeat_repair_rate": rate(repeat),
                "satisfaction": rate(rating),
                "rating_count": ratings,
                "resolution_hours": resolution or 0.0,
            }
        return values

    @api.model
    def _aftersales_period_tz(self):
        """The zone whose days make a period: the user's, as the web client's filters."""
        tz = self.env.context.get("tz") or self.env.user.tz
        return tz if tz in pytz.all_timezones_set else self.env.company._aftersales_tz()

    @api.model
    def _aftersales_today(self):
        """Today in the zone of the periods (_aftersales_period_tz): a user without a zone
        counts the company's days, for "today" as for the period bounds."""
        return (
            fields.Datetime.now()
            .replace(tzinfo=pytz.utc)
            .astimezone(pytz.timezone(self._aftersales_period_tz()))
            .date()
        )

    @api.model
    def _aftersales_today_bounds(self):
        """Today (_aftersales_today) as naive UTC datetimes [start, stop)."""
        tz = pytz.timezone(self._aftersales_period_tz())
        start = tz.localize(datetime.combine(self._aftersales_today(), time.min))
        start = start.astimezone(pytz.utc).replace(tzinfo=None)
        return start, start + timedelta(days=1)

    def _select(self):
        return """
            SELECT
                t.id AS id,
                t.id AS ticket_id,
                t.create_date AS date_created,
                t.date_resolved AS date_resolved,
                t.company_id AS company_id,
                t.team_id AS team_id,
                t.technician_id AS technician_id,
                t.technician_user_id AS technician_user_id,
                t.category_id AS category_id,
                t.priority AS priority,
                t.product_id AS product_id,
                pt.categ_id AS product_categ_id,
                t.commercial_partner_id AS partner_id,
                customer.aftersales_zone_id AS zone_id,
                t.warranty_state AS warranty_state,
                t.state AS state,
                1 AS ticket_count,
                CASE WHEN t.date_accepted IS NOT NULL THEN t.kpi_response_hours END
                    AS response_hours,
                CASE WHEN t.date_accepted IS NOT NULL THEN t.kpi_response_work_hours END
                    AS response_work_hours,
                CASE WHEN t.date_arrival IS NOT NULL THEN t.kpi_arrival_hours END
                    AS arrival_hours,
                CASE WHEN t.date_arrival IS NOT NULL THEN t.kpi_arrival_work_hours END
                    AS arrival_work_hours,
                CASE WHEN t.date_resolved IS NOT NULL THEN t.kpi_resolution_hours END
                    AS resolution_hours,
                CASE WHEN t.date_resolved IS NOT NULL THEN t.kpi_resolution_work_hours END
                    AS resolution_work_hours,
                CASE t.sla_response_state WHEN 'met' THEN 1 WHEN 'failed' THEN 0 END
                    AS sla_response_met,
                CASE t.sla_arrival_state WHEN 'met' THEN 1 WHEN 'failed' THEN 0 END
                    AS sla_arrival_met,
                CASE t.sla_resolution_state WHEN 'met' THEN 1 WHEN 'failed' THEN 0 END
                    AS sla_resolution_met,
                CASE WHEN t.state IN ('resolved', 'closed') THEN 1 ELSE 0 END
                    AS resolved_count,
                CASE WHEN t.state IN ('resolved', 'closed')
                    THEN CASE WHEN t.is_first_time_fix THEN 1 ELSE 0 END END
                    AS first_time_fix,
                CASE WHEN t.is_repeat_repair THEN 1 ELSE 0 END AS repeat_repair,
                CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END AS reopened,
                -- Only the 1-5 scale counts: 0 is "not rated", anything else was forced in.
                CASE WHEN t.rating_last_value BETWEEN 1 AND 5 THEN t.rating_last_value END
                    AS rating,
                COALESCE(penalty.penalty_amount, 0) AS penalty_amount,
                COALESCE(penalty.penalty_points, 0) AS penalty_points,
                COALESCE(penalty.reward_amount, 0) AS reward_amount,
                COALESCE(penalty.reward_points, 0) AS reward_points,
                COALESCE(parts.cost, 0) AS parts_cost,
                COALESCE(t.kpi_labour_hours, 0) AS labour_hours,
                COALESCE(t.kpi_done_visit_count, 0) AS visit_count
        """

    def _from(self):
        return f"""
            FROM aftersales_ticket t
            LEFT JOIN product_product pp ON pp.id = t.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN res_partner customer ON customer.id = t.commercial_partner_id
            LEFT JOIN (
                SELECT
                    ticket_id,
                    SUM(amount) FILTER (WHERE kind = 'penalty') AS penalty_amount,
                    SUM(points) FILTER (WHERE kind = 'penalty') AS penalty_points,
                    SUM(amount) FILTER (WHERE kind = 'reward') AS reward_amount,
                    SUM(points) FILTER (WHERE kind = 'reward') AS reward_points
                FROM aftersales_penalty
                WHERE state = 'confirmed' AND ticket_id IS NOT NULL
                GROUP BY ticket_id
            ) penalty ON penalty.ticket_id = t.id
            LEFT JOIN ({PARTS_COST_BY_TICKET}) parts ON parts.ticket_id = t.id
        """

    def _where(self):
        return "WHERE t.state != 'cancelled'"

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s %s %s)",
                SQL.identifier(self._table),
                SQL(self._select()),
                SQL(self._from()),
                SQL(self._where()),
            )
        )
