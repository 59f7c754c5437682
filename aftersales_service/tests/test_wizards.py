from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestWizards(AftersalesCommon):
    def _assign_form(self, tickets, user):
        action = tickets.with_user(user).action_open_assign_wizard()
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    def test_dispatch_wizard_limits_technicians_to_the_team(self):
        ticket = self._ticket()
        form = self._assign_form(ticket, self.rep_user)
        self.assertEqual(form.team_id, self.team)
        self.assertEqual(set(form.allowed_technician_ids.ids), set((self.tech | self.tech2).ids))
        form.team_id = self.team_west
        self.assertEqual(form.allowed_technician_ids.ids, self.tech_west.ids)
        form.technician_id = self.tech_west
        form.save().action_assign()
        self.assertEqual(ticket.state, "assigned")
        self.assertEqual(ticket.team_id, self.team_west)
        self.assertEqual(ticket.technician_id, self.tech_west)

    def test_dispatch_wizard_without_team_offers_employees_with_users(self):
        ticket = self._ticket(team_id=False)
        form = self._assign_form(ticket, self.rep_user)
        self.assertFalse(form.team_id)
        self.assertIn(self.tech_west, form.allowed_technician_ids)
        self.assertNotIn(self.employee_without_user, form.allowed_technician_ids)

    def test_dispatch_several_tickets_at_once(self):
        tickets = self._ticket() | self._ticket()
        form = self._assign_form(tickets, self.rep_user)
        form.technician_id = self.tech
        form.save().action_assign()
        self.assertEqual(tickets.mapped("state"), ["assigned", "assigned"])

    def test_reason_wizard_runs_the_action_with_its_reason(self):
        ticket = self._ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        action = (
            ticket.with_user(self.tech_user)
            .with_context(aftersales_reason_action="refuse")
            .action_open_reason_wizard()
        )
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.tech_user)
            .with_context(**action["context"])
        )
        form.reason = "No van available"
        form.save().action_confirm()
        self.assertEqual(ticket.state, "new")
        self.assertIn("No van available", ticket.message_ids[0].body)

        action = (
            ticket.with_user(self.rep_user)
            .with_context(aftersales_reason_action="cancel")
            .action_open_reason_wizard()
        )
        form = Form(
            self.env[action["res_model"]].with_user(self.rep_user).with_context(**action["context"])
        )
        form.reason = "Customer withdrew"
        form.save().action_confirm()
        self.assertEqual(ticket.state, "cancelled")
        self.assertEqual(ticket.cancel_reason, "Customer withdrew")
