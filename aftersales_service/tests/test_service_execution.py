from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .warranty_common import WarrantyCommon


class ExecutionCommon(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.van = cls.env["stock.location"].create(
            {"name": "Van Tech One", "usage": "internal", "location_id": cls.stock_location.id}
        )
        cls.tech.aftersales_location_id = cls.van
        cls.part = cls.env["product.product"].create(
            {"name": "Contactor", "is_storable": True, "list_price": 50}
        )
        cls.serial_part = cls.env["product.product"].create(
            {"name": "Control Board", "is_storable": True, "tracking": "serial", "list_price": 400}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.van, 10)
        cls.board_lots = cls.env["stock.lot"].create(
            [{"name": f"CB-{i}", "product_id": cls.serial_part.id} for i in (1, 2)]
        )
        for lot in cls.board_lots:
            cls.env["stock.quant"]._update_available_quantity(
                cls.serial_part, cls.van, 1, lot_id=lot
            )
        cls.unit = cls._stock_serials(cls.product, ["EX-1"])
        cls.order = cls._sell([(cls.product, 1)])
        with freeze_time("2026-05-01 08:00:00"):
            cls._deliver_order(cls.order)

    def _visit(self, ticket, **vals):
        return (
            self.env["aftersales.visit"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set(self.tech.ids)],
                    "scheduled_start": "2026-05-04 08:00:00",
                    "scheduled_end": "2026-05-04 10:00:00",
                    **vals,
                }
            )
        )

    def _unit_ticket(self, **vals):
        with self._at("2026-05-04 07:00:00"):
            ticket = self._ticket(lot_id=self.unit.id, **vals)
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        return ticket


@tagged("post_install", "-at_install")
class TestVisits(ExecutionCommon):
    def test_visit_lifecycle_and_arrival_time(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        self.assertEqual(visit.state, "planned")
        self.assertEqual(visit.address_id, ticket.partner_id)
        with freeze_time("2026-05-04 08:10:00"):
            visit.with_user(self.tech_user).action_depart()
        with freeze_time("2026-05-04 08:40:00"):
            visit.with_user(self.tech_user).action_check_in("Gate 3, building B")
        self.assertEqual(visit.state, "on_site")
        self.assertEqual(ticket.date_arrival, datetime(2026, 5, 4, 8, 40))
        self.assertEqual(visit.travel_hours, 0.5)
        with freeze_time("2026-05-04 10:10:00"):
            visit.with_user(self.tech_user).action_check_out()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.work_hours, 1.5)
        second = self._visit(
            ticket, scheduled_start="2026-05-05 08:00:00", scheduled_end="2026-05-05 09:00:00"
        )
        with freeze_time("2026-05-05 08:05:00"):
            second.with_user(self.tech_user).action_check_in()
        self.assertEqual(
            ticket.date_arrival, datetime(2026, 5, 4, 8, 40), "arrival is the first check-in"
        )
        with self.assertRaisesRegex(UserError, "is done"):
            visit.with_user(self.tech_user).action_check_in()

    def test_bad_schedule_and_technician_without_user(self):
        ticket = self._unit_ticket()
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            self._visit(ticket, scheduled_end="2026-05-04 07:00:00")
        with self.assertRaisesRegex(ValidationError, "no user account"):
            self._visit(ticket, technician_ids=[Command.set(self.employee_without_user.ids)])

    def test_parts_used_leave_the_van_through_a_repair_order(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write(
            {
                "part_ids": [
                    Command.create({"product_id": self.part.id, "quantity": 2}),
                    Command.create(
                        {"product_id": self.serial_part.id, "lot_id": self.board_lots[1].id}
                    ),
                ]
            }
        )
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(self.part, self.van), 8)
        self.assertEqual(
            Quant._get_available_quantity(self.serial_part, self.van, lot_id=self.board_lots[1]), 0
        )
        self.assertEqual(
            Quant._get_available_quantity(self.serial_part, self.van, lot_id=self.board_lots[0]), 1
        )
        repair = visit.repair_id
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.aftersales_ticket_id, ticket)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(set(visit.part_ids.move_id.mapped("state")), {"done"})
        self.assertEqual(
            ticket.part_move_ids, visit.part_ids.move_id, "parts roll up to the ticket"
        )
        with self.assertRaisesRegex(ValidationError, "already taken out of stock"):
            visit.part_ids[0].quantity = 5

    def test_technicians_change_only_their_visits(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        with self.assertRaises(AccessError):
            self.env["aftersales.visit"].with_user(self.tech_user).create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [Command.set(self.tech.ids)],
                    "scheduled_start": "2026-05-04 08:00:00",
                    "scheduled_end": "2026-05-04 09:00:00",
                }
            )
        with self.assertRaises(AccessError):
            visit.with_user(self.tech2_user).write({"work_done": "<p>not mine</p>"})
        with self.assertRaises(AccessError):
            visit.with_user(self.tech2_user).action_check_in()
        visit.with_user(self.tech_user).write({"work_done": "<p>mine</p>"})
        with self.assertRaises(AccessError):
            visit.with_user(self.analyst_user).write({"work_done": "<p>analyst</p>"})
        self.assertEqual(visit.with_user(self.analyst_user).state, "planned")

    def test_report_completeness_flag(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()
        self.assertTrue(visit.is_report_incomplete, "closing is allowed but flagged")
        complete = self._visit(ticket)
        ticket.with_user(self.tech_user).resolution_cause = "Worn contactor"
        complete.with_user(self.tech_user).write(
            {
                "work_done": "<p>Replaced the contactor</p>",
                "no_parts_used": True,
                "customer_opinion": "Fine",
            }
        )
        complete.with_user(self.tech_user).action_check_in()
        complete.with_user(self.tech_user).action_check_out()
        self.assertTrue(complete.report_complete)
        self.assertFalse(complete.is_report_incomplete)

    def test_service_report_renders(self):
        ticket = self._unit_ticket()
        ticket.with_user(self.tech_user).resolution_cause = "Condensate trap blocked"
        visit = self._visit(
            ticket, work_done="<p>Cleared the trap</p>", customer_opinion="Very good"
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_visit", visit.ids
        )
        self.assertIn("Condensate trap blocked", html.decode())
        self.assertIn("After-Sales Service Report", html.decode())
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_ticket_service", ticket.ids
        )
        self.assertIn("Cleared the trap", html.decode())
        self.assertIn("Very good", html.decode())
        # The PDF itself comes from wkhtmltopdf, which fetches the styles over HTTP: checked
        # by hand (pdftoppm), not in the test run.

    def test_signed_installation_report_starts_the_warranty(self):
        self.rule_product.start_basis = "installation"
        unit = self._stock_serials(self.product, ["INST-1"])
        with freeze_time("2026-05-20 09:00:00"):
            self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=unit)
        self.assertEqual(warranty.state, "pending")
        ticket = self._ticket(
            lot_id=unit.id, category_id=self.env.ref("aftersales_service.category_installation").id
        )
        visit = self._visit(ticket)
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_visit", visit.ids
        )
        self.assertIn("Installation and Commissioning Report", html.decode())
        technician_visit = visit.with_user(self.tech_user)
        technician_visit.action_check_in()
        with freeze_time("2026-06-01 09:00:00"):
            technician_visit.action_sign("iVBORw0KGgo=", "Site manager")
        self.assertEqual(str(warranty.date_start), "2026-06-01")


