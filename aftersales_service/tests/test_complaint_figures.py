from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_complaint import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintFigures(ComplaintCommon):
    """Complaint figures on hand-computed data: March 2026, a 24/7 calendar in UTC."""

    def _dispatched(self, technician, technician_user):
        ticket = self._ticket(lot_id=False)
        ticket.with_user(self.rep_user).action_assign(technician)
        ticket.with_user(technician_user).action_accept()
        return ticket

    def _verify(self, complaint, verdict, responsible=None):
        complaint.with_user(self.rep_user).action_investigate()
        complaint.with_user(self.manager_user).action_verify(verdict, "Checked.", responsible)

    def _march(self):
        """Tech One: 4 tickets; 2 complaints on the first (one substantiated, one not),
        1 on the second (still open). Tech Two: 1 ticket, 1 substantiated complaint."""
        with self._at("2026-03-02 09:00:00"):
            tickets = [self._dispatched(self.tech, self.tech_user) for _i in range(4)]
            other = self._dispatched(self.tech2, self.tech2_user)
            first = self._complaint(ticket_id=tickets[0].id)
            second = self._complaint(ticket_id=tickets[0].id)
            third = self._complaint(ticket_id=tickets[1].id)
            fourth = self._complaint(ticket_id=other.id)
        with self._at("2026-03-02 10:00:00"):
            first.with_user(self.rep_user).action_acknowledge()  # on time (24 h)
            fourth.with_user(self.rep_user).action_acknowledge()
        with self._at("2026-03-03 15:00:00"):
            second.with_user(self.rep_user).action_acknowledge()  # 30 h: late
        with self._at("2026-03-04 09:00:00"):
            self._verify(first, "substantiated", self.tech)
            self._verify(second, "unfounded")
            self._verify(fourth, "substantiated", self.tech2)
            first.with_user(self.rep_user).action_answer("Sorry: retrained.")  # in 2 days of 5
        with self._at("2026-03-10 09:00:00"):
            second.with_user(self.rep_user).action_answer("No fault found.")  # 8 days: late
        return first, second, third, fourth

    def test_kpi_figures_by_technician(self):
        self._march()
        Report = self.env["aftersales.complaint.report"]
        figures = Report._complaint_values(
            "technician_id", date(2026, 3, 1), date(2026, 3, 31), tz="UTC"
        )
        tech_one, tech_two = figures[self.tech], figures[self.tech2]
        self.assertEqual(tech_one["ticket_count"], 4)
        self.assertEqual(tech_one["complaint_count"], 3)
        self.assertEqual(tech_one["substantiated_count"], 1)
        # (2 + 1 + 0 + 0) complaints / 4 tickets = 75 per 100 tickets.
        self.assertAlmostEqual(tech_one["complaints_per_100"], 75.0)
        # 1 substantiated of 2 verified; the open one is not counted.
        self.assertAlmostEqual(tech_one["substantiated_rate"], 0.5)
        # Acknowledged: 1 on time of 2; answered: 1 on time of 2.
        self.assertAlmostEqual(tech_one["acknowledged_on_time_rate"], 0.5)
        self.assertAlmostEqual(tech_one["answered_on_time_rate"], 0.5)
        self.assertAlmostEqual(tech_two["complaints_per_100"], 100.0)
        self.assertAlmostEqual(tech_two["substantiated_rate"], 1.0)
        self.assertIsNone(tech_two["answered_on_time_rate"], "nothing answered: no rate")
        by_team = Report._complaint_values(
            "team_id", date(2026, 3, 1), date(2026, 3, 31), tz="UTC"
        )[self.team]
        # 4 complaints on 5 tickets of the team.
        self.assertAlmostEqual(by_team["complaints_per_100"], 80.0)
        by_month = Report._complaint_values(
            "date:month", date(2026, 3, 1), date(2026, 3, 31), tz="UTC"
        )
        self.assertEqual(next(iter(by_month.values()))["complaint_count"], 4)
        # A technician reads his own rows only.
        rows = Report.with_user(self.tech2_user).search([])
        self.assertEqual(rows.technician_id, self.tech2)

    def test_evaluation_complaints_indicator(self):
        self._march()
        with self.assertRaises(ValidationError):
            self.company.aftersales_weight_complaint = 10
        self.company.write({"aftersales_weight_penalty": 0, "aftersales_weight_complaint": 10})
        kpis = self.env["aftersales.kpi.report"]._kpi_values(
            "technician_id", date(2026, 3, 1), date(2026, 3, 31), tz="UTC"
        )
        self.assertEqual(kpis[self.tech]["substantiated_complaint_count"], 1)
        self.assertEqual(kpis[self.tech2]["substantiated_complaint_count"], 1)
        values = self.env["aftersales.evaluation"]._score_values(
            {**kpis[self.tech], "penalty_points": 0.0, "reward_points": 0.0}, self.company
        )
        self.assertEqual(values["score_complaint"], 75.0)
        self.assertIn("Complaints 10%", values["weights"])
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create(
                {
                    "period_type": "month",
                    "date_reference": date(2026, 3, 15),
                    "evaluated": "employee",
                }
            )
        )
        evaluations = self.env["aftersales.evaluation"].search(wizard.action_generate()["domain"])
        evaluation = evaluations.filtered(lambda e: e.employee_id == self.tech)
        self.assertEqual(evaluation.substantiated_complaint_count, 1)
        self.assertEqual(evaluation.score_complaint, 75.0)

    def test_scorecard_shows_substantiated_complaints(self):
        complaint = self._complaint()
        complaint.with_user(self.rep_user).action_acknowledge()
        self._verify(complaint, "substantiated", self.tech)
        employee = self.tech.with_user(self.analyst_user)
        public = self.env["hr.employee.public"].with_user(self.analyst_user).browse(self.tech.id)
        self.assertEqual(public.aftersales_month_substantiated_complaints, 1)
        self.assertEqual(public.aftersales_quarter_substantiated_complaints, 1)
        self.assertEqual(employee.sudo().aftersales_month_substantiated_complaints, 1)
        # Another technician's reads as empty for a technician.
        other = self.env["hr.employee.public"].with_user(self.tech2_user).browse(self.tech.id)
        self.assertEqual(other.aftersales_month_substantiated_complaints, 0)

    def test_quality_feedback_lists_product_complaints(self):
        with self._at("2026-03-05 09:00:00"):
            self._complaint(
                subject="product",
                ticket_id=False,
                type_id=self.type_product.id,
                product_id=self.product.id,
                lot_id=self.lot.id,
            )
            self._complaint()  # behaviour: not a product complaint
        values = self.env["aftersales.quality.report"]._monthly_values(
            self.company, date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(len(values["product_complaints"]), 1)
        self.assertEqual(values["product_complaints"][0]["lot"], self.lot.name)
