from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .test_service_execution import ExecutionCommon


class PartsCommon(ExecutionCommon):
    """Tech One's van beside the warehouse stock (not inside it), the warehouse holding
    contactors and control boards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.van.location_id = cls.warehouse.view_location_id
        cls.part.standard_price = 40
        cls.serial_part.standard_price = 300
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.part, cls.stock_location, 20)
        cls.warehouse_boards = cls.env["stock.lot"].create(
            [{"name": f"CB-W{i}", "product_id": cls.serial_part.id} for i in (1, 2, 3)]
        )
        for lot in cls.warehouse_boards:
            Quant._update_available_quantity(cls.serial_part, cls.stock_location, 1, lot_id=lot)
        cls.rep_user.aftersales_approval_limit = 500
        cls.env.ref("aftersales_service.group_aftersales_user").aftersales_approval_limit = 0

    def _request(self, lines, user=None, **vals):
        return (
            self.env["aftersales.part.request"]
            .with_user(user or self.tech_user)
            .create(
                {
                    "employee_id": self.tech.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": quantity})
                        for product, quantity in lines
                    ],
                    **vals,
                }
            )
        )

    def _available(self, product, location, lot=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location, lot_id=lot, strict=True
        )


@tagged("post_install", "-at_install")
class TestPartRequests(PartsCommon):
    def test_approved_request_brings_the_parts_to_the_van(self):
        ticket = self._unit_ticket()
        request = self._request([(self.part, 3), (self.serial_part, 1)], ticket_id=ticket.id)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.amount_total, 3 * 40 + 300)
        self.assertEqual(request.location_dest_id, self.van)
        self.assertEqual(request.location_id, self.stock_location)
        self.assertRegex(request.name, r"^APR\d{4}-\d{5}$")

        request.with_user(self.rep_user).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.rep_user)
        picking = request.picking_id
        self.assertEqual(picking.picking_type_id, self.warehouse.int_type_id)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(
            (picking.location_id, picking.location_dest_id), (self.stock_location, self.van)
        )
        self.assertEqual(picking.aftersales_ticket_id, ticket)

        van_parts = self._available(self.part, self.van)
        request.with_user(self.tech_user).action_receive()
        self.assertEqual(request.state, "done")
        self.assertTrue(request.date_received)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._available(self.part, self.van), van_parts + 3, "van up by 3")
        self.assertEqual(self._available(self.part, self.stock_location), 17)
        board = picking.move_line_ids.filtered(lambda ml: ml.product_id == self.serial_part).lot_id
        self.assertIn(board, self.warehouse_boards)
        self.assertEqual(self._available(self.serial_part, self.van, board), 1)

    def test_above_the_limit_a_manager_approves(self):
        request = self._request([(self.serial_part, 2)])  # 600 > 500
        request.with_user(self.rep_user).action_approve()
        self.assertEqual(request.state, "escalated")
        self.assertFalse(request.picking_id)
        self.assertIn(self.manager_user, request.activity_ids.user_id)
        request.with_user(self.manager_user).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.picking_id.state, "assigned")
        self.assertFalse(request.activity_ids)

    def test_group_limit_counts_and_decided_once(self):
        request = self._request([(self.serial_part, 2)])
        self.env.ref("aftersales_service.group_aftersales_user").aftersales_approval_limit = 1000
        request.with_user(self.rep_user).action_approve()
        self.assertEqual(request.state, "approved")
        # The decision is re-read under the lock: a second approval is refused in words.
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.manager_user).action_approve()
        self.assertEqual(len(self.env["stock.picking"].search([("origin", "=", request.name)])), 1)

    def test_validated_in_inventory_closes_the_request(self):
        request = self._request([(self.part, 2)])
        request.with_user(self.rep_user).action_approve()
        picking = request.picking_id.with_user(self.rep_user)
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(request.state, "done")

    def test_refusal_needs_a_reason(self):
        request = self._request([(self.part, 2)])
        with self.assertRaisesRegex(UserError, "Give a reason"):
            request.with_user(self.rep_user).action_refuse("  ")
        request.with_user(self.rep_user).action_refuse("Van already full")
        self.assertEqual(request.state, "refused")
        self.assertEqual(request.refuse_reason, "Van already full")
        with self.assertRaisesRegex(UserError, "not on its way"):
            request.with_user(self.tech_user).action_receive()

    def test_bad_requests_in_words(self):
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._request([(self.part, 0)])
        consumable = self.env["product.product"].create({"name": "Rag", "type": "consu"})
        with self.assertRaisesRegex(ValidationError, "not tracked in stock"):
            self._request([(consumable, 1)])
        with self.assertRaisesRegex(ValidationError, "no service van"):
            self.env["aftersales.part.request"].with_user(self.rep_user).create(
                {"employee_id": self.tech2.id}
            )
        empty = self._request([])
        with self.assertRaisesRegex(UserError, "asks for no part"):
            empty.with_user(self.rep_user).action_approve()

    def test_van_inside_the_warehouse_stock_is_refused(self):
        self.van.location_id = self.stock_location
        request = self._request([(self.part, 1)])
        with self.assertRaisesRegex(UserError, "inside"):
            request.with_user(self.rep_user).action_approve()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(request.picking_id)

    def test_short_warehouse_is_said_and_nothing_moves(self):
        request = self._request([(self.part, 25)])
        self.rep_user.aftersales_approval_limit = 5000
        request.with_user(self.rep_user).action_approve()
        before = self._available(self.part, self.van)
        with self.assertRaisesRegex(UserError, r"Contactor \(20/25\)"):
            request.with_user(self.tech_user).action_receive()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self._available(self.part, self.van), before)

    def test_roles(self):
        request = self._request([(self.part, 1)])
        # Technicians ask; they do not approve, and they ask for their own van only.
        with self.assertRaises(AccessError):
            request.with_user(self.tech_user).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.analyst_user).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.tech2_user).read(["name"])
        self.tech2.aftersales_location_id = self.van
        with self.assertRaises(AccessError):
            self.env["aftersales.part.request"].with_user(self.tech_user).create(
                {"employee_id": self.tech2.id}
            )
        with self.assertRaises(AccessError):
            request.with_user(self.analyst_user).write({"reason": "x"})
        request.with_user(self.analyst_user).read(["name", "amount_total"])
        # Statuses and transfers are the buttons'.
        with self.assertRaises(AccessError):
            request.with_user(self.tech_user).write({"state": "approved"})
        with self.assertRaises(AccessError):
            request.line_ids.with_user(self.tech_user).write({"amount": 1})
        # Customer service asks for a technician too.
        for_him = self._request([(self.part, 1)], user=self.rep_user)
        self.assertEqual(for_him.employee_id, self.tech)
        # Once decided, the parts are fixed.
        request.with_user(self.rep_user).action_approve()
        with self.assertRaisesRegex(UserError, "decided"):
            request.line_ids.with_user(self.tech_user).write({"quantity": 5})
        with self.assertRaisesRegex(UserError, "decided"):
            request.with_user(self.tech_user).write(
                {"line_ids": [Command.create({"product_id": self.part.id, "quantity": 1})]}
            )
        with self.assertRaises(UserError):
            request.line_ids.with_user(self.tech_user).unlink()
        # Another technician does not receive it.
        with self.assertRaises(AccessError):
            request.with_user(self.tech2_user).action_receive()

    def test_form(self):
        form = Form(self.env["aftersales.part.request"].with_user(self.tech_user))
        self.assertEqual(form.employee_id, self.tech)
        with form.line_ids.new() as line:
            line.product_id = self.part
            line.quantity = 2
        request = form.save()
        self.assertEqual(request.amount_total, 80)


@tagged("post_install", "-at_install")
class TestVanReorderingRules(PartsCommon):
    def _consume(self, product, quantity):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write(
            {"part_ids": [Command.create({"product_id": product.id, "quantity": quantity})]}
        )
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()

    def test_propose_from_consumption_then_restock(self):
        self.company.aftersales_van_rule_months = 2
        self._consume(self.part, 3)
        self._consume(self.part, 2)
        self.tech.with_user(self.rep_user).action_aftersales_propose_van_rules()
        rule = self.env["stock.warehouse.orderpoint"].search([("location_id", "=", self.van.id)])
        self.assertEqual(rule.product_id, self.part)
        # 5 used in 2 months: 2.5 a month, minimum 3, maximum 5.
        self.assertEqual((rule.product_min_qty, rule.product_max_qty), (3, 5))
        # Proposed again: the rule is updated, not duplicated.
        self.tech.with_user(self.rep_user).action_aftersales_propose_van_rules()
        self.assertEqual(
            self.env["stock.warehouse.orderpoint"].search_count(
                [("location_id", "=", self.van.id)]
            ),
            1,
        )
        # 10 - 5 = 5 left: at least the minimum, nothing to restock.
        with self.assertRaisesRegex(UserError, "at least the minimum"):
            self.tech.with_user(self.rep_user).action_aftersales_restock_van()
        rule.product_min_qty = 6
        rule.product_max_qty = 8
        action = self.tech.with_user(self.rep_user).action_aftersales_restock_van()
        request = self.env["aftersales.part.request"].browse(action["res_id"])
        self.assertEqual(request.line_ids.product_id, self.part)
        self.assertEqual(request.line_ids.quantity, 3)
        with self.assertRaises(AccessError):
            self.tech.with_user(self.tech_user).action_aftersales_propose_van_rules()

    def test_restock_every_van_from_the_list(self):
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        Orderpoint.create(
            {
                "product_id": self.part.id,
                "location_id": self.van.id,
                "product_min_qty": 12,
                "product_max_qty": 15,
                "trigger": "manual",
            }
        )
        Request = self.env["aftersales.part.request"].with_user(self.rep_user)
        action = Request.action_restock_vans()
        request = Request.search(action["domain"])
        self.assertEqual(request.employee_id, self.tech)
        self.assertEqual(request.line_ids.quantity, 5, "10 in the van, up to 15")
        # The request on its way counts in the forecast: nothing more to ask.
        request.action_approve()
        with self.assertRaisesRegex(UserError, "at least the minimum"):
            Request.action_restock_vans()
        with self.assertRaises(AccessError):
            Request.with_user(self.tech_user).action_restock_vans()


@tagged("post_install", "-at_install")
class TestDefectiveReturns(PartsCommon):
    def _replace(self, parts):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write({"part_ids": [Command.create(p) for p in parts]})
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()
        return visit

    def test_replaced_parts_come_back_to_the_defective_location(self):
        visit = self._replace(
            [
                {"product_id": self.part.id, "quantity": 2},
                {"product_id": self.serial_part.id, "lot_id": self.board_lots[0].id},
            ]
        )
        returns = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        self.assertEqual(len(returns), 2)
        contactor = returns.filtered(lambda r: r.product_id == self.part)
        board = returns - contactor
        self.assertEqual(contactor.quantity, 2)
        self.assertEqual(board.installed_lot_id, self.board_lots[0])
        self.assertEqual(set(returns.mapped("state")), {"expected"})
        self.assertEqual(returns.employee_id, self.tech)
        self.assertEqual(contactor.date_due, contactor._today() + timedelta(days=7))
        self.assertEqual(contactor.repair_id, visit.repair_id)

        defective = self.company._aftersales_defective_location()
        self.assertEqual(defective.location_id, self.warehouse.view_location_id)
        contactor.with_user(self.rep_user).action_receive()
        self.assertEqual(contactor.state, "received")
        self.assertEqual(self._available(self.part, defective), 2, "defective location up by 2")
        self.assertEqual(
            [(m.location_id, m.location_dest_id) for m in contactor.move_ids],
            [(self.env.ref("stock.stock_location_customers"), self.van), (self.van, defective)],
        )
        self.assertEqual(set(contactor.move_ids.mapped("state")), {"done"})

        # A serial part comes back with the removed unit's serial, typed by the technician.
        with self.assertRaisesRegex(UserError, "removed part's serial"):
            board.with_user(self.rep_user).action_receive()
        board.with_user(self.tech_user).removed_serial = "CB-OLD-9"
        board.with_user(self.rep_user).action_receive()
        self.assertEqual(board.lot_id.name, "CB-OLD-9")
        self.assertEqual(self._available(self.serial_part, defective, board.lot_id), 1)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            board.with_user(self.tech_user).removed_serial = "CB-OTHER"
        # The unit's warranty is not touched by the part coming back.
        self.assertFalse(self.env["aftersales.warranty"].search([("lot_id", "=", board.lot_id.id)]))

        # Inspection: scrap takes it out of the Defective Parts location.
        with self.assertRaisesRegex(UserError, "Choose the outcome"):
            board.with_user(self.rep_user).action_inspect()
        board.with_user(self.rep_user).write({"outcome": "scrap", "inspection_note": "Burnt"})
        board.with_user(self.rep_user).action_inspect()
        self.assertEqual(board.state, "inspected")
        self.assertEqual(board.scrap_id.state, "done")
        self.assertEqual(self._available(self.serial_part, defective, board.lot_id), 0)
        contactor.with_user(self.rep_user).write({"outcome": "refurbish"})
        contactor.with_user(self.rep_user).action_inspect()
        self.assertEqual(self._available(self.part, defective), 2, "kept to refurbish")
        with self.assertRaises(UserError):
            contactor.with_user(self.rep_user).write({"outcome": "scrap"})

    def test_overdue_returns_are_flagged_fined_and_scored(self):
        rule = self.env.ref("aftersales_service.penalty_rule_defective_overdue")
        rule.company_id = self.company
        visit = self._replace([{"product_id": self.part.id, "quantity": 1}])
        late = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        Return = self.env["aftersales.defective.return"]
        Return._cron_flag_overdue()
        self.assertFalse(late.is_overdue, "not due yet")
        late.sudo().date_due = late._today() - timedelta(days=1)
        Return._cron_flag_overdue()
        self.assertTrue(late.is_overdue)
        penalty = self.env["aftersales.penalty"].search(
            [("rule_id", "=", rule.id), ("employee_id", "=", self.tech.id)]
        )
        self.assertEqual(len(penalty), 1)
        self.assertEqual(penalty.state, "draft")
        self.assertEqual(penalty.visit_id, visit)
        Return._cron_flag_overdue()
        self.assertEqual(
            self.env["aftersales.penalty"].search_count(
                [("rule_id", "=", rule.id), ("employee_id", "=", self.tech.id)]
            ),
            1,
            "once",
        )
        employee = self.tech.with_user(self.analyst_user)
        in_month = late.date_due >= late._today().replace(day=1)
        self.assertEqual(employee.aftersales_month_defective_overdue, int(in_month))

    def test_roles(self):
        visit = self._replace([{"product_id": self.part.id, "quantity": 1}])
        defective = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        # The technician records his note; he does not receive or inspect.
        defective.with_user(self.tech_user).note = "Contacts pitted"
        with self.assertRaises(AccessError):
            defective.with_user(self.tech_user).action_receive()
        with self.assertRaises(AccessError):
            defective.with_user(self.tech_user).write({"outcome": "scrap"})
        with self.assertRaises(AccessError):
            defective.with_user(self.tech2_user).read(["name"])
        with self.assertRaises(AccessError):
            defective.with_user(self.tech_user).write({"is_overdue": True})
        with self.assertRaises(AccessError):
            defective.with_user(self.analyst_user).action_receive()
        with self.assertRaises(AccessError):
            self.env["aftersales.defective.return"].with_user(self.rep_user).create(
                {"ticket_id": visit.ticket_id.id, "product_id": self.part.id}
            )
        defective.with_user(self.analyst_user).read(["name", "state"])
        defective.with_user(self.rep_user).action_receive()
        with self.assertRaisesRegex(UserError, "already received"):
            defective.with_user(self.rep_user).action_receive()
