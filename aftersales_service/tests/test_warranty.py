from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestWarrantyRules(WarrantyCommon):
    def test_most_specific_rule_wins(self):
        Rule = self.env["aftersales.warranty.rule"]
        compressors = Rule.create(
            {
                "name": "Compressors 18",
                "applies_to": "category",
                "categ_id": self.categ_compressors.id,
                "duration": 18,
            }
        )
        general = Rule.create({"name": "All 6", "applies_to": "all", "duration": 6})
        chiller = self.other_product  # no category rule of its own: falls back to "all"
        rules = Rule._get_rules_for_products(self.product | self.untracked | chiller, self.company)
        self.assertEqual(rules[self.product], self.rule_product, "product beats category")
        self.assertEqual(
            rules[self.untracked], self.rule_machines, "category applies to its products"
        )
        self.assertEqual(rules[chiller], general)
        self.rule_product.active = False
        rules = Rule._get_rules_for_products(self.product, self.company)
        self.assertEqual(rules[self.product], compressors, "nearest category beats its parent")
        compressors.active = False
        rules = Rule._get_rules_for_products(self.product, self.company)
        self.assertEqual(rules[self.product], self.rule_machines, "parent category covers children")

    def test_sequence_breaks_ties(self):
        Rule = self.env["aftersales.warranty.rule"]
        first = Rule.create(
            {
                "name": "Machines promo",
                "applies_to": "category",
                "categ_id": self.categ_machines.id,
                "duration": 36,
                "sequence": 1,
            }
        )
        rules = Rule._get_rules_for_products(self.untracked, self.company)
        self.assertEqual(rules[self.untracked], first)

    def test_product_form_shows_effective_rule(self):
        self.assertEqual(
            self.product.product_tmpl_id.aftersales_warranty_rule_id, self.rule_product
        )
        self.assertEqual(
            self.untracked.product_tmpl_id.aftersales_warranty_rule_id, self.rule_machines
        )
        self.assertFalse(self.no_rule_product.product_tmpl_id.aftersales_warranty_rule_id)

    def test_rule_validation(self):
        Rule = self.env["aftersales.warranty.rule"]
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            Rule.create({"name": "Zero", "applies_to": "all", "duration": 0})
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            Rule.create({"name": "Negative", "applies_to": "all", "duration": -3})
        with self.assertRaisesRegex(ValidationError, "Choose the product"):
            Rule.create({"name": "No product", "applies_to": "product", "duration": 12})
        with self.assertRaisesRegex(ValidationError, "Choose the product category"):
            Rule.create({"name": "No category", "applies_to": "category", "duration": 12})
        with self.assertRaisesRegex(ValidationError, "same products with the same sequence"):
            Rule.create(
                {
                    "name": "Twin",
                    "applies_to": "product",
                    "duration": 6,
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                }
            )
        twin = Rule.create(
            {
                "name": "Twin later",
                "applies_to": "product",
                "duration": 6,
                "sequence": 20,
                "product_tmpl_id": self.product.product_tmpl_id.id,
            }
        )
        self.assertTrue(twin)

    def test_rule_end_date(self):
        self.assertEqual(self.rule_product._date_end(date(2026, 1, 15)), date(2028, 1, 14))
        days = self.env["aftersales.warranty.rule"].create(
            {"name": "90 days", "applies_to": "all", "duration": 90, "duration_unit": "day"}
        )
        self.assertEqual(days._date_end(date(2026, 1, 1)), date(2026, 3, 31))

    def test_only_managers_configure_rules(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.rule"].with_user(self.rep_user).create(
                {"name": "Rep rule", "applies_to": "all", "duration": 1}
            )
        self.assertTrue(self.rule_product.with_user(self.tech_user).name)


