from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBackendTours(HttpCase):
    """Each role walks its part of a ticket's life in the real web client: the
    representative records and dispatches it, the technician accepts it, works the visit
    and resolves it, the manager reads the KPIs. The tours are in
    static/tests/tours/aftersales_backend_tours.js."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        env = cls.env
        groups = "base.group_user,aftersales_service.group_aftersales_"
        cls.rep_user = new_test_user(env, "backend_tour_rep", groups=groups + "user")
        cls.tech_user = new_test_user(env, "backend_tour_tech", groups=groups + "technician")
        cls.manager_user = new_test_user(env, "backend_tour_manager", groups=groups + "manager")

        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.van = env["stock.location"].create(
            {
                "name": "Tour Van",
                "usage": "internal",
                "location_id": warehouse.lot_stock_id.id,
            }
        )
        cls.technician = env["hr.employee"].create(
            {
                "name": "Tour Technician",
                "user_id": cls.tech_user.id,
                "aftersales_location_id": cls.van.id,
            }
        )
        cls.team = env["aftersales.team"].create(
            {"name": "Tour Team", "member_ids": [Command.set(cls.technician.ids)]}
        )

        Partner = env["res.partner"]
        cls.dispatch_customer = Partner.create(
            {"name": "Tour Dispatch Customer", "is_company": True}
        )
        cls.site_customer = Partner.create({"name": "Tour Site Customer", "is_company": True})
        cls.product = env["product.product"].create(
            {"name": "Tour Compressor", "is_storable": True, "tracking": "serial"}
        )
        cls.lot = env["stock.lot"].create({"name": "TOUR-SN-1", "product_id": cls.product.id})
        cls.site_lot = env["stock.lot"].create({"name": "TOUR-SN-2", "product_id": cls.product.id})
        cls.part = env["product.product"].create(
            {"name": "Tour Contactor", "is_storable": True, "list_price": 35}
        )
        env["stock.quant"]._update_available_quantity(cls.part, cls.van, 10)
        cls.category = env.ref("aftersales_service.category_technical_fault")

    def _dispatched_ticket(self):
        """A ticket of the site customer, dispatched to the technician by the representative."""
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.rep_user)
            .create(
                {
                    "partner_id": self.site_customer.id,
                    "product_id": self.product.id,
                    "lot_id": self.site_lot.id,
                    "category_id": self.category.id,
                    "team_id": self.team.id,
                    "description": "<p>Compressor does not start.</p>",
                }
            )
        )
        ticket.action_assign(self.technician)
        return ticket.with_user(self.env.user)

    def test_rep_creates_and_dispatches_a_ticket(self):
        self.start_tour("/odoo", "aftersales_rep_dispatch", login="backend_tour_rep")
        ticket = self.env["aftersales.ticket"].search([("lot_id", "=", self.lot.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.dispatch_customer)
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.category_id, self.category)
        self.assertIn("trips the breaker", ticket.description)
        self.assertEqual(ticket.create_uid, self.rep_user)
        self.assertEqual(ticket.state, "assigned")
        self.assertEqual(ticket.technician_id, self.technician)
        self.assertTrue(ticket.date_assigned)
        self.assertTrue(ticket.date_deadline)
        self.assertFalse(ticket.date_accepted, "dispatch is not acceptance")

    def test_technician_works_the_visit_and_resolves(self):
        ticket = self._dispatched_ticket()
        # Customer service plans the visit; technicians may not create visits.
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=1)
        visit = (
            self.env["aftersales.visit"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set(self.technician.ids)],
                    "scheduled_start": start,
                    "scheduled_end": start + timedelta(hours=2),
                }
            )
            .with_user(self.env.user)
        )

        self.start_tour("/odoo", "aftersales_technician_visit", login="backend_tour_tech")

        self.env.invalidate_all()
        self.assertEqual(ticket.state, "resolved")
        self.assertEqual(ticket.technician_id, self.technician)
        self.assertTrue(ticket.date_accepted)
        self.assertTrue(ticket.date_resolved)
        self.assertEqual(ticket.resolution_cause, "Contactor contacts burnt.")
        self.assertIn("Replaced the contactor", ticket.resolution_note)
        self.assertEqual(ticket.date_arrival, visit.check_in)

        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_in)
        self.assertTrue(visit.check_out)
        self.assertIn("worn contactor", visit.work_done)
        self.assertEqual(visit.customer_opinion, "Quick and clean work.")
        self.assertEqual(visit.signed_by, "Tour Site Manager")
        self.assertTrue(visit.customer_signature)
        self.assertTrue(visit.signed_on)
        self.assertTrue(visit.report_complete)

        self.assertEqual(len(visit.part_ids), 1)
        self.assertEqual(visit.part_ids.product_id, self.part)
        self.assertEqual(visit.part_ids.quantity, 2)
        move = visit.part_ids.move_id
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_id, self.van)
        self.assertEqual(move.quantity, 2)
        self.assertEqual(visit.repair_id.state, "done")
        self.assertEqual(visit.repair_id.aftersales_ticket_id, ticket)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(self.part, self.van), 8)

    def test_manager_reads_the_kpis(self):
        ticket = self._dispatched_ticket()
        ticket.with_user(self.tech_user).action_accept()
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Loose wire", "resolution_note": "<p>Tightened it.</p>"}
        )
        ticket.with_user(self.tech_user).action_resolve()

        self.start_tour("/odoo", "aftersales_manager_kpi", login="backend_tour_manager")

        row = self.env["aftersales.kpi.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(row.technician_id, self.technician)
        self.assertEqual(row.resolved_count, 1)
