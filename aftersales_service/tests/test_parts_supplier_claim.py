from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_parts import PartsCommon


@tagged("post_install", "-at_install")
class TestSupplierClaims(PartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create({"name": "Board Maker Ltd", "is_company": True})
        cls.other_vendor = Partner.create({"name": "Board Trader Co", "is_company": True})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.vendor.id,
                "product_tmpl_id": cls.serial_part.product_tmpl_id.id,
                "price": 250,
            }
        )

    def _inspected_board(self, serial, outcome=None, installed=0):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write(
            {
                "part_ids": [
                    Command.create(
                        {"product_id": self.serial_part.id, "lot_id": self.board_lots[installed].id}
                    )
                ]
            }
        )
        visit.with_user(self.tech_user).action_check_in()
        visit.with_user(self.tech_user).action_check_out()
        ticket.sudo().liability = "supplier"
        defective = self.env["aftersales.defective.return"].search([("visit_id", "=", visit.id)])
        defective.with_user(self.tech_user).removed_serial = serial
        defective.with_user(self.rep_user).action_receive()
        if outcome:
            defective.with_user(self.rep_user).outcome = outcome
        defective.with_user(self.rep_user).action_inspect()
        return defective

    def test_return_to_vendor_and_credit_note_until_recovered(self):
        defective = self._inspected_board("CB-OLD-1")
        self.assertEqual(defective.outcome, "supplier_claim", "the supplier is liable")
        claim = defective.supplier_claim_id
        self.assertEqual(claim.state, "draft")
        self.assertEqual((claim.partner_id, claim.price_unit), (self.vendor, 250))
        self.assertEqual(claim.lot_id.name, "CB-OLD-1")
        self.assertEqual(claim.amount_claimed, 250)
        self.assertIn(self.manager_user, claim.activity_ids.user_id)
        self.assertRegex(claim.name, r"^ASCL\d{4}-\d{5}$")

        with self.assertRaises(AccessError):
            claim.with_user(self.rep_user).action_claim()
        claim.with_user(self.manager_user).action_claim()
        self.assertEqual(claim.state, "claimed")

        picking = claim.return_picking_id
        defective_location = self.company._aftersales_defective_location()
        self.assertEqual(picking.location_id, defective_location)
        self.assertEqual(picking.location_dest_id, self.env.ref("stock.stock_location_suppliers"))
        self.assertEqual(picking.partner_id, self.vendor)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, claim.lot_id)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._available(self.serial_part, defective_location, claim.lot_id), 0)

        credit_note = claim.credit_note_id
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.partner_id, self.vendor)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)
        self.assertEqual(credit_note.amount_untaxed, 250)
        with self.assertRaisesRegex(UserError, "not posted yet"):
            claim.with_user(self.manager_user).action_recover()
        credit_note.invoice_date = fields.Date.today()
        credit_note.action_post()
        self.assertEqual(claim.state, "recovered", "posting the credit note recovers the claim")
        self.assertEqual(claim.amount_recovered, 250)

        # Supplier quality in the monthly feedback.
        today = fields.Date.today()
        Quality = self.env["aftersales.quality.report"].with_user(self.analyst_user)
        rows = Quality._monthly_values(self.company, today.replace(day=1), today)["by_supplier"]
        self.assertEqual(
            [(r["vendor"], r["product"], r["lot"], r["claims"], r["quantity"]) for r in rows],
            [(self.vendor, self.serial_part, claim.lot_id, 1, 1.0)],
        )
        self.assertEqual((rows[0]["claimed"], rows[0]["recovered"]), (250, 250))
        report = self.env.ref("aftersales_service.action_report_quality_monthly")
        html = (
            report.with_user(self.analyst_user)
            ._render_qweb_html(
                report,
                self.company.ids,
                data={"date_from": str(today.replace(day=1)), "date_to": str(today)},
            )[0]
            .decode()
        )
        self.assertIn("Supplier Quality", html)
        self.assertIn("Board Maker Ltd", html)

    def test_vendor_of_the_purchased_lot(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.other_vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.serial_part.id, "product_qty": 1, "price_unit": 280}
                    )
                ],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids.move_line_ids.lot_name = "CB-P1"
        receipt.move_ids.picked = True
        receipt.button_validate()
        defective = self._inspected_board("CB-P1")
        claim = defective.supplier_claim_id
        self.assertEqual((claim.partner_id, claim.price_unit), (self.other_vendor, 280))

    def test_claim_without_return_and_rejection(self):
        claim = self._inspected_board("CB-OLD-2").supplier_claim_id
        claim.with_user(self.rep_user).write({"no_return": True, "price_unit": 200})
        claim.with_user(self.manager_user).action_claim()
        self.assertFalse(claim.return_picking_id)
        self.assertFalse(claim.credit_note_id)
        with self.assertRaisesRegex(UserError, "amount recovered"):
            claim.with_user(self.manager_user).action_recover()
        with self.assertRaises(AccessError):
            claim.with_user(self.rep_user).write({"amount_recovered": 150})
        claim.with_user(self.manager_user).amount_recovered = 150
        claim.with_user(self.manager_user).action_recover()
        self.assertEqual((claim.state, claim.amount_recovered), ("recovered", 150))
        with self.assertRaises(UserError):
            claim.with_user(self.manager_user).write({"amount_recovered": 10})

        other = self._inspected_board("CB-OLD-3", installed=1).supplier_claim_id
        other.with_user(self.manager_user).action_claim()
        with self.assertRaisesRegex(UserError, "Give a reason"):
            other.with_user(self.manager_user).action_reject()
        other.with_user(self.manager_user).reject_reason = "Damaged by the installer"
        other.with_user(self.manager_user).action_reject()
        self.assertEqual(other.state, "rejected")
        self.assertEqual(other.credit_note_id.state, "cancel")

    def test_roles(self):
        claim = self._inspected_board("CB-OLD-4").supplier_claim_id
        claim.with_user(self.rep_user).partner_id = self.other_vendor
        claim.with_user(self.analyst_user).read(["name", "amount_claimed"])
        with self.assertRaises(AccessError):
            claim.with_user(self.analyst_user).write({"price_unit": 1})
        with self.assertRaises(AccessError):
            claim.with_user(self.tech_user).read(["name"])
        with self.assertRaises(AccessError):
            claim.with_user(self.rep_user).write({"state": "recovered"})
        with self.assertRaises(AccessError):
            self.env["aftersales.supplier.claim"].with_user(self.rep_user).create(
                {"defective_return_id": claim.defective_return_id.id}
            )
        with self.assertRaisesRegex(UserError, "not waiting"):
            claim.with_user(self.manager_user).action_recover()
