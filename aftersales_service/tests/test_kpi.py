from datetime import date

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_service_execution import ExecutionCommon


class KpiCommon(ExecutionCommon):
    """A fixed week of March 2026 on an 8-12 / 13-17 Monday-Friday UTC calendar.

    Ticket A (Tech One, serial TC-0001): created Fri 6 16:00, accepted Mon 9 09:00, on site
    Mon 10:00-12:00 with 2 contactors (cost 50 each), resolved Mon 14:00, rated 5, reward
    1 point / 100. Ticket B (Tech One, same serial: repeat repair): created Tue 10 08:00,
    accepted Tue 13:00 (late), visits Tue 15:00-16:00 and Wed 11 09:00-11:00, resolved Wed
    11:30, rated 1, penalty 2 points / 200. Ticket C (Tech Two): created Wed 10:00, accepted
    10:30, still in progress. Ticket D: cancelled (not counted). SLA: response 4, arrival 8,
    resolution 16 working hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.sla.policy"].search([]).active = False
        cls.calendar = cls._calendar("KPI 8-17 UTC", "UTC", hours=((8, 12), (13, 17)))
        cls.env["aftersales.sla.policy"].create(
            {
                "name": "KPI policy",
                "calendar_id": cls.calendar.id,
                "response_hours": 4,
                "arrival_from_zone": False,
                "arrival_hours": 8,
                "resolution_hours": 16,
                "team_ids": [Command.set(cls.team.ids)],
            }
        )
        cls.part.standard_price = 50
        Rule = cls.env["aftersales.penalty.rule"]
        cls.late_rule = Rule.create(
            {"code": "KPI_LATE", "name": "Late", "kind": "penalty", "amount": 200, "points": 2}
        )
        cls.praise_rule = Rule.create(
            {"code": "KPI_PRAISE", "name": "Praise", "kind": "reward", "amount": 100, "points": 1}
        )

    def _step(self, moment, method, *records_and_args):
        with self._at(moment):
            return method(*records_and_args)

    def _kpi_visit(self, ticket, check_in, check_out, parts=()):
        with self._at(check_in):
            visit = self._visit(
                ticket,
                scheduled_start=check_in,
                scheduled_end=check_out,
                part_ids=[
                    Command.create({"product_id": product.id, "quantity": qty})
                    for product, qty in parts
                ],
            )
            visit.with_user(self.tech_user).action_check_in()
        with self._at(check_out):
            visit.with_user(self.tech_user).write(
                {
                    "work_done": "<p>Done.</p>",
                    "customer_opinion": "Fine",
                    "no_parts_used": not parts,
                }
            )
            visit.with_user(self.tech_user).action_check_out()
        return visit

    def _resolve_at(self, ticket, moment, technician_user):
        with self._at(moment):
            ticket.with_user(technician_user).write(
                {"resolution_cause": "Worn contactor", "resolution_note": "<p>Replaced.</p>"}
            )
            ticket.with_user(technician_user).action_resolve()

    def _rate(self, ticket, score):
        token = ticket._rating_get_access_token()
        ticket.rating_apply(score, token=token, feedback="KPI test")

    def _penalty(self, ticket, rule, day):
        penalty = self.env["aftersales.penalty"].create(
            {"employee_id": self.tech.id, "rule_id": rule.id, "ticket_id": ticket.id, "date": day}
        )
        penalty.with_user(self.manager_user).action_confirm()
        return penalty

    def _build_week(self):
        tech, tech_user = self.tech, self.tech_user
        with self._at("2026-03-06 16:00:00"):
            a = self._ticket()
            a.with_user(self.rep_user).action_assign(tech)
        self._step("2026-03-09 09:00:00", a.with_user(tech_user).action_accept)
        self._kpi_visit(a, "2026-03-09 10:00:00", "2026-03-09 12:00:00", parts=[(self.part, 2)])
        self._resolve_at(a, "2026-03-09 14:00:00", tech_user)
        self._rate(a, 5)
        self._penalty(a, self.praise_rule, "2026-03-09")

        with self._at("2026-03-10 08:00:00"):
            b = self._ticket()
            b.with_user(self.rep_user).action_assign(tech)
        self._step("2026-03-10 13:00:00", b.with_user(tech_user).action_accept)
        self._kpi_visit(b, "2026-03-10 15:00:00", "2026-03-10 16:00:00")
        self._kpi_visit(b, "2026-03-11 09:00:00", "2026-03-11 11:00:00")
        self._resolve_at(b, "2026-03-11 11:30:00", tech_user)
        self._rate(b, 1)
        self._penalty(b, self.late_rule, "2026-03-11")

        with self._at("2026-03-11 10:00:00"):
            c = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            c.with_user(self.rep_user).action_assign(self.tech2)
        self._step("2026-03-11 10:30:00", c.with_user(self.tech2_user).action_accept)

        with self._at("2026-03-11 12:00:00"):
            d = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            d.with_user(self.rep_user).action_cancel("Duplicate")
        self.env.flush_all()
        return a, b, c, d


@tagged("post_install", "-at_install")
class TestKpiReport(KpiCommon):
    def setUp(self):
        super().setUp()
        self.a, self.b, self.c, self.d = self._build_week()
        self.Report = self.env["aftersales.kpi.report"]

    def _row(self, ticket):
        return self.Report.search([("ticket_id", "=", ticket.id)])

    def test_durations_in_wall_and_working_hours(self):
        a, b = self._row(self.a), self._row(self.b)
        # A: Fri 16:00 → Mon 09:00 is 65 h; working: Fri 16-17 + Mon 8-9 = 2 h.
        self.assertEqual((a.response_hours, a.response_work_hours), (65.0, 2.0))
        # Arrival Mon 10:00: 66 h, working 3 h; resolution Mon 14:00: 70 h, working 1+4+1 = 6 h.
        self.assertEqual((a.arrival_hours, a.arrival_work_hours), (66.0, 3.0))
        self.assertEqual((a.resolution_hours, a.resolution_work_hours), (70.0, 6.0))
        # B: Tue 08:00 → 13:00 is 5 h, 4 working (lunch 12-13); arrival 15:00: 7 h, 6 working;
        # resolution Wed 11:30: 27.5 h, 8 + 3.5 = 11.5 working.
        self.assertEqual((b.response_hours, b.response_work_hours), (5.0, 4.0))
        self.assertEqual((b.arrival_hours, b.arrival_work_hours), (7.0, 6.0))
        self.assertEqual((b.resolution_hours, b.resolution_work_hours), (27.5, 11.5))
        c = self._row(self.c)
        self.assertEqual(c.response_hours, 0.5)
        self.assertFalse(c.arrival_hours, "not arrived yet: empty, not zero, in averages")
        self.assertFalse(self._row(self.d), "cancelled tickets are not counted")

    def test_flags_and_money_per_ticket(self):
        a, b, c = self._row(self.a), self._row(self.b), self._row(self.c)
        # Response SLA 4 working hours: A due Mon 11:00 (met), B due Tue 12:00 (13:00: failed).
        self.assertEqual((a.sla_response_met, b.sla_response_met, c.sla_response_met), (1, 0, 1))
        self.assertEqual((a.sla_arrival_met, b.sla_arrival_met), (1, 1))
        self.assertEqual((a.sla_resolution_met, b.sla_resolution_met), (1, 1))
        self.assertEqual((a.first_time_fix, b.first_time_fix), (1, 0), "B needed two visits")
        self.assertFalse(c.first_time_fix, "not resolved: not counted either way")
        self.assertEqual((a.repeat_repair, b.repeat_repair), (0, 1), "same serial, 1 day later")
        self.assertEqual((a.rating, b.rating), (5, 1))
        self.assertFalse(c.rating)
        self.assertEqual((a.reward_amount, a.reward_points), (100, 1))
        self.assertEqual((b.penalty_amount, b.penalty_points), (200, 2))
        self.assertEqual(a.parts_cost, 100, "2 contactors at a cost of 50")
        self.assertEqual(b.parts_cost, 0)
        self.assertEqual((a.labour_hours, b.labour_hours), (2, 3))
        self.assertEqual((a.visit_count, b.visit_count), (1, 2))
        self.assertEqual(a.technician_id, self.tech)
        self.assertEqual(a.team_id, self.team)
        self.assertEqual(a.partner_id, self.customer)
        self.assertEqual(a.product_id, self.product)

    def test_grouped_read_gives_rates(self):
        domain = [("id", "in", (self.a | self.b | self.c).ids)]
        groups = self.Report._read_group(
            domain,
            ["technician_id"],
            [
                "__count",
                "response_hours:avg",
                "response_work_hours:avg",
                "arrival_hours:avg",
                "resolution_work_hours:avg",
                "sla_response_met:avg",
                "sla_arrival_met:avg",
                "first_time_fix:avg",
                "repeat_repair:avg",
                "rating:avg",
                "penalty_amount:sum",
                "parts_cost:sum",
                "labour_hours:sum",
            ],
        )
        by_tech = {row[0]: row[1:] for row in groups}
        self.assertEqual(
            by_tech[self.tech],
            (2, 35.0, 3.0, 36.5, 8.75, 0.5, 1.0, 0.5, 0.5, 3.0, 200.0, 100.0, 5.0),
        )
        self.assertEqual(by_tech[self.tech2][0], 1)
        self.assertEqual(by_tech[self.tech2][5], 1.0, "C answered in 30 minutes")

    def test_kpi_values_for_a_period(self):
        values = self.Report._kpi_values("technician_id", date(2026, 3, 1), date(2026, 3, 31))[
            self.tech
        ]
        self.assertEqual(values["ticket_count"], 2)
        self.assertEqual(values["resolved_count"], 2)
        self.assertEqual(values["on_time_rate"], 1.0)
        self.assertEqual(values["first_time_fix_rate"], 0.5)
        self.assertEqual(values["repeat_repair_rate"], 0.5)
        self.assertEqual(values["satisfaction"], 3.0)
        self.assertEqual(values["rating_count"], 2)
        self.assertEqual(values["resolution_hours"], 48.75)

    def test_access_per_role(self):
        rows = self.a | self.b | self.c
        domain = [("ticket_id", "in", rows.ids)]
        self.assertEqual(len(self.Report.with_user(self.analyst_user).search(domain)), 3)
        self.assertEqual(len(self.Report.with_user(self.manager_user).search(domain)), 3)
        own = self.Report.with_user(self.tech_user).search(domain)
        self.assertEqual(own.ticket_id, self.a | self.b, "technicians see their own tickets")
        with self.assertRaises(AccessError):
            self.Report.with_user(self.internal_user).search(domain)
        with self.assertRaises(AccessError):
            self.Report.with_user(self.analyst_user).browse(own[:1].id).write({"rating": 5})


@tagged("post_install", "-at_install")
class TestEvaluation(KpiCommon):
    def setUp(self):
        super().setUp()
        self.a, self.b, self.c, self.d = self._build_week()

    def _generate(self, user=None, **vals):
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(user or self.manager_user)
            .create({"period_type": "month", "date_reference": "2026-03-15", **vals})
        )
        return wizard._generate()

    def test_generation_freezes_kpis_scores_and_ranks(self):
        evaluations = self._generate()
        tech_one = evaluations.filtered(lambda e: e.employee_id == self.tech)
        tech_two = evaluations.filtered(lambda e: e.employee_id == self.tech2)
        self.assertEqual(
            (str(tech_one.date_from), str(tech_one.date_to)), ("2026-03-01", "2026-03-31")
        )
        self.assertEqual(tech_one.team_id, self.team)
        self.assertEqual(tech_one.ticket_count, 2)
        self.assertEqual(
            (
                tech_one.on_time_rate,
                tech_one.first_time_fix_rate,
                tech_one.repeat_repair_rate,
                tech_one.satisfaction,
            ),
            (1.0, 0.5, 0.5, 3.0),
        )
        self.assertEqual((tech_one.penalty_points, tech_one.reward_points), (2, 1))
        # On time 100 x25, FTF 50 x25, no repeat 50 x20, CSAT (3-1)/4 = 50 x20,
        # penalties 100 - 10 x (2 - 1) = 90 x10 → 66.5.
        self.assertEqual(
            (
                tech_one.score_on_time,
                tech_one.score_first_time_fix,
                tech_one.score_repeat_repair,
                tech_one.score_satisfaction,
                tech_one.score_penalty,
            ),
            (100, 50, 50, 50, 90),
        )
        self.assertEqual(tech_one.score, 66.5)
        # Tech Two: only "no repeat" (100) and penalties (100) have data → 100.
        self.assertEqual(tech_two.score, 100)
        self.assertEqual(
            tech_two.components_without_data, "On-time arrival, First-time fix, Satisfaction"
        )
        self.assertEqual((tech_two.rank, tech_one.rank, tech_one.rank_size), (1, 2, 2))
        self.assertIn("On-time arrival 25%", tech_one.weights)

        # The KPIs are frozen: later changes do not move a confirmed evaluation.
        tech_one.with_user(self.manager_user).action_confirm()
        self._rate(self.b, 5)
        again = self._generate()
        self.assertNotIn(tech_one, again)
        self.assertEqual(tech_one.satisfaction, 3.0)
        self.assertEqual(tech_one.score, 66.5)

    def test_weights_are_configurable(self):
        self.company.write(
            {
                "aftersales_weight_on_time": 0,
                "aftersales_weight_first_time_fix": 100,
                "aftersales_weight_repeat_repair": 0,
                "aftersales_weight_satisfaction": 0,
                "aftersales_weight_penalty": 0,
            }
        )
        tech_one = self._generate().filtered(lambda e: e.employee_id == self.tech)
        self.assertEqual(tech_one.score, 50)
        with self.assertRaises(ValidationError):
            self.company.aftersales_weight_penalty = 10  # 110 %

    def test_team_evaluation(self):
        team = self._generate(evaluated="team")
        self.assertEqual(team.team_id, self.team)
        self.assertEqual(team.ticket_count, 3)
        self.assertEqual(team.on_time_rate, 1.0)
        self.assertEqual((team.penalty_points, team.reward_points), (2, 1))
        self.assertEqual((team.rank, team.rank_size), (1, 1))

    def test_workflow_and_access(self):
        tech_one = self._generate().filtered(lambda e: e.employee_id == self.tech)
        with self.assertRaises(AccessError):
            self._generate(user=self.analyst_user)
        with self.assertRaises(AccessError):
            tech_one.with_user(self.tech_user).action_confirm()
        with self.assertRaises(UserError):
            tech_one.with_user(self.tech_user).action_acknowledge()  # not confirmed yet
        tech_one.with_user(self.manager_user).write({"manager_comment": "Watch response times."})
        tech_one.with_user(self.manager_user).action_confirm()
        with self.assertRaises(AccessError):
            tech_one.with_user(self.tech2_user).action_acknowledge()
        with self.assertRaises(AccessError):
            tech_one.with_user(self.tech_user).write({"score": 100})
        tech_one.with_user(self.tech_user).write({"employee_comment": "Parts were late."})
        tech_one.with_user(self.tech_user).action_acknowledge()
        self.assertEqual(tech_one.state, "acknowledged")
        self.assertTrue(tech_one.date_acknowledged)
        # Technicians read their own evaluations only; analysts read all, change nothing.
        Evaluation = self.env["aftersales.evaluation"]
        mine = Evaluation.with_user(self.tech_user).search([("date_from", "=", "2026-03-01")])
        self.assertEqual(mine, tech_one)
        self.assertEqual(
            len(Evaluation.with_user(self.analyst_user).search([("date_from", "=", "2026-03-01")])),
            2,
        )
        with self.assertRaises(AccessError):
            tech_one.with_user(self.analyst_user).write({"manager_comment": "x"})
        with self.assertRaises(UserError):
            tech_one.with_user(self.manager_user).unlink()

    def test_nothing_to_evaluate(self):
        with self.assertRaisesRegex(UserError, "nothing to evaluate"):
            self._generate(date_reference="2025-01-15")

    def test_reports_render(self):
        evaluations = self._generate()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_evaluation", evaluations.ids)[0]
            .decode()
        )
        self.assertIn("66.5", html)
        self.assertIn("Tech One", html)
        summary = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_evaluation_team", evaluations.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Team Summary: <span>Test East</span>", summary)
        self.assertLess(summary.index("Tech Two"), summary.index("Tech One"), "ranked by score")

    def test_employee_scorecard(self):
        with self._at("2026-03-20 10:00:00"):
            employee = self.tech.with_user(self.manager_user)
            employee.invalidate_recordset()
            self.assertEqual(employee.aftersales_month_ticket_count, 2)
            self.assertEqual(employee.aftersales_month_first_time_fix, 0.5)
            self.assertEqual(employee.aftersales_month_satisfaction, 3.0)
            self.assertEqual(employee.aftersales_month_net_points, 1.0)
            # One reading of the totals: the Penalties tab and the scorecard agree in sign.
            totals = self.tech._aftersales_penalty_totals(
                fields.Date.to_date("2026-03-01"), fields.Date.to_date("2026-03-20")
            )[self.tech]
            self.assertEqual(totals["net_points"], 1.0)
            self.assertEqual(
                totals["net_points"], totals["penalty_points"] - totals["reward_points"]
            )
            self.tech.invalidate_recordset()
            self.assertEqual(self.tech.aftersales_month_penalty_amount, totals["penalty_amount"])
            self.assertEqual(self.tech.aftersales_month_reward_amount, totals["reward_amount"])
            self.assertEqual(employee.aftersales_quarter_ticket_count, 2)
            action = employee.action_view_aftersales_kpis()
            self.assertEqual(action["domain"], [("technician_id", "=", self.tech.id)])


@tagged("post_install", "-at_install")
class TestQualityAndOverview(KpiCommon):
    def setUp(self):
        super().setUp()
        self.a, self.b, self.c, self.d = self._build_week()
        # Typed differently, the same cause; B's unit failed in production.
        self.b.with_user(self.tech_user).write({"resolution_cause": "  Worn   CONTACTOR "})
        self.b.with_user(self.manager_user).write({"liability": "production"})
        self.env.flush_all()

    def test_monthly_quality_values(self):
        values = self.env["aftersales.quality.report"]._monthly_values(
            self.company, date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(
            values["totals"], {"faults": 2, "repeats": 1, "returns": 0, "parts_cost": 100.0}
        )
        self.assertEqual(
            [(row["key"], row["faults"], row["repeats"]) for row in values["by_cause"]],
            [("worn contactor", 2, 1)],
        )
        self.assertEqual(
            [(row["key"], row["faults"]) for row in values["by_product"]], [(self.product, 2)]
        )
        self.assertEqual([row["key"] for row in values["by_lot"]], [self.lot])
        by_liability = {row["key"]: row["faults"] for row in values["by_liability"]}
        self.assertEqual(by_liability, {"production": 1, False: 1})
        april = self.env["aftersales.quality.report"]._monthly_values(
            self.company, date(2026, 4, 1), date(2026, 4, 30)
        )
        self.assertEqual(april["totals"]["faults"], 0)

    def test_monthly_mail_on_the_first(self):
        qa = self.env["res.partner"].create({"name": "QA Lead", "email": "qa@example.com"})
        self.company.aftersales_quality_recipient_ids = qa
        with self._at("2026-04-01 02:00:00"):
            mails = self.env["aftersales.quality.report"]._cron_send_monthly_report()
        mail = mails.filtered(lambda m: qa in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn("2026-03", mail.subject)
        self.assertEqual(mail.attachment_ids.name, "Quality Feedback 2026-03.pdf")
        # Test mode renders the report as HTML: its content is readable here.
        self.assertIn(b"worn contactor", mail.attachment_ids.raw)

    def test_quality_access(self):
        Quality = self.env["aftersales.quality.report"]
        self.assertEqual(
            Quality.with_user(self.analyst_user).search_count([("ticket_id", "=", self.b.id)]), 1
        )
        with self.assertRaises(AccessError):
            Quality.with_user(self.tech_user).search([])
        with self.assertRaises(AccessError):
            Quality.with_user(self.rep_user).search([])

    def test_team_overview(self):
        with self._at("2026-03-11 12:00:00"):
            team = self.team.with_user(self.manager_user)
            team.invalidate_recordset()
            self.assertEqual(team.dashboard_in_progress_count, 1, "C")
            self.assertEqual(team.dashboard_new_count, 0)
            self.assertEqual(team.dashboard_visit_today_count, 1, "B's second visit")
            self.assertEqual(team.dashboard_month_ticket_count, 3)
            self.assertEqual(team.dashboard_month_on_time, 1.0)
            self.assertEqual(team.dashboard_month_first_time_fix, 0.5)
            self.assertEqual(team.dashboard_month_satisfaction, 3.0)
            self.assertEqual(team.dashboard_last_month_ticket_count, 0)
            action = team.with_context(dashboard_filter="in_progress").action_dashboard_tickets()
            self.assertEqual(self.env["aftersales.ticket"].search(action["domain"]), self.c)
            visits = team.action_dashboard_visits_today()
            self.assertEqual(len(self.env["aftersales.visit"].search(visits["domain"])), 1)