@tagged("post_install", "-at_install")
class TestRepairAndPaidService(ExecutionCommon):
    def test_repair_order_linked_both_ways(self):
        ticket = self._unit_ticket()
        action = ticket.with_user(self.rep_user).action_create_repair()
        repair = self.env["repair.order"].browse(action["res_id"])
        self.assertEqual(repair.aftersales_ticket_id, ticket)
        self.assertEqual(ticket.repair_ids, repair)
        self.assertEqual(repair.lot_id, self.unit)
        self.assertEqual(repair.partner_id, self.customer)
        self.assertTrue(repair.under_warranty)
        self.assertEqual(ticket.repair_count, 1)
        out = self._ticket(lot_id=self.lot.id)  # no registration: out of warranty
        out.with_user(self.rep_user).action_assign(self.tech)
        out.with_user(self.tech_user).action_accept()
        action = out.with_user(self.rep_user).action_create_repair()
        self.assertFalse(self.env["repair.order"].browse(action["res_id"]).under_warranty)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_user).action_create_repair()

    def test_paid_quotation_gates_the_work_and_is_invoiced(self):
        ticket = self._ticket(lot_id=self.lot.id)
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        self.assertEqual(ticket.warranty_state, "none")
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write(
            {"part_ids": [Command.create({"product_id": self.part.id})]}
        )
        action = ticket.with_user(self.rep_user).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.aftersales_ticket_id, ticket)
        self.assertEqual(ticket.quotation_status, "waiting")
        self.assertIn(
            self.env.ref("aftersales_service.product_service_labour"), order.order_line.product_id
        )
        self.assertIn(self.part, order.order_line.product_id)
        with self.assertRaisesRegex(UserError, "has not accepted quotation"):
            visit.with_user(self.tech_user).action_check_in()
        order.action_confirm()
        self.assertEqual(ticket.quotation_status, "accepted")
        self.assertEqual(ticket.quotation_count, 1)
        visit.with_user(self.tech_user).action_check_in()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(ticket.quotation_status, "invoiced")


