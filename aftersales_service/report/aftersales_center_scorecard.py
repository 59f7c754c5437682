from odoo import fields, models, tools
from odoo.tools import SQL


class AftersalesCenterScorecard(models.Model):
    """Service centres ranked per month on the technicians' KPIs: on-time arrival,
    first-time fix, repeat repairs, satisfaction and substantiated complaints, over the
    tickets dispatched to them (by the month the ticket was created, in UTC).

    The score is the average of the rates that apply (on-time arrival, first-time fix,
    1 - repeat repairs, satisfaction / 5), less 0.05 per substantiated complaint; the rank
    is 1 for the best score of the month in the company."""

    _name = "aftersales.center.scorecard"
    _description = "Service Centre Ranking"
    _auto = False
    _order = "month desc, rank, service_center_id"
    _rec_name = "service_center_id"
    _depends = {
        "aftersales.ticket": [
            "service_center_id",
            "company_id",
            "create_date",
            "state",
            "sla_arrival_state",
            "is_first_time_fix",
            "is_repeat_repair",
            "rating_last_value",
        ],
        "aftersales.complaint": ["ticket_id", "verdict", "state", "date_verified"],
        "aftersales.penalty": ["service_center_id", "kind", "amount", "state", "date"],
    }

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    service_center_id = fields.Many2one("res.partner", string="Service Centre", readonly=True)
    job_count = fields.Integer(string="Jobs", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    on_time_rate = fields.Float(string="On-Time Arrival", readonly=True, aggregator="avg")
    first_time_fix_rate = fields.Float(string="First-Time Fix", readonly=True, aggregator="avg")
    repeat_repair_rate = fields.Float(string="Repeat Repairs", readonly=True, aggregator="avg")
    satisfaction = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator="avg")
    complaint_count = fields.Integer(string="Substantiated Complaints", readonly=True)
    penalty_amount = fields.Float(string="Penalties", readonly=True)
    score = fields.Float(readonly=True, aggregator="avg")
    rank = fields.Integer(readonly=True, aggregator="min")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                WITH jobs AS (
                    SELECT t.company_id,
                           t.service_center_id,
                           date_trunc('month', t.create_date)::date AS month,
                           COUNT(*) AS job_count,
                           COUNT(*) FILTER (WHERE t.state IN ('resolved', 'closed'))
                               AS resolved_count,
                           AVG(CASE t.sla_arrival_state WHEN 'met' THEN 1.0
                                                        WHEN 'failed' THEN 0.0 END)
                               AS on_time_rate,
                           AVG(CASE WHEN t.state IN ('resolved', 'closed') THEN
                               CASE WHEN t.is_first_time_fix THEN 1.0 ELSE 0.0 END END)
                               AS first_time_fix_rate,
                           AVG(CASE WHEN t.is_repeat_repair THEN 1.0 ELSE 0.0 END)
                               AS repeat_repair_rate,
                           AVG(CASE WHEN t.rating_last_value BETWEEN 1 AND 5
                                    THEN t.rating_last_value END) AS satisfaction
                      FROM aftersales_ticket t
                     WHERE t.service_center_id IS NOT NULL AND t.state != 'cancelled'
                     GROUP BY 1, 2, 3
                ),
                complaints AS (
                    SELECT t.company_id, t.service_center_id,
                           date_trunc('month', c.date_verified)::date AS month,
                           COUNT(*) AS complaint_count
                      FROM aftersales_complaint c
                      JOIN aftersales_ticket t ON t.id = c.ticket_id
                     WHERE t.service_center_id IS NOT NULL
                       AND c.verdict = 'substantiated' AND c.state != 'cancelled'
                       AND c.date_verified IS NOT NULL
                     GROUP BY 1, 2, 3
                ),
                penalties AS (
                    SELECT p.company_id, p.service_center_id,
                           date_trunc('month', p.date)::date AS month,
                           SUM(p.amount) AS penalty_amount
                      FROM aftersales_penalty p
                     WHERE p.service_center_id IS NOT NULL AND p.state = 'confirmed'
                       AND p.kind = 'penalty'
                     GROUP BY 1, 2, 3
                ),
                keys AS (
                    SELECT company_id, service_center_id, month FROM jobs
                    UNION SELECT company_id, service_center_id, month FROM complaints
                    UNION SELECT company_id, service_center_id, month FROM penalties
                ),
                scored AS (
                    SELECT k.company_id, k.service_center_id, k.month,
                           COALESCE(j.job_count, 0) AS job_count,
                           COALESCE(j.resolved_count, 0) AS resolved_count,
                           j.on_time_rate, j.first_time_fix_rate, j.repeat_repair_rate,
                           j.satisfaction,
                           COALESCE(c.complaint_count, 0) AS complaint_count,
                           COALESCE(p.penalty_amount, 0) AS penalty_amount,
                           (SELECT AVG(v) FROM (VALUES (j.on_time_rate),
                                                       (j.first_time_fix_rate),
                                                       (1 - j.repeat_repair_rate),
                                                       (j.satisfaction / 5.0)) AS r(v))
                               - 0.05 * COALESCE(c.complaint_count, 0) AS score
                      FROM keys k
                      LEFT JOIN jobs j USING (company_id, service_center_id, month)
                      LEFT JOIN complaints c USING (company_id, service_center_id, month)
                      LEFT JOIN penalties p USING (company_id, service_center_id, month)
                )
                SELECT row_number() OVER (ORDER BY month, company_id, service_center_id) AS id,
                       scored.*,
                       RANK() OVER (PARTITION BY company_id, month
                                    ORDER BY score DESC NULLS LAST) AS rank
                  FROM scored
                )
                """,
                SQL.identifier(self._table),
            )
        )