@tagged("post_install", "-at_install")
class TestWarrantyRegistration(WarrantyCommon):
    def test_delivery_registers_each_serial(self):
        lots = self._stock_serials(self.product, ["WS-1", "WS-2"])
        order = self._sell([(self.product, 2)])
        with freeze_time("2026-04-10 09:00:00"):
            picking = self._deliver_order(order)
        warranties = self._registrations(sale_order_id=order)
        self.assertEqual(warranties.lot_id, lots)
        for warranty in warranties:
            self.assertEqual(warranty.partner_id, self.customer)
            self.assertEqual(warranty.rule_id, self.rule_product)
            self.assertEqual(warranty.sale_line_id, order.order_line)
            self.assertEqual(warranty.picking_id, picking)
            self.assertEqual(warranty.date_start, date(2026, 4, 10))
            self.assertEqual(warranty.date_end, date(2028, 4, 9))
            self.assertTrue(warranty.name.startswith("WR"))
        self.assertEqual(order.order_line.aftersales_warranty_date_end, date(2028, 4, 9))
        self.assertEqual(order.aftersales_warranty_count, 2)
        self.assertEqual(lots[0].aftersales_warranty_count, 1)
        self.assertEqual(self.customer.aftersales_warranty_count, 2)

    def test_untracked_delivery_registers_the_quantity(self):
        self.env["stock.quant"]._update_available_quantity(self.untracked, self.stock_location, 10)
        order = self._sell([(self.untracked, 4), (self.no_rule_product, 1)])
        self.env["stock.quant"]._update_available_quantity(
            self.no_rule_product, self.stock_location, 1
        )
        order.picking_ids.action_assign()
        self._deliver_order(order)
        warranty = self._registrations(sale_order_id=order)
        self.assertEqual(len(warranty), 1, "no rule, no registration")
        self.assertEqual(warranty.product_id, self.untracked)
        self.assertEqual(warranty.quantity, 4)
        self.assertFalse(warranty.lot_id)
        self.assertEqual(warranty.rule_id, self.rule_machines)

    def test_return_voids_and_redelivery_registers_again(self):
        lots = self._stock_serials(self.product, ["WR-1"])
        order = self._sell([(self.product, 1)])
        picking = self._deliver_order(order)
        warranty = self._registrations(lot_id=lots)
        self._return(picking, lots=lots)
        self.assertTrue(warranty.is_void)
        self.assertEqual(warranty.state, "void")
        self.assertIn("Returned", warranty.void_reason)
        # Exchange: the same serial goes out again on a new order.
        second = self._sell([(self.product, 1)])
        self._deliver_order(second)
        active = self._registrations(lot_id=lots, is_void=False)
        self.assertEqual(len(active), 1)
        self.assertEqual(active.sale_order_id, second)
        self.assertNotEqual(active, warranty)

    def test_odoo_exchange_registers_the_replacement(self):
        lots = self._stock_serials(self.product, ["WEX-1", "WEX-2"])
        order = self._sell([(self.product, 1)])
        picking = self._deliver_order(order)
        delivered = picking.move_line_ids.lot_id
        replacement = lots - delivered
        old = self._registrations(lot_id=delivered)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_exchanges()
        returned = self.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": returned.move_ids.id,
                "picking_id": returned.id,
                "product_id": self.product.id,
                "lot_id": delivered.id,
                "quantity": 1,
                "location_id": returned.location_id.id,
                "location_dest_id": returned.location_dest_id.id,
            }
        )
        self._validate(returned)
        self.assertTrue(old.is_void)
        exchange = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(exchange), 1, "Odoo's exchange creates a new delivery")
        exchange.action_assign()
        self._validate(exchange)
        new = self._registrations(lot_id=exchange.move_line_ids.lot_id, is_void=False)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.sale_order_id, order)
        self.assertIn(new.lot_id, replacement | delivered)

    def test_manual_registration_takes_the_rule_in_force(self):
        lots = self._stock_serials(self.product, ["WH-1"])
        form = Form(self.env["aftersales.warranty"].with_user(self.rep_user))
        form.partner_id = self.customer
        form.product_id = self.product
        form.lot_id = lots
        form.date_start = date(2025, 6, 1)
        warranty = form.save()
        self.assertEqual(warranty.rule_id, self.rule_product)
        self.assertEqual(warranty.date_end, date(2027, 5, 31))

    def test_partial_return_of_untracked_quantity(self):
        self.env["stock.quant"]._update_available_quantity(self.untracked, self.stock_location, 10)
        order = self._sell([(self.untracked, 5)])
        picking = self._deliver_order(order)
        warranty = self._registrations(sale_order_id=order)
        self._return(picking, quantity=2)
        self.assertEqual(warranty.quantity, 3)
        self.assertFalse(warranty.is_void)
        self._return(picking, quantity=3)
        self.assertTrue(warranty.is_void)

    def test_unit_back_from_repair_keeps_its_warranty(self):
        lots = self._stock_serials(self.product, ["WK-1"])
        self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        # The unit comes to the depot (a receipt, not a return) and goes back to the customer.
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.customer.id,
                "location_id": self.env.ref("stock.stock_location_customers").id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Repair intake",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.env.ref("stock.stock_location_customers").id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": receipt.move_ids.id,
                "picking_id": receipt.id,
                "product_id": self.product.id,
                "lot_id": lots.id,
                "quantity": 1,
                "location_id": receipt.location_id.id,
                "location_dest_id": receipt.location_dest_id.id,
            }
        )
        self._validate(receipt)
        self.assertFalse(warranty.is_void, "a repair intake is no return")
        self._deliver_order(self._sell([(self.product, 1)]))
        self.assertEqual(self._registrations(lot_id=lots), warranty)
        self.assertFalse(warranty.is_void)

    def test_invoice_basis_starts_on_invoice_date(self):
        self.rule_product.start_basis = "invoice"
        self._stock_serials(self.product, ["WI-1"])
        order = self._sell([(self.product, 1)])
        self._deliver_order(order)
        warranty = self._registrations(sale_order_id=order)
        self.assertEqual(warranty.state, "pending")
        self.assertFalse(warranty.date_end)
        invoice = order._create_invoices()
        invoice.invoice_date = date(2026, 6, 1)
        invoice.action_post()
        self.assertEqual(warranty.date_start, date(2026, 6, 1))
        self.assertEqual(warranty.date_end, date(2028, 5, 31))

    def test_installation_basis_waits_for_acceptance(self):
        self.rule_product.start_basis = "installation"
        lots = self._stock_serials(self.product, ["WA-1"])
        with freeze_time("2026-03-01 10:00:00"):
            self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        self.assertEqual(warranty.state, "pending")
        with self.assertRaisesRegex(UserError, "before its delivery"):
            warranty.action_accept_installation(date(2026, 2, 1))
        warranty.action_accept_installation(date(2026, 3, 20))
        self.assertEqual(warranty.date_start, date(2026, 3, 20))
        self.assertEqual(warranty.date_end, date(2028, 3, 19))
        with self.assertRaisesRegex(UserError, "not waiting"):
            warranty.action_accept_installation(date(2026, 3, 21))

    def test_bad_registrations_are_refused(self):
        lots = self._stock_serials(self.product, ["WB-1"])
        self._deliver_order(self._sell([(self.product, 1)]))
        Warranty = self.env["aftersales.warranty"].with_user(self.rep_user)
        values = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "lot_id": lots.id,
            "rule_id": self.rule_product.id,
            "date_start": "2026-01-01",
        }
        with self.assertRaisesRegex(ValidationError, "already has a warranty registration"):
            Warranty.create(values)
        with self.assertRaisesRegex(ValidationError, "TCH-0001 belongs to Test Chiller"):
            Warranty.create({**values, "lot_id": self.other_lot.id})
        other_lot = self._stock_serials(self.product, ["WB-2"])
        warranty = Warranty.create({**values, "lot_id": other_lot.id})
        with self.assertRaisesRegex(ValidationError, "cannot end before it starts"):
            # What a stored end date before the start looks like: refused.
            warranty.sudo().write({"date_end": "2025-12-31"})
        self.assertEqual(len(self._registrations(lot_id=lots)), 1)

    def test_one_registration_per_serial_in_database(self):
        """The partial unique index backs the constraint against concurrent deliveries."""
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["aftersales_warranty_one_active_per_lot"],
        )
        self.assertIn("WHERE", self.env.cr.fetchone()[0])

    def test_technician_reads_registrations_but_cannot_create(self):
        lots = self._stock_serials(self.product, ["WT-1"])
        self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        self.assertEqual(warranty.with_user(self.tech_user).lot_id, lots)
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty"].with_user(self.tech_user).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "rule_id": self.rule_product.id,
                }
            )
        with self.assertRaises(AccessError):
            warranty.with_user(self.analyst_user).write({"quantity": 2})

    def test_batch_registration_query_count_does_not_grow_per_serial(self):
        """Registering 5 or 25 serials costs about the same number of queries."""
        counts = []
        for size in (5, 25):
            lots = self._stock_serials(self.product, [f"WQ{size}-{i}" for i in range(size)])
            order = self._sell([(self.product, size)])
            picking = order.picking_ids
            picking.move_ids.picked = True
            self.env.flush_all()
            self.env.invalidate_all()
            Warranty = self.env["aftersales.warranty"]
            moves = picking.move_ids
            moves.write({"state": "done"})
            moves.move_line_ids.write({"state": "done"})
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            Warranty._register_deliveries(moves)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(len(self._registrations(sale_order_id=order)), size, lots)
        self.assertLess(counts[1], counts[0] * 2, counts)


