from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_parts import PartsCommon


class CenterConsignmentCommon(PartsCommon):
    """A service centre with consignment stock, beside Tech One's van and the warehouse
    holding 20 contactors (40 each) and three control boards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.center = cls.env["res.partner"].create(
            {"name": "Centre East", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.center.with_user(cls.rep_user).action_create_consignment_location()
        cls.consignment = cls.center.aftersales_consignment_location_id

    def _ship(self, lines):
        """A parts request to the centre, approved and received: 3 contactors cost 120."""
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.rep_user)
            .create(
                {
                    "service_center_id": self.center.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": quantity})
                        for product, quantity in lines
                    ],
                }
            )
        )
        request.with_user(self.rep_user).action_approve()
        request.with_user(self.rep_user).action_receive()
        return request

    def _center_visit(self, parts):
        # A centre's visit has the centre and no employee technician; the centre's portal
        # steps run the same methods in sudo (tests/test_center_portal.py).
        ticket = self._unit_ticket()
        ticket._aftersales_method_write({"service_center_id": self.center.id})
        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "service_center_id": self.center.id,
                "scheduled_start": "2026-05-04 08:00:00",
                "scheduled_end": "2026-05-04 10:00:00",
            }
        )
        visit.write({"part_ids": [Command.create(p) for p in parts]})
        visit.action_check_in()
        visit.action_check_out()
        return visit


@tagged("post_install", "-at_install")
class TestCenterConsignment(CenterConsignmentCommon):
    def test_consignment_location_is_created_once_beside_the_warehouse_stock(self):
        self.assertEqual(self.consignment.usage, "internal")
        self.assertEqual(self.consignment.company_id, self.company)
        parent = self.consignment.location_id
        self.assertEqual(parent, self.company.aftersales_center_location_id)
        self.assertEqual(parent.location_id, self.warehouse.view_location_id)
        self.assertFalse(
            self.consignment.parent_path.startswith(self.stock_location.parent_path),
            "never reserved for deliveries",
        )
        self.center.with_user(self.rep_user).action_create_consignment_location()
        self.assertEqual(self.center.aftersales_consignment_location_id, self.consignment)
        other = self.env["res.partner"].create(
            {"name": "Centre West", "aftersales_is_service_center": True}
        )
        other.with_user(self.rep_user).action_create_consignment_location()
        self.assertEqual(other.aftersales_consignment_location_id.location_id, parent)
        customer = self.env["res.partner"].create({"name": "Not a centre"})
        with self.assertRaisesRegex(UserError, "is not a service centre"):
            customer.with_user(self.rep_user).action_create_consignment_location()
        with self.assertRaises(AccessError):
            other.with_user(self.tech_user).action_create_consignment_location()

    def test_parts_request_ships_to_the_consignment_stock(self):
        request = self._ship([(self.part, 3), (self.serial_part, 1)])
        self.assertFalse(request.employee_id)
        self.assertEqual(request.location_dest_id, self.consignment)
        self.assertEqual(request.state, "done")
        picking = request.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            (picking.location_id, picking.location_dest_id), (self.stock_location, self.consignment)
        )
        self.assertEqual(self._available(self.part, self.consignment), 3)
        self.assertEqual(self._available(self.part, self.stock_location), 17)
        self.assertEqual(
            sum(
                self._available(self.serial_part, self.consignment, lot)
                for lot in self.warehouse_boards
            ),
            1,
        )
        self.assertEqual(self._available(self.part, self.van), 10, "the van is untouched")

    def test_centre_requests_need_consignment_stock_and_customer_service(self):
        bare = self.env["res.partner"].create(
            {"name": "Centre Bare", "aftersales_is_service_center": True}
        )
        Request = self.env["aftersales.part.request"]
        line = [Command.create({"product_id": self.part.id, "quantity": 1})]
        with self.assertRaisesRegex(ValidationError, "has no consignment stock"):
            Request.with_user(self.rep_user).create(
                {"service_center_id": bare.id, "line_ids": line}
            )
        with self.assertRaises(AccessError):
            Request.with_user(self.tech_user).create(
                {"service_center_id": self.center.id, "line_ids": line}
            )
        with self.assertRaisesRegex(ValidationError, "van or to a service centre"):
            Request.create({"employee_id": False, "line_ids": line})

    def test_visit_of_a_centre_uses_its_consignment_stock(self):
        self._ship([(self.part, 3)])
        visit = self._center_visit([{"product_id": self.part.id, "quantity": 2}])
        self.assertEqual(visit.repair_id.location_id, self.consignment)
        self.assertEqual(self._available(self.part, self.consignment), 1, "3 shipped - 2 used")
        self.assertEqual(self._available(self.part, self.van), 10, "the van is untouched")
        # A technician's own visit still takes from the van.
        own = self._visit(self._unit_ticket())
        own.with_user(self.tech_user).write(
            {"part_ids": [Command.create({"product_id": self.part.id, "quantity": 1})]}
        )
        own.with_user(self.tech_user).action_check_in()
        own.with_user(self.tech_user).action_check_out()
        self.assertEqual(self._available(self.part, self.van), 9)
        self.assertEqual(self._available(self.part, self.consignment), 1)

    def test_defective_part_comes_back_through_the_consignment_stock(self):
        self._ship([(self.part, 3)])
        visit = self._center_visit([{"product_id": self.part.id, "quantity": 2}])
        defective = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        self.assertEqual(defective.service_center_id, self.center)
        defective.with_user(self.rep_user).action_receive()
        customers = self.env.ref("stock.stock_location_customers")
        defective_location = self.company._aftersales_defective_location()
        self.assertEqual(
            [(m.location_id, m.location_dest_id) for m in defective.move_ids],
            [(customers, self.consignment), (self.consignment, defective_location)],
        )
        self.assertEqual(self._available(self.part, self.consignment), 1, "passes through")
        self.assertEqual(self._available(self.part, defective_location), 2)


@tagged("post_install", "-at_install")
class TestMaterialReconciliation(CenterConsignmentCommon):
    """Hand-computed month: 5 contactors shipped, 2 used on a visit, their 2 removed parts
    collected and returned as defective, 1 unused sent back: the system holds 2;
    customer service counts 1."""

    def _month(self):
        self._ship([(self.part, 5)])
        visit = self._center_visit([{"product_id": self.part.id, "quantity": 2}])
        defective = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        defective.with_user(self.rep_user).action_receive()
        back = self.env["stock.move"].create(
            {
                "name": "Unused contactor back",
                "product_id": self.part.id,
                "product_uom_qty": 1,
                "product_uom": self.part.uom_id.id,
                "location_id": self.consignment.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        back._action_confirm()
        back._aftersales_set_done_quantity(1)
        back._action_done()
        reconciliation = (
            self.env["aftersales.material.reconciliation"]
            .with_user(self.rep_user)
            .create({"partner_id": self.center.id, "date_from": fields.Date.today()})
        )
        reconciliation.with_user(self.rep_user).action_compute()
        return reconciliation

    def test_arithmetic_accuracy_and_closing(self):
        rec = self._month()
        self.assertEqual(rec.date_from, fields.Date.today().replace(day=1))
        self.assertEqual(rec.location_id, self.consignment)
        self.assertEqual(rec.accuracy_target, 98.0)
        line = rec.line_ids
        self.assertEqual(line.product_id, self.part)
        self.assertEqual(
            (
                line.qty_opening,
                line.qty_shipped,
                line.qty_collected,
                line.qty_used,
                line.qty_returned,
                line.qty_system,
                line.qty_counted,
            ),
            (0, 5, 2, 2, 3, 2, 2),
            "returned = 2 defective + 1 unused; counted starts at the system's",
        )
        self.assertEqual((line.qty_expected, line.difference), (2, 0))
        self.assertEqual(rec.accuracy, 100)

        line.with_user(self.rep_user).qty_counted = 1
        self.assertEqual(line.difference, 1, "5 + 2 - 2 - 3 - 1")
        self.assertAlmostEqual(rec.accuracy, 100 * (1 - 1 / 7), places=4)
        self.assertFalse(rec.is_on_target)

        with self.assertRaisesRegex(UserError, "Explain or charge every difference"):
            rec.with_user(self.rep_user).action_done()
        line.with_user(self.rep_user).resolution = "explained"
        with self.assertRaisesRegex(UserError, "Explain or charge every difference"):
            rec.with_user(self.rep_user).action_done()
        line.with_user(self.rep_user).write({"resolution": "charged"})
        self.assertEqual(line.charge_amount, 40, "1 missing x 40")
        self.assertEqual(rec.amount_charged, 40)

        with self.assertRaises(AccessError):
            rec.with_user(self.tech_user).action_done()
        rec.with_user(self.rep_user).action_done()
        self.assertEqual(rec.state, "done")
        self.assertEqual(rec.done_by_id, self.rep_user)
        # The count is the stock now: next month opens on it.
        self.assertEqual(self._available(self.part, self.consignment), 1)
        with self.assertRaisesRegex(UserError, "is decided"):
            line.with_user(self.rep_user).qty_counted = 2
        with self.assertRaisesRegex(UserError, "is Closed and cannot be recomputed"):
            rec.with_user(self.rep_user).action_compute()

    def test_surplus_is_explained_not_charged(self):
        rec = self._month()
        line = rec.line_ids
        line.with_user(self.rep_user).write({"qty_counted": 3, "resolution": "charged"})
        self.assertEqual(line.difference, -1)
        self.assertEqual(line.charge_amount, 0)
        with self.assertRaisesRegex(UserError, "Explain or charge every difference"):
            rec.with_user(self.rep_user).action_done()
        line.with_user(self.rep_user).write(
            {"resolution": "explained", "reason": "A part shipped last month arrived late."}
        )
        rec.with_user(self.rep_user).action_done()
        self.assertEqual(self._available(self.part, self.consignment), 3)
        self.assertEqual(rec.amount_charged, 0)

    def test_one_per_centre_and_month_and_roles(self):
        rec = self._month()
        with self.assertRaises(AccessError):
            self.env["aftersales.material.reconciliation"].with_user(self.tech_user).create(
                {"partner_id": self.center.id, "date_from": "2026-01-01"}
            )
        with self.assertRaises(AccessError):
            rec.with_user(self.tech_user).read(["accuracy"])
        self.assertEqual(rec.with_user(self.analyst_user).accuracy, 100)
        with self.assertRaises(AccessError):
            rec.line_ids.with_user(self.analyst_user).write({"qty_counted": 1})
        with self.assertRaises(AccessError):
            rec.line_ids.with_user(self.rep_user).write({"qty_shipped": 9})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["aftersales.material.reconciliation"].create(
                {"partner_id": self.center.id, "date_from": fields.Date.today()}
            )
