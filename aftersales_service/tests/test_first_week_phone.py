from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFirstWeekPhone(HttpCase):
    """Issue 20 on a 390x844 phone: the technician's buttons are large and visible, the
    customer's portal lists show status and actions. Tours in
    static/tests/tours/aftersales_phone_tours.js."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        env = cls.env
        groups = "base.group_user,aftersales_service.group_aftersales_technician"
        cls.tech_user = new_test_user(env, "phone_tech", groups=groups)
        cls.technician = env["hr.employee"].create(
            {"name": "Phone Technician", "user_id": cls.tech_user.id}
        )
        cls.customer = env["res.partner"].create({"name": "Phone Customer", "is_company": True})
        contact = env["res.partner"].create(
            {"name": "Phone Buyer", "parent_id": cls.customer.id, "email": "phone@example.com"}
        )
        new_test_user(env, "phone_portal", groups="base.group_portal", partner_id=contact.id)
        cls.product = env["product.product"].create(
            {"name": "Phone Portal Ticket Compressor", "is_storable": True}
        )

    def _ticket(self, **vals):
        ticket = self.env["aftersales.ticket"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "phone": "+86 138 0000 0000",
                "description": "<p>Noisy.</p>",
                **vals,
            }
        )
        ticket.action_assign(self.technician)
        ticket.action_accept()
        return ticket

    def _visit(self, ticket, **vals):
        return self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [Command.set(self.technician.ids)],
                "scheduled_start": "2026-03-02 08:00:00",
                "scheduled_end": "2026-03-02 10:00:00",
                **vals,
            }
        )

    def test_technician_works_a_visit_on_a_phone(self):
        visit = self._visit(self._ticket())
        self.start_tour(
            f"/odoo/aftersales.visit/{visit.id}", "aftersales_phone_visit", login="phone_tech"
        )
        self.assertEqual(visit.state, "on_site", "the incomplete check-out was not confirmed")
        self.assertTrue(visit.date_departure)
        self.assertFalse(self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)]))

    def test_portal_lists_fit_a_phone(self):
        ticket = self._ticket()
        ticket.sudo().name = "Phone Portal Ticket"
        self._visit(ticket, state="done", work_done="<p>Fixed.</p>")
        self.start_tour("/my/aftersales", "aftersales_phone_portal", login="phone_portal")
