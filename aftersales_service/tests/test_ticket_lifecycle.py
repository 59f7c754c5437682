from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketLifecycle(AftersalesCommon):
    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_full_lifecycle_records_every_timestamp(self):
        with freeze_time("2026-03-02 08:00:00"):
            ticket = self._ticket()
            self.assertEqual(ticket.state, "new")
            self.assertRegex(ticket.name, r"^AS2026-\d{5}$")
        with freeze_time("2026-03-02 09:00:00"):
            ticket.with_user(self.rep_user).action_assign(self.tech)
        self.assertEqual(ticket.state, "assigned")
        self.assertEqual(ticket.technician_id, self.tech)
        self.assertEqual(ticket.technician_user_id, self.tech_user)
        self.assertEqual(ticket.date_assigned, datetime(2026, 3, 2, 9))
        self.assertEqual(ticket.date_deadline, datetime(2026, 3, 3, 9))
        self.assertFalse(ticket.date_accepted, "Dispatch alone is not acceptance.")
        with freeze_time("2026-03-02 09:30:00"):
            ticket.with_user(self.tech_user).action_accept()
        self.assertEqual(ticket.state, "in_progress")
        self.assertEqual(ticket.date_accepted, datetime(2026, 3, 2, 9, 30))
        ticket.with_user(self.tech_user).action_wait("Waiting for a contactor")
        self.assertEqual(ticket.state, "waiting")
        ticket.with_user(self.tech_user).action_resume()
        self.assertEqual(ticket.state, "in_progress")
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Worn contactor", "resolution_note": "<p>Replaced it.</p>"}
        )
        with freeze_time("2026-03-02 15:00:00"):
            ticket.with_user(self.tech_user).action_resolve()
        self.assertEqual(ticket.state, "resolved")
        self.assertEqual(ticket.date_resolved, datetime(2026, 3, 2, 15))
        with freeze_time("2026-03-03 10:00:00"):
            ticket.with_user(self.rep_user).action_customer_confirm()
            ticket.with_user(self.rep_user).action_close()
        self.assertTrue(ticket.customer_confirmed)
        self.assertEqual(ticket.date_customer_confirmed, datetime(2026, 3, 3, 10))
        self.assertEqual(ticket.state, "closed")
        self.assertEqual(ticket.date_closed, datetime(2026, 3, 3, 10))

    def test_chatter_tracks_every_transition(self):
        ticket = self._ticket()
        self._flush_tracking()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        self._flush_tracking()
        ticket.with_user(self.tech_user).action_accept()
        self._flush_tracking()
        state_changes = ticket.message_ids.sudo().tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state"
        )
        self.assertEqual(
            sorted(state_changes.mapped("new_value_char")), ["Assigned", "In Progress"]
        )
        accept_message = state_changes.filtered(
            lambda v: v.new_value_char == "In Progress"
        ).mail_message_id
        self.assertEqual(accept_message.author_id, self.tech_user.partner_id)
        self.assertEqual(
            accept_message.subtype_id, self.env.ref("aftersales_service.mt_ticket_state")
        )

    def test_dispatch_notifies_technician_with_an_activity(self):
        ticket = self._ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        accept_type = self.env.ref("aftersales_service.mail_activity_ticket_accept")
        activity = ticket.activity_ids.filtered(lambda a: a.activity_type_id == accept_type)
        self.assertEqual(activity.user_id, self.tech_user)
        self.assertIn(self.tech_user.partner_id, ticket.message_partner_ids)
        ticket.with_user(self.tech_user).action_accept()
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.activity_type_id == accept_type))

    def test_redispatch_moves_the_activity(self):
        ticket = self._ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.rep_user).action_assign(self.tech2)
        self.assertEqual(ticket.technician_id, self.tech2)
        self.assertEqual(ticket.activity_ids.user_id, self.tech2_user)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_user).action_accept()

    def test_deadline_defaults_from_company_settings(self):
        with freeze_time("2026-05-01 08:00:00"):
            normal = self._ticket()
            emergency = self._ticket(priority="3")
            normal.with_user(self.rep_user).action_assign(self.tech)
            emergency.with_user(self.rep_user).action_assign(self.tech)
            explicit = self._ticket()
            explicit.with_user(self.rep_user).action_assign(
                self.tech, deadline=datetime(2026, 5, 1, 10)
            )
        self.assertEqual(normal.date_deadline, datetime(2026, 5, 2, 8))
        self.assertEqual(emergency.date_deadline, datetime(2026, 5, 1, 12))
        self.assertEqual(explicit.date_deadline, datetime(2026, 5, 1, 10))

    def test_overdue_filter(self):
        with freeze_time("2026-05-01 08:00:00"):
            late = self._ticket()
            late.with_user(self.rep_user).action_assign(self.tech)
            on_time = self._ticket()
            on_time.with_user(self.rep_user).action_assign(
                self.tech, deadline=datetime(2026, 5, 10)
            )
        with freeze_time("2026-05-03 08:00:00"):
            overdue = self.env["aftersales.ticket"].search(
                [("is_overdue", "=", True), ("id", "in", (late | on_time).ids)]
            )
            self.assertEqual(overdue, late)
            late.invalidate_recordset(["is_overdue"])
            self.assertTrue(late.is_overdue)
            late.with_user(self.tech_user).action_accept()
            late.write({"resolution_cause": "x", "resolution_note": "<p>y</p>"})
            late.with_user(self.tech_user).action_resolve()
            self.assertFalse(
                self.env["aftersales.ticket"].search_count(
                    [("is_overdue", "=", True), ("id", "=", late.id)]
                ),
                "A resolved ticket is no longer overdue.",
            )

    def test_create_with_technician_dispatches(self):
        ticket = self._ticket(technician_id=self.tech.id)
        self.assertEqual(ticket.state, "assigned")
        self.assertTrue(ticket.date_assigned)
        self.assertFalse(ticket.date_accepted)

    def test_assign_needs_a_technician_with_a_user(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, "no user account"):
            ticket.with_user(self.rep_user).action_assign(self.employee_without_user)
        with self.assertRaises(UserError):
            ticket.with_user(self.rep_user).action_assign(False)
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.technician_id)

    def test_refuse_sends_back_for_redispatch(self):
        ticket = self._ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.with_user(self.tech_user).action_refuse("  ")
        self.assertEqual(ticket.state, "assigned")
        ticket.with_user(self.tech_user).action_refuse("On leave tomorrow")
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.technician_id)
        self.assertFalse(ticket.activity_ids)
        self.assertIn("On leave tomorrow", ticket.message_ids[0].body)

    def test_resolve_requires_cause_and_solution(self):
        ticket = self._in_progress_ticket()
        with self.assertRaisesRegex(UserError, "fault cause and the solution"):
            ticket.with_user(self.tech_user).action_resolve()
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Loose wire", "resolution_note": "<p><br></p>"}
        )
        with self.assertRaisesRegex(UserError, "the solution"):
            ticket.with_user(self.tech_user).action_resolve()
        self.assertEqual(ticket.state, "in_progress")
        self.assertFalse(ticket.date_resolved)

    def test_close_needs_customer_confirmation_unless_manager(self):
        ticket = self._resolved_ticket()
        with self.assertRaisesRegex(UserError, "not confirmed"):
            ticket.with_user(self.rep_user).action_close()
        self.assertEqual(ticket.state, "resolved")
        ticket.with_user(self.manager_user).action_close()
        self.assertEqual(ticket.state, "closed")
        self.assertIn("without the customer", ticket.message_ids[0].body)

    def test_reopen_keeps_technician_and_counts(self):
        ticket = self._resolved_ticket()
        ticket.with_user(self.rep_user).action_customer_confirm()
        ticket.with_user(self.rep_user).action_close()
        ticket.with_user(self.rep_user).action_reopen("Breaker trips again")
        self.assertEqual(ticket.state, "in_progress")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertEqual(ticket.technician_id, self.tech)
        self.assertFalse(ticket.date_resolved or ticket.date_closed or ticket.customer_confirmed)
        ticket.with_user(self.tech_user).action_resolve()
        ticket.with_user(self.rep_user).action_reopen()
        self.assertEqual(ticket.reopen_count, 2)

    def test_cancel_needs_reason_and_not_closed(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.with_user(self.rep_user).action_cancel("")
        ticket.with_user(self.rep_user).action_cancel("Duplicate")
        self.assertEqual(ticket.state, "cancelled")
        self.assertEqual(ticket.cancel_reason, "Duplicate")
        closed = self._resolved_ticket()
        closed.with_user(self.manager_user).action_close()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            closed.with_user(self.manager_user).action_cancel("Too late")
        self.assertEqual(closed.state, "closed")

    def test_forbidden_transitions(self):
        """Every lifecycle method refuses the states it does not start from."""
        allowed = {
            "action_assign": {"new", "assigned"},
            "action_accept": {"assigned"},
            "action_refuse": {"assigned"},
            "action_wait": {"in_progress"},
            "action_resume": {"waiting"},
            "action_resolve": {"in_progress"},
            "action_customer_confirm": {"resolved"},
            "action_close": {"resolved"},
            "action_reopen": {"resolved", "closed"},
            "action_cancel": {"new", "assigned", "in_progress", "waiting", "resolved"},
        }
        args = {
            "action_assign": (self.tech,),
            "action_refuse": ("reason",),
            "action_cancel": ("reason",),
        }
        tickets = {}
        tickets["new"] = self._ticket()
        tickets["assigned"] = self._ticket(technician_id=self.tech.id)
        tickets["in_progress"] = self._in_progress_ticket()
        tickets["waiting"] = self._in_progress_ticket()
        tickets["waiting"].action_wait()
        tickets["resolved"] = self._resolved_ticket()
        tickets["closed"] = self._resolved_ticket()
        tickets["closed"].with_user(self.manager_user).action_close()
        tickets["cancelled"] = self._ticket()
        tickets["cancelled"].action_cancel("dup")
        checked = 0
        for method, from_states in allowed.items():
            for state, ticket in tickets.items():
                if state in from_states:
                    continue
                with self.subTest(method=method, state=state):
                    with self.assertRaises(UserError):
                        getattr(ticket.with_user(self.manager_user), method)(*args.get(method, ()))
                    self.assertEqual(ticket.state, state)
                    checked += 1
        self.assertGreater(checked, 40)

    def test_state_and_dates_only_change_through_buttons(self):
        ticket = self._ticket()
        for user in (self.rep_user, self.manager_user):
            with self.assertRaisesRegex(AccessError, "buttons"):
                ticket.with_user(user).write({"state": "closed"})
            with self.assertRaises(AccessError):
                ticket.with_user(user).write({"technician_id": self.tech.id})
        with self.assertRaises(AccessError):
            self._ticket(state="resolved")
        with self.assertRaises(AccessError):
            self._ticket(date_resolved="2026-01-01 00:00:00")
        self.assertEqual(ticket.state, "new")

    def test_delete_only_new_or_cancelled_by_manager(self):
        new = self._ticket()
        running = self._in_progress_ticket()
        cancelled = self._ticket()
        cancelled.action_cancel("dup")
        with self.assertRaisesRegex(UserError, "only new or cancelled"):
            running.with_user(self.manager_user).unlink()
        self.assertTrue(running.exists())
        (new | cancelled).with_user(self.manager_user).unlink()
        self.assertFalse((new | cancelled).exists())
