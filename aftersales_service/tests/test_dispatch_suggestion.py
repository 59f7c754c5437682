from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon

# A Wednesday, 09:00 UTC: the technicians work 08:00-18:00 UTC on weekdays.
NOW = "2026-03-04 09:00:00"


@tagged("post_install", "-at_install")
class TestDispatchSuggestion(AftersalesCommon):
    """Each ranking rule on a hand-built case: three technicians qualified for the
    compressor, all of the customer's zone; Tech One and Tech Two are in the ticket's
    team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.calendar = cls._calendar("Dispatch UTC", "UTC", hours=((8, 18),))
        cls.technicians = cls.tech | cls.tech2 | cls.tech_west
        Zone = env["aftersales.zone"]
        cls.zone_a = Zone.create({"name": "Dispatch Zone A", "arrival_hours": 8})
        cls.zone_b = Zone.create({"name": "Dispatch Zone B", "arrival_hours": 8})
        cls.technicians.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
                "aftersales_home_zone_id": cls.zone_a.id,
            }
        )
        cls.customer.aftersales_zone_id = cls.zone_a
        Qualification = env["aftersales.qualification"]
        cls.qualifications = Qualification.create(
            [
                {
                    "employee_id": employee.id,
                    "product_id": cls.product.id,
                    "level": "certified",
                    "date_valid_until": "2027-01-01",
                }
                for employee in cls.technicians
            ]
        )

    def _suggest(self, ticket, **kwargs):
        """The ranking among this test's technicians (the database may hold others)."""
        ranked = ticket.with_user(self.rep_user)._aftersales_suggest_technicians(**kwargs)
        return [c for c in ranked if c["technician_id"] in self.technicians.ids]

    def _qualification(self, employee):
        return self.qualifications.filtered(lambda q: q.employee_id == employee)

    def _names(self, candidates):
        Employee = self.env["hr.employee"]
        return [Employee.browse(c["technician_id"]).name for c in candidates]

    def _by_technician(self, candidates, employee):
        return next(c for c in candidates if c["technician_id"] == employee.id)

    def test_baseline_team_members_first_then_others(self):
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket)
        self.assertEqual(self._names(ranked), ["Tech One", "Tech Two", "Tech West"])
        first = ranked[0]
        self.assertTrue(first["qualified"])
        self.assertEqual(first["qualification_level"], "certified")
        self.assertTrue(first["team_member"])
        self.assertTrue(first["zone_match"])
        self.assertTrue(first["can_meet_arrival"])
        reasons = " | ".join(first["reasons"])
        self.assertIn("Certified for", reasons)
        self.assertIn("Member of Test East", reasons)
        self.assertIn("Home zone Dispatch Zone A, as the customer", reasons)
        self.assertIn("Not in Test East", " | ".join(ranked[2]["reasons"]))
        self.assertEqual(self._names(self._suggest(ticket, limit=1)), ["Tech One"])

    def test_leave_removes_a_candidate(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Annual leave",
                "resource_id": self.tech.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": "2026-03-03 00:00:00",
                "date_to": "2026-03-07 00:00:00",
                "time_type": "leave",
            }
        )
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket)
            everyone = self._suggest(ticket, include_excluded=True)
        self.assertEqual(self._names(ranked), ["Tech Two", "Tech West"])
        on_leave = self._by_technician(everyone, self.tech)
        self.assertFalse(on_leave["eligible"])
        self.assertIn("On leave until", " ".join(on_leave["reasons"]))

    def test_expired_qualification_removes_him(self):
        self._qualification(self.tech).date_valid_until = "2026-03-01"
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket)
            expired = self._by_technician(self._suggest(ticket, include_excluded=True), self.tech)
        self.assertEqual(self._names(ranked), ["Tech Two", "Tech West"])
        self.assertFalse(expired["qualified"])
        self.assertIn("expired on", " ".join(expired["reasons"]))

    def test_unqualified_and_trainee_are_not_suggested(self):
        self._qualification(self.tech2).level = "trainee"
        self._qualification(self.tech_west).unlink()
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket)
            everyone = self._suggest(ticket, include_excluded=True)
        self.assertEqual(self._names(ranked), ["Tech One"])
        self.assertIn(
            "Not qualified for", " ".join(self._by_technician(everyone, self.tech_west)["reasons"])
        )
        self.assertIn(
            "Trainee only", " ".join(self._by_technician(everyone, self.tech2)["reasons"])
        )

    def test_product_nobody_is_qualified_for_needs_no_qualification(self):
        with self._at(NOW):
            ticket = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            ranked = self._suggest(ticket)
            ticket.with_user(self.rep_user).action_assign(self.tech_west)
        self.assertEqual(len(ranked), 3)
        self.assertTrue(all(c["qualified"] for c in ranked))
        self.assertFalse(ticket.dispatched_unqualified)

    def test_zone_mismatch_ranks_lower(self):
        self.tech.aftersales_home_zone_id = self.zone_b
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket)
        self.assertEqual(self._names(ranked), ["Tech Two", "Tech One", "Tech West"])
        mismatch = self._by_technician(ranked, self.tech)
        self.assertFalse(mismatch["zone_match"])
        self.assertIn(
            "Home zone Dispatch Zone B, customer in Dispatch Zone A", " ".join(mismatch["reasons"])
        )

    def test_workload_balances(self):
        with self._at(NOW):
            busy = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            busy.with_user(self.rep_user).action_assign(self.tech)
            ticket = self._ticket()
            ranked = self._suggest(ticket)
        self.assertEqual(self._names(ranked), ["Tech Two", "Tech One", "Tech West"])
        self.assertEqual(self._by_technician(ranked, self.tech)["open_ticket_count"], 1)
        self.assertIn("Open tickets: 1", self._by_technician(ranked, self.tech)["reasons"])

    def test_off_duty_ranks_below_working(self):
        # Mondays only: nothing from Wednesday to the arrival deadline.
        night = self._calendar("Monday shift", "UTC", hours=((8, 18),), days=1)
        self.tech.resource_calendar_id = night
        with self._at(NOW):
            ticket = self._ticket()
            ranked = self._suggest(ticket, deadline="2026-03-04 15:00:00")
        self.assertEqual(self._names(ranked), ["Tech Two", "Tech West", "Tech One"])
        off = self._by_technician(ranked, self.tech)
        self.assertTrue(off["eligible"])
        self.assertFalse(off["can_meet_arrival"])
        self.assertIn("Not working before", " ".join(off["reasons"]))

    def test_emergency_skips_busy_technicians(self):
        with self._at(NOW):
            other = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            other.with_user(self.rep_user).action_assign(self.tech2)
            self.env["aftersales.visit"].create(
                {
                    "ticket_id": other.id,
                    "technician_ids": [Command.set(self.tech2.ids)],
                    "scheduled_start": "2026-03-04 08:30:00",
                    "scheduled_end": "2026-03-04 10:00:00",
                }
            )
            normal = self._suggest(self._ticket())
            emergency_ticket = self._ticket(priority="3")
            emergency = self._suggest(emergency_ticket)
            excluded = self._by_technician(
                self._suggest(emergency_ticket, include_excluded=True), self.tech2
            )
        self.assertIn("Tech Two", self._names(normal))
        self.assertEqual(self._names(emergency), ["Tech One", "Tech West"])
        self.assertIn("emergency", " ".join(excluded["reasons"]))

    def test_only_dispatchers_get_suggestions(self):
        with self._at(NOW):
            ticket = self._ticket()
            with self.assertRaises(AccessError):
                ticket.with_user(self.tech_user)._aftersales_suggest_technicians()

    # ------------------------------------------------------------------
    # Automatic dispatch
    # ------------------------------------------------------------------

    def _automatic(self, balance="balanced"):
        self.team.with_user(self.manager_user).write(
            {"dispatch_mode": "automatic", "dispatch_balance": balance}
        )

    def test_automatic_dispatch_still_needs_the_accept(self):
        self._automatic()
        with self._at(NOW):
            ticket = self._ticket()
        self.assertEqual(ticket.state, "assigned")
        self.assertEqual(ticket.technician_id, self.tech)
        self.assertTrue(ticket.dispatch_auto)
        self.assertEqual(ticket.dispatch_qualification_level, "certified")
        self.assertFalse(ticket.date_accepted)
        accept = ticket.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("aftersales_service.mail_activity_ticket_accept")
            )
        )
        self.assertEqual(accept.user_id, self.tech_user)

    def test_refusal_moves_to_the_next_candidate(self):
        self._automatic()
        with self._at(NOW):
            ticket = self._ticket()
            ticket.with_user(self.tech_user).action_refuse("Too far today")
            self.assertEqual(ticket.state, "assigned")
            self.assertEqual(ticket.technician_id, self.tech2)
            self.assertEqual(ticket.dispatch_refused_ids, self.tech)
            ticket.with_user(self.tech2_user).action_refuse("Sick")
        # Tech West is qualified but not in the team: a dispatcher decides.
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.technician_id)
        self.assertEqual(ticket.dispatch_refused_ids, self.tech | self.tech2)
        self.assertTrue(any("dispatch it by hand" in m.body for m in ticket.message_ids))

    def test_batch_creation_is_balanced(self):
        self._automatic()
        with self._at(NOW):
            head_start = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
            head_start.with_user(self.rep_user).action_assign(self.tech)
            values = {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "category_id": self.category_fault.id,
                "team_id": self.team.id,
                "description": "<p>Batch</p>",
            }
            tickets = self.env["aftersales.ticket"].with_user(self.rep_user).create([values] * 9)
        self.assertEqual(set(tickets.mapped("state")), {"assigned"})
        self.assertEqual(tickets.technician_id, self.tech | self.tech2)
        counts = {
            employee: self.env["aftersales.ticket"].search_count(
                [("technician_id", "=", employee.id), ("state", "=", "assigned")]
            )
            for employee in self.tech | self.tech2
        }
        self.assertEqual(sum(counts.values()), 10)
        self.assertLessEqual(max(counts.values()) - min(counts.values()), 1)

    def test_round_robin_takes_turns(self):
        self._automatic("round_robin")
        with self._at(NOW):
            tickets = self.env["aftersales.ticket"]
            for _i in range(4):
                tickets |= self._ticket()
        self.assertEqual(
            [t.technician_id.name for t in tickets],
            ["Tech One", "Tech Two", "Tech One", "Tech Two"],
        )
        self.assertEqual(self.team.dispatch_last_employee_id, self.tech2)

    def test_manual_and_suggest_modes_do_not_dispatch(self):
        with self._at(NOW):
            ticket = self._ticket()
        self.assertEqual(ticket.state, "new")
        self.assertEqual(self.team.dispatch_mode, "suggest")

    # ------------------------------------------------------------------
    # Manual override, the dispatch dialog and the figures
    # ------------------------------------------------------------------

    def test_unqualified_dispatch_needs_a_reason_and_is_counted(self):
        self._qualification(self.tech_west).unlink()
        with self._at(NOW):
            ticket = self._ticket()
            with self.assertRaisesRegex(UserError, "give a reason"):
                ticket.with_user(self.rep_user).action_assign(self.tech_west)
            ticket.with_user(self.rep_user).action_assign(
                self.tech_west, override_reason="Only one on the island"
            )
            qualified = self._ticket()
            qualified.with_user(self.rep_user).action_assign(self.tech)
        self.assertTrue(ticket.dispatched_unqualified)
        self.assertEqual(ticket.dispatch_override_reason, "Only one on the island")
        self.assertTrue(any("Only one on the island" in m.body for m in ticket.message_ids))
        self.assertFalse(qualified.dispatched_unqualified)
        self.assertEqual(qualified.dispatch_qualification_level, "certified")
        Report = self.env["aftersales.kpi.report"].with_user(self.analyst_user)
        groups = {
            level: (count, unqualified)
            for level, count, unqualified in Report._read_group(
                [("ticket_id", "in", (ticket | qualified).ids)],
                ["qualification_level"],
                ["__count", "unqualified_dispatch_count:sum"],
            )
        }
        self.assertEqual(groups, {False: (1, 1), "certified": (1, 0)})

    def test_dispatch_dialog_ranks_and_asks_for_the_reason(self):
        self._qualification(self.tech_west).unlink()
        with self._at(NOW):
            ticket = self._ticket()
            Wizard = self.env["aftersales.ticket.assign"].with_user(self.rep_user)
            wizard = Wizard.with_context(
                active_model="aftersales.ticket", active_ids=ticket.ids
            ).create({})
            lines = wizard.suggestion_ids.filtered(
                lambda line: line.technician_id in self.technicians
            ).sorted("sequence")
            self.assertEqual(lines.mapped("technician_id"), self.tech | self.tech2 | self.tech_west)
            self.assertEqual(lines.mapped("eligible"), [True, True, False])
            self.assertIn("Member of Test East", lines[0].reasons)
            lines[1].action_choose()
            self.assertEqual(wizard.technician_id, self.tech2)
            self.assertFalse(wizard.technician_unqualified)
            wizard.technician_id = self.tech_west
            self.assertTrue(wizard.technician_unqualified)
            with self.assertRaises(UserError):
                wizard.action_assign()
            wizard.override_reason = "Customer asked for him"
            wizard.action_assign()
        self.assertEqual(ticket.technician_id, self.tech_west)
        self.assertTrue(ticket.dispatched_unqualified)

    def test_manual_mode_shows_no_suggestions(self):
        self.team.with_user(self.manager_user).dispatch_mode = "manual"
        with self._at(NOW):
            ticket = self._ticket()
            wizard = (
                self.env["aftersales.ticket.assign"]
                .with_user(self.rep_user)
                .with_context(active_model="aftersales.ticket", active_ids=ticket.ids)
                .create({})
            )
        self.assertFalse(wizard.suggestion_ids)
        self.assertTrue(wizard.candidate_ids)
