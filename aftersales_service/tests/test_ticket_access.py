from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketAccess(AftersalesCommon):
    """Role matrix: technician, customer service, manager, analyst, plain user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_ticket = cls._ticket()
        cls.own_ticket = cls._ticket(team_id=False, technician_id=cls.tech.id)
        cls.west_ticket = cls._ticket(team_id=cls.team_west.id)

    def _visible(self, user):
        return (
            self.env["aftersales.ticket"]
            .with_user(user)
            .search([("id", "in", (self.team_ticket | self.own_ticket | self.west_ticket).ids)])
        )

    # Read -------------------------------------------------------------

    def test_technician_sees_own_and_team_tickets_only(self):
        self.assertEqual(self._visible(self.tech_user), self.team_ticket | self.own_ticket)
        self.assertEqual(self._visible(self.other_team_user), self.west_ticket)
        with self.assertRaises(AccessError):
            self.west_ticket.with_user(self.tech_user).read(["name"])

    def test_team_leader_sees_team_tickets(self):
        # The leader is added to the members, so the record rule applies to them.
        self.assertIn(self.tech2, self.team.member_ids)
        self.assertEqual(self._visible(self.tech2_user), self.team_ticket)

    def test_rep_manager_analyst_see_all_tickets(self):
        everything = self.team_ticket | self.own_ticket | self.west_ticket
        for user in (self.rep_user, self.manager_user, self.analyst_user):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), everything)

    def test_user_without_aftersales_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.internal_user).search([])
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.internal_user).read(["name"])
        root_menu = self.env.ref("aftersales_service.menu_aftersales_root")
        visible_menus = self.env["ir.ui.menu"].with_user(self.internal_user)._visible_menu_ids()
        self.assertNotIn(root_menu.id, visible_menus)
        self.assertIn(
            root_menu.id, self.env["ir.ui.menu"].with_user(self.tech_user)._visible_menu_ids()
        )

    # Create / write ----------------------------------------------------

    def test_create_rights(self):
        values = {"partner_id": self.customer.id, "description": "<p>x</p>"}
        for user in (self.tech_user, self.analyst_user, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["aftersales.ticket"].with_user(user).create(values)
        for user in (self.rep_user, self.manager_user):
            with self.subTest(user=user.login):
                self.assertTrue(self.env["aftersales.ticket"].with_user(user).create(values))

    def test_write_rights(self):
        # A team's ticket is the assigned technician's to write, not the whole team's.
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.tech_user).write({"resolution_cause": "Dust"})
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        self.team_ticket.with_user(self.tech_user).write({"resolution_cause": "Dust"})
        self.assertEqual(self.team_ticket.resolution_cause, "Dust")
        with self.assertRaises(AccessError):
            self.west_ticket.with_user(self.tech_user).write({"resolution_cause": "Dust"})
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.analyst_user).write({"resolution_cause": "Analyst"})
        self.assertEqual(self.team_ticket.resolution_cause, "Dust")

    def test_technician_cannot_move_deadline_or_team(self):
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        deadline = self.team_ticket.date_deadline
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.tech_user).write(
                {"date_deadline": "2099-01-01 00:00:00"}
            )
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.tech_user).write({"team_id": self.team_west.id})
        self.team_ticket.invalidate_recordset()
        self.assertEqual(self.team_ticket.date_deadline, deadline)
        self.assertFalse(self.team_ticket.with_user(self.tech_user).user_can_dispatch)
        self.team_ticket.with_user(self.rep_user).write({"date_deadline": "2099-01-01 00:00:00"})
        self.assertEqual(str(self.team_ticket.date_deadline), "2099-01-01 00:00:00")

    # Lifecycle actions -------------------------------------------------

    def test_assign_only_rep_or_manager(self):
        for user in (self.tech_user, self.analyst_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.team_ticket.with_user(user).action_assign(self.tech)
        self.assertEqual(self.team_ticket.state, "new")
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        self.west_ticket.with_user(self.manager_user).action_assign(self.tech_west)
        self.assertEqual((self.team_ticket | self.west_ticket).mapped("state"), ["assigned"] * 2)

    def test_accept_only_assignee_or_manager(self):
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        for user in (self.tech2_user, self.rep_user, self.analyst_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.team_ticket.with_user(user).action_accept()
        self.assertEqual(self.team_ticket.state, "assigned")
        self.team_ticket.with_user(self.tech_user).action_accept()
        self.assertEqual(self.team_ticket.state, "in_progress")
        self.west_ticket.with_user(self.rep_user).action_assign(self.tech_west)
        self.west_ticket.with_user(self.manager_user).action_accept()
        self.assertEqual(self.west_ticket.state, "in_progress")

    def test_resolve_only_assignee_or_manager(self):
        ticket = self._in_progress_ticket(
            resolution_cause="Dust", resolution_note="<p>Cleaned.</p>"
        )
        for user in (self.tech2_user, self.rep_user, self.analyst_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ticket.with_user(user).action_resolve()
        self.assertEqual(ticket.state, "in_progress")
        ticket.with_user(self.tech_user).action_resolve()
        self.assertEqual(ticket.state, "resolved")

    def test_confirm_close_reopen_cancel_not_for_technician_or_analyst(self):
        ticket = self._resolved_ticket()
        for user in (self.tech_user, self.analyst_user):
            for method, args in (
                ("action_customer_confirm", ()),
                ("action_close", ()),
                ("action_reopen", ("again",)),
                ("action_cancel", ("no",)),
            ):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(ticket.with_user(user), method)(*args)
        self.assertEqual(ticket.state, "resolved")
        ticket.with_user(self.rep_user).action_customer_confirm()
        ticket.with_user(self.rep_user).action_close()
        self.assertEqual(ticket.state, "closed")

    def test_refuse_only_assignee_or_manager(self):
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.rep_user).action_refuse("not mine")
        with self.assertRaises(AccessError):
            self.team_ticket.with_user(self.tech2_user).action_refuse("not mine")
        self.team_ticket.with_user(self.tech_user).action_refuse("Out of my skills")
        self.assertEqual(self.team_ticket.state, "new")

    def test_technician_cannot_act_on_other_team_ticket(self):
        self.west_ticket.with_user(self.rep_user).action_assign(self.tech_west)
        with self.assertRaises(AccessError):
            self.west_ticket.with_user(self.tech_user).action_accept()
        self.assertEqual(self.west_ticket.state, "assigned")

    def test_delete_only_manager(self):
        for user in (self.tech_user, self.rep_user, self.analyst_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.team_ticket.with_user(user).unlink()
        self.team_ticket.with_user(self.manager_user).unlink()
        self.assertFalse(self.team_ticket.exists())

    # Configuration -----------------------------------------------------

    def test_only_manager_configures(self):
        for user in (self.tech_user, self.rep_user, self.analyst_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["aftersales.team"].with_user(user).create({"name": "Rogue team"})
                with self.assertRaises(AccessError):
                    self.env["aftersales.category"].with_user(user).create({"name": "Rogue"})
                with self.assertRaises(AccessError):
                    self.team.with_user(user).write({"name": "Renamed"})
        self.env["aftersales.team"].with_user(self.manager_user).create({"name": "New team"})
        self.env["aftersales.category"].with_user(self.manager_user).create(
            {"name": "Installation"}
        )
        self.assertEqual(self.team.name, "Test East")

    def test_reps_may_create_tags_technicians_may_not(self):
        self.env["aftersales.tag"].with_user(self.rep_user).create({"name": "Urgent customer"})
        with self.assertRaises(AccessError):
            self.env["aftersales.tag"].with_user(self.tech_user).create({"name": "Mine"})

    def test_role_ladder(self):
        self.assertTrue(self.manager_user.has_group("aftersales_service.group_aftersales_user"))
        self.assertTrue(
            self.manager_user.has_group("aftersales_service.group_aftersales_technician")
        )
        self.assertTrue(self.manager_user.has_group("aftersales_service.group_aftersales_analyst"))
        self.assertTrue(self.rep_user.has_group("aftersales_service.group_aftersales_technician"))
        self.assertFalse(self.rep_user.has_group("aftersales_service.group_aftersales_manager"))
        self.assertFalse(
            self.analyst_user.has_group("aftersales_service.group_aftersales_technician")
        )

    def test_buttons_reflect_who_may_accept(self):
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        self.assertTrue(self.team_ticket.with_user(self.tech_user).user_is_assignee_or_manager)
        self.assertTrue(self.team_ticket.with_user(self.manager_user).user_is_assignee_or_manager)
        self.assertFalse(self.team_ticket.with_user(self.rep_user).user_is_assignee_or_manager)

    def test_unlink_state_guard_applies_to_manager(self):
        self.team_ticket.with_user(self.rep_user).action_assign(self.tech)
        with self.assertRaises(UserError):
            self.team_ticket.with_user(self.manager_user).unlink()
