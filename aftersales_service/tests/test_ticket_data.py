from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketData(AftersalesCommon):
    def test_serial_must_belong_to_product(self):
        with self.assertRaisesRegex(ValidationError, "TCH-0001 belongs to Test Chiller"):
            self._ticket(product_id=self.product.id, lot_id=self.other_lot.id)
        ticket = self._ticket()
        # assertRaises (not ...Regex) rolls back to a savepoint, like a failed request.
        with self.assertRaises(ValidationError) as error:
            ticket.write({"product_id": self.other_product.id})
        self.assertIn("belongs to Test Compressor, not to Test Chiller", str(error.exception))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.product_id, self.product)

    def test_serial_fills_the_product(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.rep_user))
        form.partner_id = self.customer
        form.lot_id = self.other_lot
        self.assertEqual(form.product_id, self.other_product)
        ticket = form.save()
        self.assertEqual(ticket.product_id, self.other_product)

    def test_customer_fills_contact_details(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.rep_user))
        form.partner_id = self.customer_contact
        self.assertEqual(form.contact_name, "Acme Buyer")
        self.assertEqual(form.email, "buyer@acme.example.com")
        form.phone = "+86 139 0000 0000"
        ticket = form.save()
        self.assertEqual(ticket.phone, "+86 139 0000 0000")
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.channel, "phone")
        self.assertEqual(ticket.priority, "1")

    def test_sale_order_must_be_the_customers(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.other_customer.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        with self.assertRaisesRegex(ValidationError, "was sold to Other Co"):
            self._ticket(sale_order_id=order.id)
        order.partner_id = self.customer_contact
        self.assertEqual(self._ticket(sale_order_id=order.id).sale_order_id, order)

    def test_technician_must_have_a_user(self):
        ticket = self._ticket()
        with self.assertRaisesRegex(ValidationError, "no user account"):
            ticket.sudo().technician_id = self.employee_without_user

    def test_one_customer_one_file(self):
        first = self._ticket()
        second = self._ticket(partner_id=self.customer_contact.id)
        other_serial = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
        other_customer = self._ticket(partner_id=self.other_customer.id)
        self.assertEqual(first.partner_ticket_ids, second | other_serial)
        self.assertEqual(first.partner_ticket_count, 2)
        self.assertEqual(first.lot_ticket_ids, second | other_customer)
        self.assertEqual(other_serial.lot_ticket_count, 0)
        self.assertEqual(self.customer.with_user(self.rep_user).aftersales_ticket_count, 3)
        self.assertEqual(self.customer_contact.with_user(self.rep_user).aftersales_ticket_count, 3)
        self.assertEqual(self.lot.with_user(self.rep_user).aftersales_ticket_count, 3)
        action = self.customer_contact.action_view_aftersales_tickets()
        self.assertEqual(
            self.env["aftersales.ticket"].search(action["domain"]), first | second | other_serial
        )
        action = first.action_view_lot_tickets()
        self.assertEqual(
            self.env["aftersales.ticket"].search(action["domain"]), first | second | other_customer
        )

    def test_history_respects_record_rules(self):
        mine = self._ticket()
        west = self._ticket(team_id=self.team_west.id)
        self.assertEqual(
            mine.with_user(self.tech_user).partner_ticket_ids, self.env["aftersales.ticket"]
        )
        self.assertEqual(mine.with_user(self.rep_user).partner_ticket_ids, west)

    def test_acknowledgement_and_resolution_mails(self):
        Ticket = self.env["aftersales.ticket"].with_context(aftersales_no_customer_mail=False)
        ticket = Ticket.with_user(self.rep_user).create(
            {"partner_id": self.customer.id, "description": "<p>Noise</p>"}
        )
        ack = ticket.message_ids.filtered(
            lambda m: "we received your service request" in (m.subject or "")
        )
        self.assertEqual(len(ack), 1)
        self.assertIn(ticket.name, ack.subject)
        self.assertEqual(ack.partner_ids, self.customer)
        ticket = ticket.with_context(aftersales_no_customer_mail=False)
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Loose fan", "resolution_note": "<p>Tightened the fan.</p>"}
        )
        ticket.with_user(self.tech_user).action_resolve()
        resolved = ticket.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        self.assertEqual(resolved.partner_ids, self.customer)
        self.assertIn("Loose fan", resolved.body)

    def test_no_mail_without_customer_email(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_context(aftersales_no_customer_mail=False)
            .with_user(self.rep_user)
            .create({"partner_id": self.other_customer.id})
        )
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: m.subject and "received" in m.subject)
        )

    def test_seed_categories(self):
        names = set(self.env["aftersales.category"].search([]).mapped("name"))
        self.assertLessEqual(
            {"Technical Fault", "Quality Problem", "Operation Guidance", "Complaint"}, names
        )

    def test_team_leader_becomes_member(self):
        team = self.env["aftersales.team"].create(
            {"name": "Night shift", "leader_id": self.tech.id}
        )
        self.assertEqual(team.member_ids, self.tech)
        team.leader_id = self.tech2
        self.assertEqual(team.member_ids, self.tech | self.tech2)
        self._ticket(team_id=team.id)
        self.assertEqual(team.open_ticket_count, 1)

    def test_demo_data_covers_every_state_and_role(self):
        demo_tickets = (
            self.env["aftersales.ticket"].search(
                [("partner_id", "=", self.env.ref("aftersales_service.partner_huaxin").id)]
            )
            if self.env.ref("aftersales_service.partner_huaxin", raise_if_not_found=False)
            else None
        )
        if demo_tickets is None:
            self.skipTest("Database installed without demo data")
        all_demo = self.env["aftersales.ticket"].browse(
            [self.env.ref(f"aftersales_service.ticket_t{i:02d}").id for i in range(1, 21)]
        )
        self.assertEqual(
            set(all_demo.mapped("state")),
            {"new", "assigned", "in_progress", "waiting", "resolved", "closed", "cancelled"},
        )
        for login, group in (
            ("as_tech", "group_aftersales_technician"),
            ("as_rep", "group_aftersales_user"),
            ("as_manager", "group_aftersales_manager"),
            ("as_analyst", "group_aftersales_analyst"),
        ):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertTrue(user.has_group(f"aftersales_service.{group}"), login)
        # Demo serials were really delivered to the customers of their tickets.
        for ticket in all_demo.filtered("lot_id"):
            delivered_to = (
                self.env["stock.move.line"]
                .search(
                    [
                        ("lot_id", "=", ticket.lot_id.id),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ]
                )
                .picking_id.partner_id.commercial_partner_id
            )
            self.assertEqual(delivered_to, ticket.commercial_partner_id, ticket.name)
