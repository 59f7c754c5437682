from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestSla(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.sla.policy"].search([]).active = False  # only this test's policies
        cls.calendar = cls._calendar("Shanghai 9-18", "Asia/Shanghai")
        cls.zone_ring_1 = cls.env.ref("aftersales_service.zone_ring_1")
        cls.customer.aftersales_zone_id = cls.zone_ring_1
        cls.standard = cls.env["aftersales.sla.policy"].create(
            {
                "name": "Test standard",
                "calendar_id": cls.calendar.id,
                "response_hours": 4,
                "resolution_hours": 18,
                "arrival_from_zone": True,
                "sequence": 50,
            }
        )
        cls.manager_user.company_id.aftersales_escalation_manager_id = cls.manager_user

    def _sla_ticket(self, moment="2026-03-06 09:00:00", **vals):
        with self._at(moment):
            return self._ticket(**vals)

    # Deadlines ------------------------------------------------------------

    def test_deadline_skips_nights_and_weekends(self):
        # Friday 17:00 in Shanghai (09:00 UTC), 4 working hours on 9-18 Mon-Fri.
        ticket = self._sla_ticket()
        self.assertEqual(ticket.sla_policy_id, self.standard)
        self.assertEqual(ticket.deadline_response, datetime(2026, 3, 9, 4, 0), "Monday 12:00 local")
        self.assertEqual(
            ticket.deadline_arrival, datetime(2026, 3, 9, 2, 0), "ring 1: 2 working hours"
        )
        self.assertEqual(ticket.sla_status, "on_track")

    def test_no_arrival_target_for_remote_categories(self):
        guidance = self.env.ref("aftersales_service.category_operation_guidance")
        guidance.onsite_service = False  # seeded so on new databases
        ticket = self._sla_ticket(category_id=guidance.id)
        self.assertFalse(ticket.deadline_arrival)
        self.assertEqual(ticket.sla_arrival_state, "none")
        ticket.category_id = self.category_fault
        self.assertEqual(ticket.deadline_arrival, datetime(2026, 3, 9, 2, 0))

    def test_deadline_skips_public_holidays(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-03-09 01:00:00",
                "date_to": "2026-03-09 10:00:00",
            }
        )
        ticket = self._sla_ticket()
        self.assertEqual(
            ticket.deadline_response, datetime(2026, 3, 10, 4, 0), "Tuesday 12:00 local"
        )

    def test_waiting_time_does_not_count(self):
        ticket = self._sla_ticket("2026-03-09 01:00:00")  # Monday 09:00 local
        resolution = ticket.deadline_resolution
        ticket.with_user(self.rep_user).action_assign(self.tech)
        with self._at("2026-03-09 02:00:00"):
            ticket.with_user(self.tech_user).action_accept()
        with self._at("2026-03-09 03:00:00"):
            ticket.with_user(self.tech_user).action_wait("Parts on order")
        self.assertFalse(ticket.sla_next_check, "no escalation while waiting")
        with self._at("2026-03-09 05:30:00"):
            ticket.with_user(self.tech_user).action_resume()
        self.assertEqual(ticket.sla_paused_hours_resolution, 2.5)
        self.assertTrue(ticket.sla_next_check, "escalation watches the ticket again")
        self.assertEqual(
            ticket.deadline_resolution,
            self.calendar.plan_hours(18 + 2.5, datetime(2026, 3, 9, 1, 0), compute_leaves=True),
        )
        self.assertGreater(ticket.deadline_resolution, resolution)
        self.assertEqual(ticket.sla_response_state, "met")

    def test_zone_from_address_rules(self):
        zone = self.env["aftersales.zone"].create(
            {"name": "Test ring", "arrival_hours": 3, "zip_prefixes": "1000, 1001", "sequence": 1}
        )
        partner = self.env["res.partner"].create({"name": "Zoned", "zip": "100020"})
        self.assertEqual(partner.aftersales_zone_id, zone)
        far = self.env["aftersales.zone"].create(
            {"name": "Test far", "arrival_hours": 6, "zip_prefixes": "2000", "sequence": 2}
        )
        partner.zip = "200000"
        self.assertEqual(partner.aftersales_zone_id, far, "a new address brings its zone")
        partner.aftersales_zone_id = zone
        partner.city = "Nowhere"
        self.assertEqual(partner.aftersales_zone_id, far, "rules win over a stale zone")
        with self.assertRaisesRegex(ValidationError, "positive arrival target"):
            self.env["aftersales.zone"].create({"name": "Bad", "arrival_hours": 0})

    # Policies -------------------------------------------------------------

    def test_most_specific_policy_wins_and_follows_changes_until_accepted(self):
        emergency = self.env["aftersales.sla.policy"].create(
            {
                "name": "Test emergency",
                "calendar_id": self.env.ref("aftersales_service.resource_calendar_24x7").id,
                "priority_min": "3",
                "response_hours": 1,
                "resolution_hours": 8,
                "sequence": 60,
            }
        )
        team_emergency = self.env["aftersales.sla.policy"].create(
            {
                "name": "East emergency",
                "calendar_id": self.calendar.id,
                "priority_min": "3",
                "team_ids": [Command.set(self.team.ids)],
                "response_hours": 2,
                "resolution_hours": 8,
                "sequence": 70,
            }
        )
        ticket = self._sla_ticket(team_id=self.team_west.id)
        self.assertEqual(ticket.sla_policy_id, self.standard)
        ticket.priority = "3"
        self.assertEqual(ticket.sla_policy_id, emergency)
        self.assertEqual(ticket.deadline_response, datetime(2026, 3, 6, 10, 0), "24/7: one hour")
        ticket.with_user(self.rep_user).team_id = self.team
        self.assertEqual(ticket.sla_policy_id, team_emergency, "two conditions beat one")
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        ticket.priority = "1"
        self.assertEqual(ticket.sla_policy_id, team_emergency, "accepted: the promise stands")

    def test_policy_validation(self):
        Policy = self.env["aftersales.sla.policy"]
        base = {"name": "Bad", "calendar_id": self.calendar.id}
        with self.assertRaisesRegex(ValidationError, "positive response and resolution"):
            Policy.create({**base, "response_hours": 0, "sequence": 1})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            Policy.create({**base, "warning_percent": 100, "sequence": 2})
        with self.assertRaisesRegex(ValidationError, "same conditions and sequence"):
            Policy.create({**base, "sequence": 50})
        with self.assertRaisesRegex(ValidationError, "needs working hours"):
            Policy.create({**base, "calendar_id": False, "sequence": 3})

    # Escalation -----------------------------------------------------------

    def test_warning_breach_and_late_arrival_penalty_once(self):
        ticket = self._sla_ticket("2026-03-09 01:00:00")  # Monday 09:00 local
        ticket.with_user(self.rep_user).action_assign(self.tech)
        Ticket = self.env["aftersales.ticket"]
        with self._at("2026-03-09 02:40:00"):  # 1h40 of 2 h arrival: past 80 %
            Ticket._cron_sla_escalate()
        self.assertTrue(ticket.sla_arrival_warned)
        self.assertEqual(ticket.sla_status, "at_risk")
        leader_activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.tech2_user)
        self.assertEqual(len(leader_activity), 1, "the team leader is warned")
        with self._at("2026-03-09 03:05:00"):
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        self.assertEqual(ticket.sla_arrival_state, "failed")
        self.assertEqual(ticket.sla_status, "breached")
        penalties = self.env["aftersales.penalty"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(penalties), 1)
        self.assertEqual(penalties.employee_id, self.tech)
        self.assertEqual(penalties.state, "draft")
        self.assertEqual(penalties.amount, 20)
        manager_activity = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager_user)
        self.assertEqual(len(manager_activity), 1)
        # A second worker that got the same ticket changes nothing either.
        with self._at("2026-03-09 03:06:00"):
            ticket._sla_escalate(datetime(2026, 3, 9, 3, 6))
        self.assertEqual(
            self.env["aftersales.penalty"].search_count([("ticket_id", "=", ticket.id)]), 1
        )
        self.assertEqual(
            len(ticket.activity_ids.filtered(lambda a: a.user_id == self.manager_user)), 1
        )
        self.assertFalse(
            ticket.sla_next_check <= datetime(2026, 3, 9, 3, 6) if ticket.sla_next_check else False
        )

    def test_met_targets_are_not_escalated(self):
        ticket = self._sla_ticket("2026-03-09 01:00:00")
        ticket.with_user(self.rep_user).action_assign(self.tech)
        with self._at("2026-03-09 01:30:00"):
            ticket.with_user(self.tech_user).action_accept()
        self.assertEqual(ticket.sla_response_state, "met")
        with self._at("2026-03-20 01:00:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_response_state, "met")
        self.assertEqual(ticket.sla_resolution_state, "failed")

    def test_incomplete_report_raises_one_draft_penalty_per_technician(self):
        ticket = self._sla_ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        visit = (
            self.env["aftersales.visit"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set((self.tech | self.tech2).ids)],
                    "scheduled_start": "2026-03-09 01:00:00",
                    "scheduled_end": "2026-03-09 02:00:00",
                }
            )
        )
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()
        penalties = self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)])
        self.assertEqual(penalties.employee_id, self.tech | self.tech2)
        self.assertEqual(set(penalties.mapped("rule_id.code")), {"INCOMPLETE_REPORT"})
        rule = penalties.rule_id
        again = self.env["aftersales.penalty"]._raise_auto(rule, self.tech, ticket, visit=visit)
        self.assertFalse(again)

    # Penalty register -----------------------------------------------------

    def test_penalty_confirmation_and_rights(self):
        rule = self.env.ref("aftersales_service.penalty_rule_phone_off")
        penalty = (
            self.env["aftersales.penalty"]
            .with_user(self.manager_user)
            .create(
                {"employee_id": self.tech.id, "rule_id": rule.id, "reason": "Unreachable at 10:00"}
            )
        )
        self.assertEqual(penalty.amount, 10)
        with self.assertRaises(AccessError):
            penalty.with_user(self.tech_user).action_confirm()
        penalty.with_user(self.tech_user).write({"objection": "Tunnel, no signal"})
        with self.assertRaises(AccessError):
            penalty.with_user(self.tech_user).write({"amount": 0})
        with self.assertRaises(AccessError):
            penalty.with_user(self.tech2_user).read(["objection"])
        penalty.with_user(self.manager_user).action_confirm()
        with self.assertRaisesRegex(UserError, "not a draft"):
            penalty.with_user(self.manager_user).action_confirm()
        self.assertEqual(
            self.tech.aftersales_month_net_points, 1
        ) if penalty.date.month == datetime.now().month else None
        with self.assertRaisesRegex(UserError, "reason"):
            penalty.with_user(self.manager_user).action_cancel("")
        penalty.with_user(self.manager_user).action_cancel("Signal outage confirmed")
        self.assertEqual(penalty.state, "cancelled")