@tagged("post_install", "-at_install")
class TestWarrantyExtension(WarrantyCommon):
    def test_extension_on_the_same_order(self):
        self._stock_serials(self.product, ["WE-1", "WE-2"])
        order = self._sell([(self.product, 2), (self.extension_product, 2)])
        self._deliver_order(order)
        warranties = self._registrations(sale_order_id=order)
        self.assertEqual(len(warranties), 2)
        for warranty in warranties:
            self.assertEqual(warranty.extension_ids.months, 12)
            self.assertEqual(warranty.date_end, warranty.date_end_base + relativedelta(months=12))
            self.assertEqual(warranty.extension_ids.sale_line_id.product_id, self.extension_product)

    def test_extension_sold_later_for_a_serial(self):
        lots = self._stock_serials(self.product, ["WL-1", "WL-2"])
        self._deliver_order(self._sell([(self.product, 2)]))
        base_end = self._registrations(lot_id=lots[1]).date_end
        later = self._sell(
            [(self.extension_product, 1, {"aftersales_lot_ids": [Command.set(lots[1].ids)]})]
        )
        extended = self._registrations(lot_id=lots[1])
        self.assertEqual(extended.date_end, base_end + relativedelta(months=12))
        self.assertEqual(extended.extension_ids.sale_order_id, later)
        self.assertFalse(self._registrations(lot_id=lots[0]).extension_ids)
        self.assertFalse(later.aftersales_extension_to_assign)

    def test_unclear_match_asks_the_user(self):
        lots = self._stock_serials(self.product, ["WU-1", "WU-2"])
        self._deliver_order(self._sell([(self.product, 2)]))
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.extension_product.id, "product_uom_qty": 1})
                ],
            }
        )
        # Nothing names the serial: not guessed, the wizard opens instead.
        action = order.action_confirm()
        self.assertEqual(action["res_model"], "aftersales.warranty.extension.assign")
        self.assertFalse(self._registrations(lot_id=lots[0]).extension_ids)
        self.assertTrue(order.aftersales_extension_to_assign)
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.warranty_ids.add(self._registrations(lot_id=lots[0]))
        wizard.warranty_ids.add(self._registrations(lot_id=lots[1]))
        with self.assertRaisesRegex(UserError, "sells 1 extension"):
            wizard.save().action_assign()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.warranty_ids.add(self._registrations(lot_id=lots[0]))
        wizard.save().action_assign()
        self.assertEqual(self._registrations(lot_id=lots[0]).extension_ids.months, 12)
        self.assertFalse(order.aftersales_extension_to_assign)

    def test_cannot_extend_expired_or_void(self):
        lots = self._stock_serials(self.product, ["WX-1", "WX-2"])
        with freeze_time("2020-01-10 09:00:00"):
            self._deliver_order(self._sell([(self.product, 2)]))
        expired, void = self._registrations(lot_id=lots[0]), self._registrations(lot_id=lots[1])
        self.assertEqual(expired.state, "expired")
        with self.assertRaisesRegex(UserError, "expired and cannot be extended"):
            expired.action_extend(12)
        void.action_void("Scrapped")
        with self.assertRaisesRegex(UserError, "void and cannot be extended"):
            void.action_extend(12)
        with self.assertRaisesRegex(UserError, "already void"):
            void.action_void("Twice")
        self.assertFalse((expired | void).extension_ids)


