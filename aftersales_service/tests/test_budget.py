from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from ..models.kpi.kpi_period import period_domain
from .common import AftersalesCommon
from .race_common import RACE_CONTEXT, AftersalesRaceCase

COSTS = ("cost_parts", "cost_labour", "cost_expense", "cost_fund", "cost_waiver")
TZ = "Asia/Shanghai"


class BudgetCommon(AftersalesCommon):
    """March 2026 in Shanghai (UTC+8): it starts on 28 February 16:00 UTC and ends on
    31 March 16:00 UTC. Tickets with hand-written cost figures in and around it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = TZ
        Category = cls.env["product.category"]
        cls.categ_compressors = Category.create({"name": "Budget Compressors"})
        cls.categ_scroll = Category.create(
            {"name": "Budget Scroll", "parent_id": cls.categ_compressors.id}
        )
        cls.categ_chillers = Category.create({"name": "Budget Chillers"})
        # The compressor is in a sub-category of the budget's: it counts.
        cls.product.categ_id = cls.categ_scroll
        cls.other_product.categ_id = cls.categ_chillers

        # (created at UTC, team, product, figures parts/labour/expense/fund/waiver, state)
        cls.t_in = cls._costed("2026-03-05 10:00:00", (100, 50, 20, 0, 10))
        # 1 March 01:00 in Shanghai: March, a chiller (not in the category).
        cls.t_first_hour = cls._costed(
            "2026-02-28 17:00:00", (40, 60, 0, 0, 0), product=cls.other_product
        )
        # 28 February 23:00 in Shanghai: February.
        cls.t_before = cls._costed("2026-02-28 15:00:00", (1000, 0, 0, 0, 0))
        # 1 April 00:30 in Shanghai: April.
        cls.t_after = cls._costed("2026-03-31 16:30:00", (300, 0, 0, 0, 0))
        cls.t_west = cls._costed("2026-03-10 08:00:00", (500, 0, 0, 0, 0), team=cls.team_west)
        cls.t_cancelled = cls._costed("2026-03-11 08:00:00", (700, 0, 0, 0, 0))
        cls.t_cancelled.sudo().state = "cancelled"

        cls.budget = cls._budget(parts=200, labour=100, expense=50, waiver=50)

    @classmethod
    def _costed(cls, moment, figures, team=None, product=None):
        saved = cls.env.cr._now
        with freeze_time(moment):
            cls.env.cr._now = datetime.fromisoformat(moment)
            try:
                product = product or cls.product
                lot = cls.lot if product == cls.product else cls.other_lot
                ticket = cls._ticket(
                    team_id=(team or cls.team).id, product_id=product.id, lot_id=lot.id
                )
                ticket.env.flush_all()
            finally:
                cls.env.cr._now = saved
        # The stored figures, as _aftersales_update_costs() writes them.
        values = dict(zip(COSTS, figures, strict=True))
        values["cost_total"] = sum(figures)
        ticket.sudo().write(values)
        return ticket

    @classmethod
    def _budget(cls, user=None, date_from="2026-03-01", period_type="month", categ=None, **amounts):
        budget = (
            cls.env["aftersales.budget"]
            .with_user(user or cls.rep_user)
            .create(
                {
                    "team_id": cls.team.id,
                    "product_categ_id": categ.id if categ else False,
                    "period_type": period_type,
                    "date_from": date_from,
                }
            )
        )
        for line in budget.line_ids:
            if line.kind in amounts:
                line.amount_budget = amounts[line.kind]
        return budget

    @contextmanager
    def _refused(self, exception, regex):
        """assertRaisesRegex, rolling back what the refused call wrote."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    @staticmethod
    def _line(budget, kind):
        return budget.line_ids.filtered(lambda line: line.kind == kind)


