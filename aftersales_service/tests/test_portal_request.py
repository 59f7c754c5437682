from odoo.exceptions import UserError
from odoo.tests import tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestPortalRequest(WarrantyCommon):
    """What a customer may pick and submit on the portal's request form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Serial-tracked product without a warranty rule: ownership comes from deliveries.
        cls.no_rule_product.tracking = "serial"
        cls.kept, cls.returned, cls.others = cls._stock_serials(
            cls.no_rule_product, ["OWN-1", "OWN-2", "OTHER-1"]
        )
        cls.delivery = cls._deliver_order(cls._sell([(cls.no_rule_product, 2)]))
        cls._deliver_order(cls._sell([(cls.no_rule_product, 1)], partner=cls.other_customer))
        # Registered installed base (no delivery in Odoo) counts as owned as well.
        cls.registered = cls.env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "date_start": "2026-01-01",
            }
        )
        cls.Ticket = cls.env["aftersales.ticket"]

    def test_owned_serials_and_products(self):
        delivered = self.delivery.move_line_ids.lot_id
        self.assertEqual(len(delivered), 2)
        self.assertEqual(self.customer_contact._aftersales_owned_lots(), delivered | self.lot)
        back = delivered[:1]
        self._return(self.delivery, lots=back, quantity=1)
        self.assertEqual(
            self.customer_contact._aftersales_owned_lots(),
            (delivered - back) | self.lot,
            "a returned serial is no longer the customer's",
        )
        self.assertEqual(
            self.customer_contact._aftersales_owned_products(),
            self.no_rule_product | self.product,
        )
        self.assertFalse(delivered & self.other_customer._aftersales_owned_lots())

    def test_valid_request_values(self):
        serial = self.delivery.move_line_ids.lot_id[:1]
        values = self.Ticket._portal_prepare_request(
            self.customer_contact,
            serial=f"  {serial.name.lower()} ",
            category_id=self.category_fault.id,
            description="It stopped.\nNo power.",
        )
        self.assertEqual(values["lot_id"], serial.id)
        self.assertEqual(values["product_id"], self.no_rule_product.id)
        self.assertEqual(values["channel"], "portal")
        self.assertEqual(values["partner_id"], self.customer_contact.id)
        self.assertIn("No power", values["description"])
        only_product = self.Ticket._portal_prepare_request(
            self.customer_contact, product_id=self.product.id, description="Noise"
        )
        self.assertEqual(only_product["product_id"], self.product.id)
        self.assertNotIn("lot_id", only_product)

    def test_bad_requests_are_refused_in_the_customers_words(self):
        other_serial = (
            self.env["stock.move.line"]
            .search(
                [
                    ("lot_id.name", "in", ["OWN-1", "OWN-2", "OTHER-1"]),
                    ("picking_partner_id", "=", self.other_customer.id),
                ]
            )
            .lot_id
        )
        self.assertEqual(len(other_serial), 1)
        cases = {
            "empty description": ({"description": "   "}, "Describe the problem"),
            "unknown serial": (
                {"serial": "NOPE-404", "description": "x"},
                "NOPE-404 is not one of the products delivered to you",
            ),
            "another customer's serial": (
                {"serial": other_serial.name, "description": "x"},
                f"{other_serial.name} is not one of the products delivered to you",
            ),
            "product not bought": (
                {"product_id": self.other_product.id, "description": "x"},
                "Choose one of the products delivered to you",
            ),
            "serial of another product": (
                {"product_id": self.product.id, "serial": "OWN-1", "description": "x"},
                "belongs to",
            ),
            "unknown category": (
                {"category_id": -1, "description": "x"},
                "Choose one of the request types",
            ),
        }
        count = self.Ticket.search_count([])
        for case, (kwargs, message) in cases.items():
            with self.subTest(case), self.assertRaisesRegex(UserError, message):
                self.Ticket._portal_prepare_request(self.customer_contact, **kwargs)
        self.assertEqual(self.Ticket.search_count([]), count, "nothing created")

    def test_request_is_created_with_files_in_the_customers_name(self):
        values = self.Ticket._portal_prepare_request(
            self.customer_contact, serial=self.lot.name, description="Leaks oil"
        )
        ticket = self.Ticket._portal_create_request(
            self.customer_contact, values, [("leak.jpg", b"\xff\xd8jpegdata")]
        )
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.state, "new")
        self.assertEqual(ticket.lot_id, self.lot)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.warranty_id, self.registered)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "leak.jpg")
        message = ticket.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(message.author_id, self.customer_contact)
        self.assertEqual(message.attachment_ids, attachment)

    def test_confirm_and_reject_from_the_portal(self):
        confirmed = self._resolved_ticket()
        confirmed._portal_confirm(self.customer_contact)
        self.assertTrue(confirmed.customer_confirmed)
        self.assertEqual(confirmed.state, "resolved")
        with self.assertRaises(UserError):
            confirmed._portal_reject(self.customer_contact, "changed my mind")

        rejected = self._resolved_ticket()
        with self.assertRaises(UserError):
            rejected._portal_reject(self.customer_contact, "  ")
        self.assertEqual(rejected.state, "resolved")
        rejected._portal_reject(self.customer_contact, "Still trips the breaker")
        self.assertEqual(rejected.state, "in_progress")
        self.assertEqual(rejected.reopen_count, 1)
        self.assertTrue(rejected.is_repeat_repair)
        self.assertTrue(
            rejected.message_ids.filtered(
                lambda m: (
                    m.author_id == self.customer_contact and "Still trips the breaker" in m.body
                )
            )
        )
        with self.assertRaises(UserError):
            self._in_progress_ticket()._portal_confirm(self.customer_contact)
