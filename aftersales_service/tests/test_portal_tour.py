from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase):
    """A customer submits a request in a real browser, then confirms and rates the fix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        cls.customer = env["res.partner"].create({"name": "Tour Customer Co", "is_company": True})
        contact = env["res.partner"].create(
            {"name": "Tour Buyer", "parent_id": cls.customer.id, "email": "tour@example.com"}
        )
        new_test_user(env, "portal_tour", groups="base.group_portal", partner_id=contact.id)
        product = env["product.product"].create(
            {"name": "Tour Compressor", "is_storable": True, "tracking": "serial"}
        )
        lot = env["stock.lot"].create({"name": "TOUR-1", "product_id": product.id})
        env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": product.id,
                "lot_id": lot.id,
                "date_start": "2026-01-01",
            }
        )
        technician_user = new_test_user(
            env,
            "tour_tech",
            groups="base.group_user,aftersales_service.group_aftersales_technician",
        )
        cls.technician = env["hr.employee"].create(
            {"name": "Tour Technician", "user_id": technician_user.id}
        )

    def test_portal_request_confirm_and_rate(self):
        self.start_tour("/my/aftersales", "aftersales_portal_request", login="portal_tour")
        ticket = self.env["aftersales.ticket"].search([("lot_id.name", "=", "TOUR-1")])
        self.assertEqual(len(ticket), 1, "the refused attempt created nothing")
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.category_id.name, "Technical Fault")
        self.assertIn("rattles", ticket.description)

        ticket.action_assign(self.technician)
        ticket.action_accept()
        ticket.write({"resolution_cause": "Loose panel", "resolution_note": "<p>Tightened.</p>"})
        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [(6, 0, self.technician.ids)],
                "scheduled_start": "2026-03-02 08:00:00",
                "scheduled_end": "2026-03-02 10:00:00",
                "state": "done",
                "work_done": "<p>Tightened the panel.</p>",
            }
        )
        ticket.action_resolve()

        self.start_tour("/my/aftersales", "aftersales_portal_confirm", login="portal_tour")
        self.env.invalidate_all()
        self.assertTrue(ticket.customer_confirmed)
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(ticket.rating_ids.feedback, "On time and tidy.")
        self.assertEqual(visit.signed_by, "Tour Buyer")
        self.assertTrue(visit.customer_signature)