@tagged("post_install", "-at_install")
class TestBudgetFigures(BudgetCommon):
    def test_actuals_hand_computed(self):
        budget = self.budget.with_user(self.analyst_user)
        self.assertEqual(budget.name, "Test East · 2026-03")
        self.assertEqual(str(budget.date_to), "2026-03-31")
        self.assertEqual(len(budget.line_ids), 5)
        # In: t_in (100/50/20/0/10) and t_first_hour (40/60/0/0/0). Out: February, April,
        # the other team, the cancelled ticket.
        expected = {"parts": 140, "labour": 110, "expense": 20, "fund": 0, "waiver": 10}
        for kind, actual in expected.items():
            self.assertEqual(self._line(budget, kind).amount_actual, actual, kind)
        self.assertEqual(budget.amount_budget, 400)
        self.assertEqual(budget.amount_actual, 280)
        self.assertEqual(budget.amount_variance, 120)
        self.assertAlmostEqual(budget.consumption, 0.7)
        self.assertEqual(budget.ticket_count, 2)
        parts = self._line(budget, "parts")
        self.assertEqual(parts.amount_variance, 60)
        self.assertAlmostEqual(parts.consumption, 0.7)
        labour = self._line(budget, "labour")
        self.assertEqual(labour.amount_variance, -10)
        self.assertAlmostEqual(labour.consumption, 1.1)
        self.assertEqual(self._line(budget, "fund").consumption, 0.0)
        tickets = self.env["aftersales.ticket"].search(budget.action_view_tickets()["domain"])
        self.assertEqual(tickets, self.t_in | self.t_first_hour)

    def test_category_includes_children_only(self):
        budget = self._budget(categ=self.categ_compressors, parts=100)
        self.assertEqual(budget.name, "Test East · Budget Compressors · 2026-03")
        # The compressor (sub-category Scroll) counts, the chiller does not.
        self.assertEqual(budget.amount_actual, 180)
        self.assertEqual(budget.ticket_count, 1)
        self.assertEqual(self._line(budget, "parts").amount_actual, 100)

    def test_quarter(self):
        self.budget.with_user(self.rep_user).unlink()
        budget = self._budget(date_from="2026-01-01", period_type="quarter", parts=2000)
        self.assertEqual(budget.name, "Test East · 2026 Q1")
        self.assertEqual(str(budget.date_to), "2026-03-31")
        # February's ticket joins; April's and the other team's still not.
        self.assertEqual(budget.amount_actual, 280 + 1000)

    def test_matches_ticket_costs_report(self):
        """The same tickets and amounts as the Ticket Costs pivot for the month."""
        [(count, total)] = (
            self.env["aftersales.kpi.report"]
            .sudo()
            ._read_group(
                [
                    *period_domain("date_created", self.budget.date_from, self.budget.date_to, TZ),
                    ("team_id", "=", self.team.id),
                ],
                [],
                ["__count", "cost_total:sum"],
            )
        )
        self.assertEqual((count, total), (2, 280))
        self.assertEqual(self.budget.amount_actual, total)
        self.assertEqual(self.budget.ticket_count, count)

    def test_report_rows(self):
        Report = self.env["aftersales.budget.report"]
        rows = Report.search([("budget_id", "=", self.budget.id)])
        self.assertEqual(len(rows), 10, "a budgeted and an actual row per kind of cost")
        figures = {
            kind: (budgeted, actual, variance)
            for kind, budgeted, actual, variance in Report._read_group(
                [("budget_id", "=", self.budget.id)],
                ["kind"],
                ["amount_budget:sum", "amount_actual:sum", "amount_variance:sum"],
            )
        }
        self.assertEqual(figures["parts"], (200, 140, 60))
        self.assertEqual(figures["labour"], (100, 110, -10))
        self.assertEqual(figures["fund"], (0, 0, 0))
        # The bars of the graph: budgeted and actual side by side.
        bars = dict(
            Report._read_group([("budget_id", "=", self.budget.id)], ["figure"], ["amount:sum"])
        )
        self.assertEqual(bars, {"budget": 400, "actual": 280})
        self.assertEqual(rows.team_id, self.team)
        self.assertEqual(str(rows[0].date), "2026-03-01")

    def test_actuals_in_one_query(self):
        """One grouped read for any number of budgets."""
        budgets = self.budget | self._budget(categ=self.categ_compressors, parts=1)
        budgets |= self._budget(categ=self.categ_chillers, parts=1)
        budgets.invalidate_recordset()
        budgets.line_ids.invalidate_recordset()
        # The budgets, their figures, the lines, their figures: whatever their number.
        with self.assertQueryCount(4):
            budgets.mapped("amount_actual")
            budgets.line_ids.mapped("amount_actual")
        self.assertEqual(budgets.mapped("amount_actual"), [280, 180, 100])

    def test_overlap_and_period_start(self):
        with self._refused(ValidationError, "already has a budget"):
            self._budget(parts=1)
        with self._refused(ValidationError, "already has a budget"):
            self._budget(date_from="2026-01-01", period_type="quarter", parts=1)
        with self._refused(ValidationError, "first day of the month"):
            self._budget(date_from="2026-04-15")
        with self._refused(ValidationError, "1 April"):
            self._budget(date_from="2026-05-01", period_type="quarter")
        # Another team, another category, another month: no overlap.
        self._budget(date_from="2026-04-01", parts=1)
        self._budget(categ=self.categ_chillers, parts=1)

    def test_copy_plans_the_next_period(self):
        self.budget.with_user(self.manager_user).write({"reason": "kept out of the copy"})
        copy = self.budget.with_user(self.rep_user).copy()
        self.assertEqual(copy.name, "Test East · 2026-04")
        self.assertEqual((copy.state, copy.amount_budget, copy.reason), ("draft", 400, False))
        self.assertEqual(self._line(copy, "labour").amount_budget, 100)

    def test_negative_budget_refused(self):
        with self._refused(ValidationError, "cannot be negative"):
            self._line(self.budget, "parts").with_user(self.rep_user).amount_budget = -5


