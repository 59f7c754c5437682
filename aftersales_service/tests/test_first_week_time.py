from datetime import date, datetime, timedelta

import pytz

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import AftersalesCommon

SHANGHAI = "Asia/Shanghai"


@tagged("post_install", "-at_install")
class TestFirstWeekTime(AftersalesCommon):
    """Issue 20: a department in China reads every time in its own zone; breached rows say
    what failed; evaluation lists show every draft and no made-up figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = SHANGHAI
        cls.env["aftersales.sla.policy"].search([]).active = False  # only this test's policy
        cls.calendar = cls._calendar(
            "Shanghai 8-12, 13-17", "Asia/Shanghai", hours=((8, 12), (13, 17))
        )
        cls.customer.aftersales_zone_id = cls.env.ref("aftersales_service.zone_ring_1")
        cls.policy = cls.env["aftersales.sla.policy"].create(
            {
                "name": "Shanghai standard",
                "calendar_id": cls.calendar.id,
                "response_hours": 24,
                "arrival_from_zone": True,
                "resolution_hours": 72,
                "sequence": 1,
            }
        )

    def _ticket_at(self, moment, **vals):
        with self._at(moment):
            return self._ticket(**vals)

    def _local(self, utc_naive):
        return pytz.utc.localize(utc_naive).astimezone(pytz.timezone(SHANGHAI))

    # ------------------------------------------------------------------
    # 18. Time zones
    # ------------------------------------------------------------------

    def test_zone_of_the_customer_else_of_the_company(self):
        ticket = self._ticket()
        self.assertEqual(self.company._aftersales_tz(), SHANGHAI)
        self.assertEqual(ticket._aftersales_customer_tz(), SHANGHAI, "company's zone")
        self.customer.tz = "Asia/Tokyo"
        self.assertEqual(ticket._aftersales_customer_tz(), "Asia/Tokyo", "customer's company")
        self.customer_contact.tz = "Asia/Hong_Kong"
        ticket.partner_id = self.customer_contact
        self.assertEqual(ticket._aftersales_customer_tz(), "Asia/Hong_Kong", "the contact's own")

    def test_service_report_shows_arrival_in_customer_zone(self):
        ticket = self._ticket_at("2026-12-02 06:00:00")
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        visit = (
            self.env["aftersales.visit"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set(self.tech.ids)],
                    "scheduled_start": "2026-12-02 07:00:00",
                    "scheduled_end": "2026-12-02 09:00:00",
                }
            )
        )
        with self._at("2026-12-02 07:03:00"):  # 15:03 in Shanghai
            visit.with_user(self.tech_user).action_check_in()
        # Printed by someone whose session is in UTC (or by the mailing cron).
        self.manager_user.tz = "UTC"
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager_user)
            ._render_qweb_html("aftersales_service.report_visit", visit.ids)[0]
            .decode()
        )
        self.assertIn("15:03", html)
        self.assertNotIn("07:03", html)

    def test_kpi_month_is_the_users_month(self):
        # 30 November 17:00 UTC is 1 December 01:00 in Shanghai.
        ticket = self._ticket_at("2026-11-30 17:00:00")
        Report = self.env["aftersales.kpi.report"].with_user(self.manager_user)
        shanghai = Report.with_context(tz=SHANGHAI)._read_group(
            [("ticket_id", "=", ticket.id)], ["date_created:month"], ["__count"]
        )
        self.assertEqual(shanghai[0][0].month, 12, "grouped in the user's zone: December")
        december = Report.with_context(tz=SHANGHAI)._kpi_values(
            "team_id", date(2026, 12, 1), date(2026, 12, 31), [("ticket_id", "=", ticket.id)]
        )
        self.assertEqual(december[self.team]["ticket_count"], 1)
        november = Report.with_context(tz=SHANGHAI)._kpi_values(
            "team_id", date(2026, 11, 1), date(2026, 11, 30), [("ticket_id", "=", ticket.id)]
        )
        self.assertFalse(november, "not in November for a Shanghai user")
        in_utc = Report.with_context(tz="UTC")._kpi_values(
            "team_id", date(2026, 11, 1), date(2026, 11, 30), [("ticket_id", "=", ticket.id)]
        )
        self.assertEqual(in_utc[self.team]["ticket_count"], 1, "a UTC user's November")

    def test_evaluations_count_the_companys_month(self):
        ticket = self._ticket_at("2026-11-30 17:00:00")
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        self.manager_user.tz = "UTC"  # the company's months, whoever generates
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create(
                {
                    "date_reference": date(2026, 12, 15),
                    "evaluated": "employee",
                    "employee_ids": [Command.set(self.tech.ids)],
                }
            )
        )
        action = wizard.action_generate()
        evaluation = self.env["aftersales.evaluation"].search(action["domain"])
        self.assertEqual(evaluation.employee_id, self.tech)
        self.assertEqual(evaluation.ticket_count, 1)

    def test_response_deadline_lands_in_company_working_hours(self):
        # Friday 4 December 09:00 in Shanghai; 24 working hours on 8-12, 13-17.
        ticket = self._ticket_at("2026-12-04 01:00:00")
        self.assertEqual(ticket.sla_policy_id, self.policy)
        # Friday 7 h, Monday 8 h, Tuesday 8 h, Wednesday 1 h: Wednesday 09:00 local.
        self.assertEqual(ticket.deadline_response, datetime(2026, 12, 9, 1, 0))
        for deadline in (ticket.deadline_response, ticket.deadline_resolution):
            local = self._local(deadline)
            self.assertLess(local.weekday(), 5, "never on a weekend")
            self.assertTrue(8 <= local.hour <= 17, f"in working hours, not {local}")

    def test_demo_company_people_and_calendars_work_in_shanghai(self):
        self.assertEqual(self.env.ref("base.main_partner").tz, SHANGHAI)
        for xmlid in (
            "resource.resource_calendar_std",
            "aftersales_service.resource_calendar_24x7",
        ):
            self.assertEqual(self.env.ref(xmlid).tz, SHANGHAI, xmlid)
        demo_users = self.env["res.users"].search([("login", "=like", "as\\_%")])
        self.assertTrue(demo_users)
        self.assertEqual(set(demo_users.mapped("tz")), {SHANGHAI})

    # ------------------------------------------------------------------
    # 21. Breached rows say what failed and by how much
    # ------------------------------------------------------------------

    def test_breach_says_which_target_and_how_late(self):
        # Monday 7 December 09:00 local; ring 1: on site within 2 working hours (11:00).
        ticket = self._ticket_at("2026-12-07 01:00:00")
        self.assertEqual(ticket.deadline_arrival, datetime(2026, 12, 7, 3, 0))
        ticket.with_user(self.rep_user).action_assign(self.tech)
        with self._at("2026-12-07 01:30:00"):
            ticket.with_user(self.tech_user).action_accept()
        self.assertFalse(ticket.sla_breach_summary)
        with self._at("2026-12-07 04:00:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
            self.assertEqual(ticket.sla_status, "breached")
            ticket.invalidate_recordset(["sla_breach_summary"])
            self.assertEqual(ticket.sla_breach_summary, "Arrival late by 1 h 0 min")
        visit = (
            self.env["aftersales.visit"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set(self.tech.ids)],
                    "scheduled_start": "2026-12-07 05:00:00",
                    "scheduled_end": "2026-12-07 08:00:00",
                }
            )
        )
        with self._at("2026-12-07 06:20:00"):  # on site at 14:20, 3 h 20 min late
            visit.with_user(self.tech_user).action_check_in()
        self.assertEqual(ticket.sla_arrival_state, "failed")
        self.assertEqual(ticket.sla_breach_summary, "Arrival late by 3 h 20 min")
        self.assertEqual(ticket._sla_duration_label(2 * 24 * 60 + 4 * 60), "2 d 4 h")
        self.assertEqual(ticket._sla_duration_label(45), "45 min")

    def test_breached_rows_hide_the_next_deadline_and_show_the_whole_reference(self):
        arch = self.env["aftersales.ticket"].get_view(
            self.env.ref("aftersales_service.aftersales_ticket_view_list").id, "list"
        )["arch"]
        self.assertIn('name="sla_breach_summary"', arch)
        self.assertRegex(
            arch, r'name="sla_deadline_next"[^>]*invisible="sla_status == \'breached\'"'
        )
        self.assertRegex(arch, r'name="name"[^>]*width="120px"')

    # ------------------------------------------------------------------
    # 20. Evaluations
    # ------------------------------------------------------------------

    def _west_ticket(self, moment):
        ticket = self._ticket_at(moment, team_id=self.team_west.id)
        ticket.with_user(self.rep_user).action_assign(self.tech_west)
        ticket.with_user(self.other_team_user).action_accept()
        return ticket

    def _generate(self, **vals):
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create({"date_reference": date(2026, 12, 15), "evaluated": "employee", **vals})
        )
        return wizard.action_generate()

    def test_generated_list_shows_every_team_and_no_made_up_figures(self):
        east = self._ticket_at("2026-12-07 01:00:00")
        east.with_user(self.rep_user).action_assign(self.tech)
        east.with_user(self.tech_user).action_accept()
        self._west_ticket("2026-12-08 01:00:00")
        action = self._generate(team_ids=[Command.set((self.team | self.team_west).ids)])
        self.assertNotIn("group_by", str(action["context"]), "a flat list, no folded groups")
        Evaluation = self.env["aftersales.evaluation"].with_user(self.manager_user)
        drafts = Evaluation.search(action["domain"])
        self.assertEqual(drafts.team_id, self.team | self.team_west, "both teams' drafts")
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
        # Nobody arrived, resolved or was rated: no data, not 0 % or 0.00.
        for draft in drafts:
            self.assertTrue(draft.on_time_no_data)
            self.assertFalse(draft.resolved_count)
            self.assertFalse(draft.rating_count)
            self.assertIn("On-time arrival", draft.components_without_data)
        # Group rows do not add ranks (two firsts are not a third) nor average rates.
        groups = Evaluation.web_read_group(
            action["domain"],
            ["rank", "rank_size", "on_time_rate", "score", "ticket_count"],
            ["company_id"],
        )["groups"]
        self.assertEqual(groups[0]["ticket_count"], 2)
        for name in ("rank", "rank_size", "on_time_rate"):
            self.assertNotIn(name, groups[0], f"{name} is not summed nor averaged")
        self.assertIn("score", groups[0], "the average score still reads")
        self.assertEqual(Evaluation._fields["penalty_amount"].type, "monetary")
        self.assertEqual(drafts[0].currency_id, self.company.currency_id)

    # ------------------------------------------------------------------
    # Issue 15: an indicator with no data reads empty on the Overview cards
    # ------------------------------------------------------------------

    def test_overview_counts_in_the_company_zone_for_a_user_without_one(self):
        self.manager_user.tz = False
        with self._at("2026-12-02 17:00:00"):  # 3 December, 01:00 in Shanghai
            self._ticket()
            team = self.team.with_user(self.manager_user)
            team.invalidate_recordset()
            self.assertEqual(team.dashboard_month_ticket_count, 1)
            Report = self.env["aftersales.kpi.report"].with_user(self.manager_user)
            self.assertEqual(Report._aftersales_today().day, 3)
            # Both visits are on 3 December in Shanghai (01:30 and 09:00); in UTC the
            # first would be yesterday's.
            ticket = self._ticket()
            for start in ("2026-12-02 17:30:00", "2026-12-03 01:00:00"):
                self.env["aftersales.visit"].create(
                    {
                        "ticket_id": ticket.id,
                        "technician_ids": [Command.set(self.tech.ids)],
                        "scheduled_start": start,
                        "scheduled_end": start[:11] + "23:59:00",
                    }
                )
            team.invalidate_recordset()
            self.assertEqual(team.dashboard_visit_today_count, 2)

    def test_overview_card_without_data_reads_empty(self):
        self._ticket()  # created now: this month, nobody on site, resolved or rated yet
        team = self.team.with_user(self.manager_user)
        self.assertEqual(team.dashboard_month_ticket_count, 1)
        for figure in ("on_time", "first_time_fix", "satisfaction"):
            self.assertTrue(team[f"dashboard_month_{figure}_no_data"], figure)
            self.assertTrue(team[f"dashboard_last_month_{figure}_no_data"], figure)
        arch = team.get_view(
            self.env.ref("aftersales_service.aftersales_team_view_kanban_dashboard").id, "kanban"
        )["arch"]
        self.assertIn('invisible="dashboard_month_on_time_no_data"', arch)


@tagged("post_install", "-at_install")
class TestFirstWeekTimeTours(AftersalesCommon, HttpCase):
    """The screens of issue 20 in the web client (tours in
    static/tests/tours/aftersales_first_week_time_tours.js)."""

    def _visit(self, partner_name, start, technician):
        partner = self.env["res.partner"].create({"name": partner_name, "is_company": True})
        ticket = self._ticket(partner_id=partner.id, lot_id=False, product_id=False)
        return self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [Command.set(technician.ids)],
                "scheduled_start": start,
                "scheduled_end": start + timedelta(hours=2),
            }
        )

    def test_my_visits_today_are_mine_and_today(self):
        self.tech_user.tz = SHANGHAI
        now = fields.Datetime.now()
        self._visit("Tour Today Site", now - timedelta(hours=1), self.tech)
        self._visit("Tour Yesterday Site", now - timedelta(days=2), self.tech)
        self._visit("Tour Tomorrow Site", now + timedelta(days=2), self.tech)
        self._visit("Tour Colleague Site", now - timedelta(hours=1), self.tech2)
        self.start_tour(
            "/odoo/action-aftersales_service.action_aftersales_visit_my_today?view_type=list",
            "aftersales_my_visits_today",
            login="t_tech",
        )

    def test_breached_row_says_what_failed(self):
        self.env["aftersales.sla.policy"].search([]).active = False
        calendar = self.env.ref("aftersales_service.resource_calendar_24x7")
        self.env["aftersales.sla.policy"].create(
            {
                "name": "Tour 24/7",
                "calendar_id": calendar.id,
                "response_hours": 1,
                "arrival_from_zone": False,
                "arrival_hours": 2,
                "resolution_hours": 24,
                "sequence": 1,
            }
        )
        late = self.env["res.partner"].create({"name": "Tour Late Customer", "is_company": True})
        start = fields.Datetime.now() - timedelta(hours=10)
        with self._at(fields.Datetime.to_string(start)):
            ticket = self._ticket(partner_id=late.id, lot_id=False, product_id=False)
        with self._at(fields.Datetime.to_string(start + timedelta(minutes=10))):
            ticket.with_user(self.rep_user).action_assign(self.tech)
            ticket.with_user(self.tech_user).action_accept()
        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [Command.set(self.tech.ids)],
                "scheduled_start": start,
                "scheduled_end": start + timedelta(hours=8),
            }
        )
        with self._at(fields.Datetime.to_string(start + timedelta(hours=5, minutes=20))):
            visit.with_user(self.tech_user).action_check_in()
        self.assertEqual(ticket.sla_breach_summary, "Arrival late by 3 h 20 min")
        self.start_tour(
            "/odoo/action-aftersales_service.action_aftersales_ticket?view_type=list",
            "aftersales_breached_ticket_row",
            login="t_rep",
        )
