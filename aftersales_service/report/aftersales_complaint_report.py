from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.complaint.aftersales_complaint import SEVERITIES
from .aftersales_kpi_report import period_domain


class AftersalesComplaintReport(models.Model):
    """Complaint figures next to the tickets they are measured against.

    One row per (not cancelled) ticket and one per (not cancelled) complaint, with the
    same dimensions: month, company, team, technician (the ticket's), product. Rates are
    0/1 values left empty where they do not apply, so that an average is a rate:

    - ``complaints_per_100``: on ticket rows, 100 x the ticket's complaints; averaged over
      tickets it is the number of complaints per 100 tickets;
    - ``substantiated``: on verified complaints, 1 if substantiated;
    - ``acknowledged_on_time`` / ``answered_on_time``: on acknowledged / answered ones."""

    _name = "aftersales.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "aftersales.ticket": [
            "company_id",
            "create_date",
            "product_id",
            "state",
            "team_id",
            "technician_id",
            "technician_user_id",
        ],
        "aftersales.complaint": [
            "acknowledged_on_time",
            "answered_on_time",
            "company_id",
            "date_acknowledged",
            "date_answered",
            "date_received",
            "product_id",
            "severity",
            "state",
            "team_id",
            "ticket_id",
            "type_id",
            "verdict",
        ],
    }

    row_kind = fields.Selection(
        [("ticket", "Ticket"), ("complaint", "Complaint")], string="Row", readonly=True
    )
    date = fields.Datetime(readonly=True, help="Tickets: created on; complaints: received on.")
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    technician_id = fields.Many2one("hr.employee", readonly=True)
    technician_user_id = fields.Many2one("res.users", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    complaint_id = fields.Many2one("aftersales.complaint", readonly=True)
    type_id = fields.Many2one("aftersales.complaint.type", string="Complaint Type", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)

    ticket_count = fields.Integer(string="Tickets", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    substantiated_count = fields.Integer(string="Substantiated", readonly=True)
    complaints_per_100 = fields.Float(
        string="Complaints per 100 Tickets", readonly=True, aggregator="avg"
    )
    substantiated = fields.Float(string="Substantiated Rate", readonly=True, aggregator="avg")
    acknowledged_on_time = fields.Float(readonly=True, aggregator="avg")
    answered_on_time = fields.Float(readonly=True, aggregator="avg")

    def _query(self):
        return """
            SELECT
                t.id * 2 AS id,
                'ticket' AS row_kind,
                t.create_date AS date,
                t.company_id AS company_id,
                t.team_id AS team_id,
                t.technician_id AS technician_id,
                t.technician_user_id AS technician_user_id,
                t.product_id AS product_id,
                t.id AS ticket_id,
                NULL::integer AS complaint_id,
                NULL::integer AS type_id,
                NULL::varchar AS severity,
                1 AS ticket_count,
                0 AS complaint_count,
                0 AS substantiated_count,
                100.0 * COALESCE(per_ticket.complaints, 0) AS complaints_per_100,
                NULL::float AS substantiated,
                NULL::float AS acknowledged_on_time,
                NULL::float AS answered_on_time
            FROM aftersales_ticket t
            LEFT JOIN (
                SELECT ticket_id, COUNT(*) AS complaints
                  FROM aftersales_complaint
                 WHERE ticket_id IS NOT NULL AND state != 'cancelled'
                 GROUP BY ticket_id
            ) per_ticket ON per_ticket.ticket_id = t.id
            WHERE t.state != 'cancelled'
            UNION ALL
            SELECT
                c.id * 2 + 1 AS id,
                'complaint' AS row_kind,
                c.date_received AS date,
                c.company_id AS company_id,
                c.team_id AS team_id,
                ticket.technician_id AS technician_id,
                ticket.technician_user_id AS technician_user_id,
                c.product_id AS product_id,
                c.ticket_id AS ticket_id,
                c.id AS complaint_id,
                c.type_id AS type_id,
                c.severity AS severity,
                0 AS ticket_count,
                1 AS complaint_count,
                CASE WHEN c.verdict = 'substantiated' THEN 1 ELSE 0 END AS substantiated_count,
                NULL::float AS complaints_per_100,
                CASE c.verdict WHEN 'substantiated' THEN 1 WHEN 'unfounded' THEN 0 END
                    AS substantiated,
                CASE WHEN c.date_acknowledged IS NOT NULL
                    THEN CASE WHEN c.acknowledged_on_time THEN 1 ELSE 0 END END
                    AS acknowledged_on_time,
                CASE WHEN c.date_answered IS NOT NULL
                    THEN CASE WHEN c.answered_on_time THEN 1 ELSE 0 END END
                    AS answered_on_time
            FROM aftersales_complaint c
            LEFT JOIN aftersales_ticket ticket ON ticket.id = c.ticket_id
            WHERE c.state != 'cancelled'
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(self._query()),
            )
        )

    @api.model
    def _complaint_values(self, group_field, date_from, date_to, domain=(), tz="UTC"):
        """Complaint figures of the period per value of ``group_field``: {record: {...}}
        with complaints per 100 tickets and rates (0-1) None when nothing applies."""
        groups = self.sudo()._read_group(
            [*period_domain("date", date_from, date_to, tz), *domain],
            [group_field],
            [
                "ticket_count:sum",
                "complaint_count:sum",
                "substantiated_count:sum",
                "complaints_per_100:avg",
                "substantiated:avg",
                "acknowledged_on_time:avg",
                "answered_on_time:avg",
            ],
        )

        def rate(value):
            return None if value is False or value is None else value

        return {
            record: {
                "ticket_count": tickets,
                "complaint_count": complaints,
                "substantiated_count": substantiated_count,
                "complaints_per_100": rate(per_100),
                "substantiated_rate": rate(substantiated),
                "acknowledged_on_time_rate": rate(ack),
                "answered_on_time_rate": rate(answered),
            }
            for (
                record,
                tickets,
                complaints,
                substantiated_count,
                per_100,
                substantiated,
                ack,
                answered,
            ) in groups
        }