@tagged("post_install", "-at_install")
class TestBudgetLifecycle(BudgetCommon):
    def test_technician_has_no_access(self):
        with self.assertRaises(AccessError):
            self.budget.with_user(self.tech_user).read(["amount_actual"])
        with self.assertRaises(AccessError):
            self.env["aftersales.budget"].with_user(self.tech_user).create(
                {"team_id": self.team.id, "date_from": "2026-06-01"}
            )
        with self.assertRaises(AccessError):
            self.env["aftersales.budget.report"].with_user(self.tech_user).search([])

    def test_analyst_reads_only(self):
        budget = self.budget.with_user(self.analyst_user)
        self.assertEqual(budget.amount_actual, 280)
        with self.assertRaises(AccessError):
            budget.action_submit()
        with self.assertRaises(AccessError):
            self._line(budget, "parts").amount_budget = 1
        with self.assertRaises(AccessError):
            self.env["aftersales.budget"].with_user(self.analyst_user).create(
                {"team_id": self.team.id, "date_from": "2026-06-01"}
            )
        self.assertTrue(
            self.env["aftersales.budget.report"].with_user(self.analyst_user).search([])
        )

    def test_prepare_submit_approve(self):
        budget = self.budget
        with self._refused(UserError, "no amount"):
            self._budget(date_from="2026-05-01").with_user(self.rep_user).action_submit()
        budget.with_user(self.rep_user).action_submit()
        self.assertEqual(budget.state, "submitted")
        self.assertEqual(budget.submitted_by_id, self.rep_user)
        self.assertIn(self.manager_user, budget.activity_ids.user_id)
        # Submitted: the lines are fixed.
        with self.assertRaises(UserError):
            self._line(budget, "parts").with_user(self.rep_user).amount_budget = 999
        with self.assertRaises(AccessError):
            budget.with_user(self.rep_user).action_approve()
        budget.with_user(self.manager_user).action_approve()
        self.assertEqual(budget.state, "approved")
        self.assertEqual(budget.approved_by_id, self.manager_user)
        self.assertTrue(budget.date_approved)
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.assertFalse(budget.activity_ids.filtered(lambda a: a.activity_type_id == todo))
        with self._refused(UserError, "is decided"):
            self._line(budget, "parts").with_user(self.manager_user).amount_budget = 999
        with self._refused(UserError, "is decided"):
            budget.with_user(self.manager_user).date_from = "2026-04-01"
        with self._refused(UserError, "only drafts"):
            budget.with_user(self.manager_user).unlink()
        with self._refused(UserError, "cannot be approved"):
            budget.with_user(self.manager_user).action_approve()

    def test_refuse_and_reset_need_a_manager_and_a_reason(self):
        budget = self.budget
        budget.with_user(self.rep_user).action_submit()
        with self.assertRaises(AccessError):
            budget.with_user(self.rep_user).action_refuse("Too much")
        with self._refused(UserError, "Give a reason"):
            budget.with_user(self.manager_user).action_refuse(" ")
        budget.with_user(self.manager_user).reason = "Labour is too high"
        budget.with_user(self.manager_user).action_refuse_with_reason()
        self.assertEqual(budget.state, "draft")
        self.assertFalse(budget.submitted_by_id)
        self.assertIn("Labour is too high", budget.message_ids[0].body)

        budget.with_user(self.rep_user).action_submit()
        budget.with_user(self.manager_user).action_approve()
        with self.assertRaises(AccessError):
            budget.with_user(self.rep_user).action_reset_to_draft("Wrong month")
        with self._refused(UserError, "Give a reason"):
            budget.with_user(self.manager_user).action_reset_to_draft("")
        budget.with_user(self.manager_user).action_reset_to_draft("New parts prices")
        self.assertEqual(budget.state, "draft")
        self.assertFalse(budget.approved_by_id)
        self.assertIn("New parts prices", budget.message_ids[0].body)
        self._line(budget, "parts").with_user(self.rep_user).amount_budget = 250
        self.assertEqual(budget.amount_budget, 450)
        budget.with_user(self.rep_user).unlink()
        self.assertFalse(budget.exists())

    def test_protected_fields_refused_for_every_role(self):
        for user in (self.tech_user, self.rep_user, self.manager_user, self.analyst_user):
            for values in (
                {"state": "approved"},
                {"approved_by_id": user.id},
                {"date_approved": "2026-03-01 00:00:00"},
                {"submitted_by_id": user.id},
                {"warned_80": True},
                {"company_id": self.env.company.id},
            ):
                with self.subTest(user=user.login, values=values), self.assertRaises(AccessError):
                    self.budget.with_user(user).write(values)
        with self.assertRaises(AccessError):
            self.env["aftersales.budget"].with_user(self.manager_user).create(
                {"team_id": self.team.id, "date_from": "2026-07-01", "state": "approved"}
            )
        self.assertEqual(self.budget.state, "draft")

    def test_thresholds_once_each(self):
        budget = self.budget
        budget.with_user(self.rep_user).action_submit()
        budget.with_user(self.manager_user).action_approve()
        activity_type = self.env.ref("aftersales_service.mail_activity_budget_consumption")

        def warnings():
            return budget.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

        Budget = self.env["aftersales.budget"]
        Budget._cron_check_consumption()
        self.assertFalse(warnings(), "70 %: no warning")
        # 280 + 60 = 340 of 400: 85 %.
        self.t_in.sudo().cost_parts = 160
        Budget._cron_check_consumption()
        Budget._cron_check_consumption()
        self.assertEqual(len(warnings()), 1)
        self.assertTrue(budget.warned_80)
        self.assertFalse(budget.warned_100)
        # The team leader (Tech Two) reads no budget: the approver is told.
        self.assertEqual(warnings().user_id, self.manager_user)
        self.assertIn("85", warnings().summary)
        # 440 of 400: 110 %.
        self.t_first_hour.sudo().cost_labour = 160
        Budget._cron_check_consumption()
        Budget._cron_check_consumption()
        self.assertEqual(len(warnings()), 2)
        self.assertTrue(budget.warned_100)
        self.assertIn("110", warnings()[0].summary + warnings()[1].summary)

    def test_threshold_goes_to_a_leader_who_reads_budgets(self):
        leader = new_test_user(
            self.env,
            login="t_budget_leader",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        self.team.leader_id = self.env["hr.employee"].create(
            {"name": "Budget Leader", "user_id": leader.id}
        )
        self.t_in.sudo().cost_parts = 1000
        budget = self.budget
        budget.with_user(self.rep_user).action_submit()
        budget.with_user(self.manager_user).action_approve()  # checks at once
        activity_type = self.env.ref("aftersales_service.mail_activity_budget_consumption")
        warning = budget.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(warning), 1, "straight to 100 %: one activity")
        self.assertEqual(warning.user_id, leader)
        self.assertTrue(budget.warned_80 and budget.warned_100)

    def test_settlement_lists_the_costliest_tickets_first(self):
        # A ticket whose costs were never written (no figure at all) is not "costly".
        with self._at("2026-03-10 02:00:00"):
            uncosted = self._ticket(team_id=self.team.id)
        self.assertFalse(uncosted.cost_total)
        top = self.budget._settlement_values()["top_tickets"]
        self.assertEqual(top, self.t_in | self.t_first_hour)
        self.assertEqual(top.mapped("cost_total"), [180, 100])

    def test_settlement_renders_the_figures(self):
        self.budget.with_user(self.rep_user).action_submit()
        self.budget.with_user(self.manager_user).action_approve()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.analyst_user)
            ._render_qweb_html(
                "aftersales_service.action_report_aftersales_budget", self.budget.ids
            )[0]
            .decode()
        )
        for text in (
            "Test East · 2026-03",
            "400.00",
            "280.00",
            "120.00",
            "<span>70.0</span> %",
            "<span>110.0</span> %",
            self.t_in.name,
            self.t_first_hour.name,
            "t_manager",
            "t_rep",
        ):
            self.assertIn(text, html)
        for ticket in (self.t_before, self.t_after, self.t_west, self.t_cancelled):
            self.assertNotIn(ticket.name, html)
        # The costliest ticket first.
        self.assertLess(html.index(self.t_in.name), html.index(self.t_first_hour.name))

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Budget Co B"})
        team_b = self.env["aftersales.team"].create({"name": "B Team", "company_id": other.id})
        budget_b = (
            self.env["aftersales.budget"]
            .with_company(other)
            .create({"team_id": team_b.id, "date_from": "2026-03-01", "company_id": other.id})
        )
        self.manager_user.company_ids = [Command.link(other.id)]
        for user in (self.rep_user, self.analyst_user):
            Budget = self.env["aftersales.budget"].with_user(user)
            self.assertNotIn(budget_b, Budget.search([]))
            with self.assertRaises(AccessError):
                budget_b.with_user(user).read(["name"])
            self.assertFalse(
                self.env["aftersales.budget.report"]
                .with_user(user)
                .search([("budget_id", "=", budget_b.id)])
            )
        with self.assertRaises(UserError):
            self.env["aftersales.budget"].with_user(self.rep_user).create(
                {"team_id": team_b.id, "date_from": "2026-05-01"}
            )
        # Same team name, other company: its own budget, no overlap.
        self.assertEqual(budget_b.with_user(self.manager_user).with_company(other).amount_actual, 0)