@tagged("post_install", "-at_install")
class TestFeeWaivers(ExecutionCommon):
    def _waiver(self, amount, order=None):
        ticket = self._ticket(lot_id=self.lot.id)
        if order:
            order.aftersales_ticket_id = ticket  # a waiver reduces its own ticket's quotation
        return (
            self.env["aftersales.fee.waiver"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "amount": amount,
                    "reason": "Long-standing customer",
                    "sale_order_id": order.id if order else False,
                }
            )
        )

    def test_within_the_limit(self):
        self.rep_user.aftersales_approval_limit = 500
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.part.id, "price_unit": 1000})],
            }
        )
        waiver = self._waiver(300, order)
        waiver.with_user(self.rep_user).action_approve()
        self.assertEqual(waiver.state, "approved")
        self.assertEqual(waiver.decided_by_id, self.rep_user)
        self.assertEqual(waiver.sudo().sale_line_ids.price_unit, -300)
        self.assertIn("approved by", waiver.ticket_id.message_ids[0].body)

    def test_above_the_limit_goes_to_a_manager(self):
        self.rep_user.aftersales_approval_limit = 100
        waiver = self._waiver(800)
        waiver.with_user(self.rep_user).action_approve()
        self.assertEqual(waiver.state, "escalated")
        self.assertIn(self.manager_user, waiver.activity_ids.user_id)
        waiver.with_user(self.manager_user).action_approve()
        self.assertEqual(waiver.state, "approved")
        self.assertEqual(waiver.decided_by_id, self.manager_user)

    def test_group_limit_counts(self):
        self.env.ref("aftersales_service.group_aftersales_user").aftersales_approval_limit = 1000
        waiver = self._waiver(800)
        waiver.with_user(self.rep_user).action_approve()
        self.assertEqual(waiver.state, "approved")

    def test_refusal_and_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "positive"):
            self._waiver(0)
        waiver = self._waiver(50)
        with self.assertRaisesRegex(UserError, "reason"):
            waiver.with_user(self.rep_user).action_refuse("")
        waiver.with_user(self.rep_user).action_refuse("Not justified")
        self.assertEqual(waiver.state, "refused")
        with self.assertRaisesRegex(UserError, "already decided"):
            waiver.with_user(self.manager_user).action_approve()
        with self.assertRaises(AccessError):
            self.env["aftersales.fee.waiver"].with_user(self.tech_user).create(
                {"ticket_id": waiver.ticket_id.id, "amount": 10, "reason": "x"}
            )


@tagged("post_install", "-at_install")
class TestReturnExchangeRefund(ExecutionCommon):
    def _wizard(self, ticket, mode, liability="production"):
        return (
            self.env["aftersales.ticket.return"]
            .with_user(self.rep_user)
            .create({"ticket_id": ticket.id, "mode": mode, "liability": liability})
        )

    def test_return_only(self):
        ticket = self._unit_ticket()
        action = self._wizard(ticket, "return", "supplier").action_confirm()
        picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(picking.aftersales_ticket_id, ticket)
        self.assertEqual(picking.location_id.usage, "customer")
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, self.unit)
        self.assertEqual(ticket.liability, "supplier")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertTrue(ticket.warranty_id.is_void)

    def test_exchange_creates_a_replacement_delivery(self):
        replacement = self._stock_serials(self.product, ["EX-2"])
        ticket = self._unit_ticket()
        self._wizard(ticket, "exchange").action_confirm()
        deliveries = self.order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
        self.assertEqual(len(deliveries), 1)
        self.assertEqual(deliveries.aftersales_ticket_id, ticket)
        deliveries.action_assign()
        self._validate(deliveries)
        new = self._registrations(lot_id=replacement, is_void=False)
        self.assertEqual(len(new), 1)

    def test_refund_drafts_a_credit_note_for_the_unit(self):
        invoice = self.order._create_invoices()
        invoice.action_post()
        ticket = self._unit_ticket()
        self._wizard(ticket, "refund", "transport").action_confirm()
        credit_note = self.env["account.move"].search([("aftersales_ticket_id", "=", ticket.id)])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.invoice_line_ids.product_id, self.product)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)

    def test_refund_needs_an_invoice_and_a_delivery(self):
        ticket = self._unit_ticket()
        with self.assertRaisesRegex(UserError, "no posted invoice"):
            self._wizard(ticket, "refund").action_confirm()
        orphan = self._ticket(lot_id=self.lot.id)
        with self.assertRaisesRegex(UserError, "No delivery"):
            self._wizard(orphan, "return").action_confirm()
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket.return"].with_user(self.tech_user).create(
                {"ticket_id": ticket.id, "mode": "return", "liability": "unknown"}
            )