@tagged("post_install", "-at_install")
class TestTicketWarranty(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_year = cls.env["aftersales.warranty.rule"].create(
            {
                "name": "One year",
                "applies_to": "product",
                "product_tmpl_id": cls.product.product_tmpl_id.id,
                "duration": 12,
                "sequence": 1,
            }
        )
        cls.serial = cls._stock_serials(cls.product, ["WT-100"])
        with freeze_time("2026-01-01 08:00:00"):
            cls._deliver_order(cls._sell([(cls.product, 1)]))
        cls.warranty = cls.env["aftersales.warranty"].search([("lot_id", "=", cls.serial.id)])

    def _ticket_on(self, day, **vals):
        """A ticket created on ``day`` (the transaction clock sets create_date)."""
        saved, self.env.cr._now = self.env.cr._now, datetime.fromisoformat(f"{day} 10:00:00")
        try:
            vals.setdefault("lot_id", self.serial.id)
            return self._ticket(**vals)
        finally:
            self.env.cr._now = saved

    def test_boundary_dates(self):
        self.assertEqual(self.warranty.date_end, date(2026, 12, 31))
        self.assertEqual(self._ticket_on("2026-12-30").warranty_state, "in")
        self.assertEqual(self._ticket_on("2026-12-31").warranty_state, "in")
        self.assertEqual(self._ticket_on("2027-01-01").warranty_state, "out")
        ticket = self._ticket_on("2026-12-31")
        self.assertEqual(ticket.warranty_id, self.warranty)
        self.assertEqual(ticket.warranty_date_end, date(2026, 12, 31))
        self.assertTrue(ticket.warranty_cover_parts)

    def test_no_registration_means_no_warranty(self):
        ticket = self._ticket(lot_id=self.lot.id)
        self.assertEqual(ticket.warranty_state, "none")
        self.assertFalse(ticket.warranty_id)

    def test_untracked_product_matched_by_customer(self):
        self.env["stock.quant"]._update_available_quantity(self.untracked, self.stock_location, 3)
        with freeze_time("2026-06-01 09:00:00"):
            self._deliver_order(self._sell([(self.untracked, 3)]))
        ticket = self._ticket_on("2026-06-02", product_id=self.untracked.id, lot_id=False)
        self.assertEqual(ticket.warranty_state, "in")
        other = self._ticket_on(
            "2026-06-02",
            product_id=self.untracked.id,
            lot_id=False,
            partner_id=self.other_customer.id,
        )
        self.assertEqual(other.warranty_state, "none")

    def test_ticket_follows_extension_and_void(self):
        ticket = self._ticket_on("2027-02-01")
        self.assertEqual(ticket.warranty_state, "out")
        with freeze_time("2026-12-01"):
            self.warranty.action_extend(6)
        self.assertEqual(ticket.warranty_state, "in")
        self.warranty.action_void("Sold on")
        self.assertEqual(ticket.warranty_state, "out")

    def test_manager_override_is_logged(self):
        ticket = self._ticket_on("2027-02-01")
        with self.assertRaises(AccessError):
            ticket.with_user(self.rep_user).action_override_warranty("in", "Goodwill")
        with self.assertRaisesRegex(UserError, "reason"):
            ticket.with_user(self.manager_user).action_override_warranty("in", "")
        with self.assertRaises(AccessError):
            ticket.with_user(self.rep_user).write({"warranty_state": "in"})
        ticket.with_user(self.manager_user).action_override_warranty(
            "in", "Goodwill for a key account"
        )
        self.assertEqual(ticket.warranty_state, "in")
        self.assertTrue(ticket.warranty_override)
        self.assertIn("Goodwill for a key account", ticket.message_ids[0].body)
        ticket.lot_id = self.lot
        self.assertEqual(ticket.warranty_state, "in", "an override survives recomputation")


@tagged("post_install", "-at_install")
class TestWarrantyReminders(WarrantyCommon):
    def test_cron_reminds_once(self):
        lots = self._stock_serials(self.product, ["WM-1"])
        with freeze_time("2026-01-10 09:00:00"):
            self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        self.assertEqual(warranty.date_end, date(2028, 1, 9))
        Warranty = self.env["aftersales.warranty"]
        with freeze_time("2027-09-01"):
            Warranty._cron_send_expiry_reminders()
            self.assertFalse(warranty.date_reminded, "4 months before the end: too early")
        with freeze_time("2027-10-15"):
            Warranty._cron_send_expiry_reminders()
            self.assertEqual(warranty.date_reminded, date(2027, 10, 15))
            self.assertEqual(warranty.activity_ids.user_id, self.salesperson)
            mails = warranty.message_ids.filtered(lambda m: m.subject and "warranty" in m.subject)
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.partner_ids, self.customer)
            Warranty._cron_send_expiry_reminders()
        with freeze_time("2027-11-15"):
            Warranty._cron_send_expiry_reminders()
        self.assertEqual(len(warranty.activity_ids), 1)
        self.assertEqual(
            len(warranty.message_ids.filtered(lambda m: m.subject and "warranty" in m.subject)), 1
        )

    def test_reminder_window_is_configurable_and_falls_back_to_manager(self):
        self.company.aftersales_warranty_reminder_months = 1
        self.company.aftersales_warranty_responsible_id = self.manager_user
        warranty = self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.untracked.id,
                "quantity": 1,
                "rule_id": self.rule_machines.id,
                "date_start": "2026-01-01",
            }
        )
        with freeze_time("2026-11-15"):
            self.env["aftersales.warranty"]._cron_send_expiry_reminders()
            self.assertFalse(warranty.date_reminded)
        with freeze_time("2026-12-05"):
            self.assertEqual(warranty.state, "expiring")
            self.env["aftersales.warranty"]._cron_send_expiry_reminders()
        self.assertEqual(warranty.activity_ids.user_id, self.manager_user)

    def test_state_search_matches_computed_state(self):
        self.env["stock.quant"]._update_available_quantity(self.untracked, self.stock_location, 10)
        Warranty = self.env["aftersales.warranty"]
        values = {
            "partner_id": self.customer.id,
            "product_id": self.untracked.id,
            "rule_id": self.rule_machines.id,
        }
        active = Warranty.create({**values, "date_start": "2026-10-01"})
        expiring = Warranty.create({**values, "date_start": "2026-02-01"})
        expired = Warranty.create({**values, "date_start": "2025-01-01"})
        pending = Warranty.create(values)
        records = active | expiring | expired | pending
        with freeze_time("2026-12-01"):
            for state, record in (
                ("active", active),
                ("expiring", expiring),
                ("expired", expired),
                ("pending", pending),
            ):
                self.assertEqual(record.state, state)
                self.assertEqual(
                    Warranty.search([("id", "in", records.ids), ("state", "=", state)]), record
                )
            self.assertEqual(
                Warranty.search(
                    [("id", "in", records.ids), ("state", "in", ("active", "expiring"))]
                ),
                active | expiring,
            )