@tagged("post_install", "-at_install")
class TestBudgetChinese(BudgetCommon):
    def test_budget_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh["ir.model"]._get("aftersales.budget").name, "维修成本预算")
        self.assertEqual(zh.ref("aftersales_service.menu_aftersales_budget").name, "预算")
        self.assertEqual(
            zh.ref("aftersales_service.action_report_aftersales_budget").name, "预算结算"
        )
        labels = zh["aftersales.budget"].fields_get(["amount_actual", "amount_variance", "state"])
        self.assertEqual(labels["amount_actual"]["string"], "实际")
        self.assertEqual(labels["amount_variance"]["string"], "差异")
        self.assertIn(("submitted", "已提交"), labels["state"]["selection"])
        kinds = zh["aftersales.budget.line"].fields_get(["kind"])["kind"]["selection"]
        self.assertIn(("labour", "工时"), kinds)
        with self.assertRaisesRegex(UserError, "不能批准"):
            self.budget.with_user(self.manager_user).with_context(lang="zh_CN").action_approve()


@tagged("post_install", "-at_install")
class TestBudgetRoutes(BudgetCommon, HttpCase):
    def test_settlement_pdf_route(self):
        url = f"/report/pdf/aftersales_service.report_budget_settlement/{self.budget.id}"
        self.authenticate("t_tech", "t_tech")
        response = self.url_open(url, timeout=120)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Test East", response.text)
        self.authenticate("t_analyst", "t_analyst")
        response = self.url_open(url, timeout=120)
        # In tests Odoo answers the PDF route with the HTML it would print.
        self.assertEqual(response.status_code, 200)
        self.assertIn("Budget Settlement", response.text)
        self.assertIn("280.00", response.text)