@tagged("post_install", "-at_install")
class TestWarrantyMultiCompany(WarrantyCommon):
    def test_rules_and_registrations_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Warranty B"})
        rules_b = self.env["aftersales.warranty.rule"]._get_rules_for_products(
            self.product, company_b
        )
        self.assertFalse(rules_b[self.product], "company A's rules do not apply in B")
        lots = self._stock_serials(self.product, ["WMC-1"])
        self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        user_b = self.env["res.users"].create(
            {
                "name": "B rep",
                "login": "w_rep_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "groups_id": [
                    Command.set([self.env.ref("aftersales_service.group_aftersales_user").id])
                ],
            }
        )
        self.assertFalse(
            self.env["aftersales.warranty"].with_user(user_b).search([("id", "=", warranty.id)])
        )
        with self.assertRaises(AccessError):
            warranty.with_user(user_b).read(["name"])


@tagged("post_install", "-at_install")
class TestWarrantyCertificate(WarrantyCommon):
    def test_certificate_renders(self):
        lots = self._stock_serials(self.product, ["WP-1"])
        self._deliver_order(self._sell([(self.product, 1)]))
        warranty = self._registrations(lot_id=lots)
        self.rule_product.exclusions = "Consumables are not covered"
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_warranty_certificate", warranty.ids
        )
        html = html.decode()
        self.assertIn("WP-1", html)
        self.assertIn("Consumables are not covered", html)
        self.assertIn(fields.Date.to_string(warranty.date_end)[:4], html)
        # Odoo may first ask to configure the document layout, wrapping the report action.
        self.assertIn(
            "aftersales_service.report_warranty_certificate",
            str(warranty.action_print_certificate()),
        )