@tagged("post_install", "-at_install")
class TestBudgetConcurrency(AftersalesRaceCase):
    """Two managers approve one submitted budget at the same moment, each in their own
    transaction: one approval, the other is told the budget is already approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(cls._remove_fixtures)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, RACE_CONTEXT)
            groups = "base.group_user,aftersales_service.group_aftersales_manager"
            cls.manager_ids = [
                new_test_user(env, login=f"t_budget_race_{i}", groups=groups).id for i in (1, 2)
            ]
            cls.team_id = env["aftersales.team"].create({"name": "Race Budget Team"}).id
            budget = env["aftersales.budget"].create(
                {"team_id": cls.team_id, "date_from": "2031-01-01"}
            )
            budget.line_ids[0].amount_budget = 100
            budget.action_submit()
            cls.budget_id = budget.id

    @classmethod
    def _remove_fixtures(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            budget_id = getattr(cls, "budget_id", 0)
            cr.execute(
                SQL(
                    "SELECT id FROM aftersales_budget WHERE id = %s OR team_id = %s",
                    budget_id,
                    getattr(cls, "team_id", 0),
                )
            )
            budget_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            for query in (
                "DELETE FROM mail_activity WHERE res_model = 'aftersales.budget' AND res_id IN %s",
                "DELETE FROM mail_followers WHERE res_model = 'aftersales.budget' AND res_id IN %s",
                "DELETE FROM mail_message WHERE model = 'aftersales.budget' AND res_id IN %s",
                "DELETE FROM aftersales_budget_line WHERE budget_id IN %s",
                "DELETE FROM aftersales_budget WHERE id IN %s",
            ):
                cr.execute(SQL(query, budget_ids))
            env.invalidate_all()
            env["aftersales.team"].browse(getattr(cls, "team_id", [])).exists().unlink()
            users = env["res.users"].browse(getattr(cls, "manager_ids", [])).exists()
            partners = users.partner_id
            users.unlink()
            partners.exists().unlink()

    def test_two_managers_one_approval(self):
        def budget(env):
            return env["aftersales.budget"].browse(self.budget_id)

        _first, results = self._race(
            [(uid, lambda env: budget(env).action_approve()) for uid in self.manager_ids],
            snapshot=lambda env: budget(env).read(["state"]),
        )
        self._assert_one_winner(results, UserError, "cannot be approved")
        with self.registry.cursor() as cr:
            budget = self._env(cr)["aftersales.budget"].browse(self.budget_id)
            self.assertEqual(budget.state, "approved")
            self.assertIn(budget.approved_by_id.id, self.manager_ids)

    def test_two_overlapping_budgets_at_once(self):
        """Two users plan the same team's month at the same moment: one budget is kept, the
        other is told the team already has one."""

        def create(env):
            env["aftersales.budget"].create({"team_id": self.team_id, "date_from": "2032-05-01"})

        _first, results = self._race(
            [(uid, create) for uid in self.manager_ids],
            snapshot=lambda env: env["aftersales.team"].browse(self.team_id).read(["name"]),
        )
        self._assert_one_winner(results, ValidationError, "already has a budget")
        with self.registry.cursor() as cr:
            budgets = self._env(cr)["aftersales.budget"].search(
                [("team_id", "=", self.team_id), ("date_from", "=", "2032-05-01")]
            )
            self.assertEqual(len(budgets), 1)
