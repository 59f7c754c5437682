from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.modules.migration import load_script
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import AftersalesCommon


class MoneyCommon(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tax = cls.env["account.tax"]
        cls.vat = Tax.create(
            {"name": "VAT 15%", "amount": 15, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.vat_included = Tax.create(
            {
                "name": "VAT 15% incl.",
                "amount": 15,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.labour = cls.env["product.product"].create(
            {"name": "Labour", "type": "service", "list_price": 300}
        )
        cls.spare = cls.env["product.product"].create(
            {"name": "Spare Fuse", "type": "consu", "list_price": 100}
        )
        cls.ticket = cls._ticket()

    def _quotation(self, lines, ticket=None):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "aftersales_ticket_id": (ticket or self.ticket).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "price_unit": price,
                            "tax_id": [Command.set(taxes.ids)],
                        }
                    )
                    for product, price, taxes in lines
                ],
            }
        )

    def _approved_waiver(self, order, amount, reason="Our technician came late twice"):
        waiver = (
            self.env["aftersales.fee.waiver"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": order.aftersales_ticket_id.id,
                    "sale_order_id": order.id,
                    "amount": amount,
                    "reason": reason,
                }
            )
        )
        waiver.with_user(self.manager_user).action_approve()
        self.assertEqual(waiver.state, "approved")
        # The quotation's lines, as its salesperson reads them.
        return waiver.with_env(self.env)


@tagged("post_install", "-at_install")
class TestFeeWaiverRequest(MoneyCommon):
    """Customer service requests a waiver from the ticket or its quotation (issue 20,
    item 1) and reads a sensible title on it (item 23)."""

    def test_ticket_found_by_reference_or_customer(self):
        other = self._ticket(partner_id=self.other_customer.id, lot_id=False)
        Ticket = self.env["aftersales.ticket"].with_user(self.rep_user)
        by_customer = [tid for tid, _name in Ticket.name_search("Acme Pla", limit=100)]
        self.assertIn(self.ticket.id, by_customer)
        self.assertNotIn(other.id, by_customer)
        by_reference = [tid for tid, _name in Ticket.name_search(self.ticket.name)]
        self.assertEqual(by_reference, [self.ticket.id])
        picked = Ticket.with_context(aftersales_show_partner=True).browse(self.ticket.id)
        self.assertEqual(picked.display_name, f"{self.ticket.name} - Acme Plant")
        self.assertEqual(Ticket.browse(self.ticket.id).display_name, self.ticket.name)

    def test_request_from_ticket_preselects_its_open_quotation(self):
        confirmed = self._quotation([(self.labour, 300, self.vat)])
        confirmed.action_confirm()
        open_quotation = self._quotation([(self.labour, 200, self.vat)])
        self._quotation([(self.labour, 100, self.vat)]).action_cancel()
        action = self.ticket.with_user(self.rep_user).action_request_fee_waiver()
        self.assertEqual(action["res_model"], "aftersales.fee.waiver")
        Waiver = self.env["aftersales.fee.waiver"].with_user(self.rep_user)
        with Form(Waiver.with_context(**action["context"])) as form:
            self.assertEqual(form.ticket_id, self.ticket)
            self.assertEqual(form.sale_order_id, open_quotation)
            self.assertEqual(form.name, "New waiver")
            form.amount = 50
            form.reason = "Second visit for the same fault"
            self.assertEqual(form.name, "New waiver")
        waiver = form.record
        self.assertEqual(waiver.sale_order_id, open_quotation)
        self.assertEqual(waiver.display_name, f"{self.ticket.name} - $\xa050.00")
        self.assertEqual(waiver.requested_by_id, self.rep_user)
        self.assertEqual(self.ticket.waiver_count, 1)
        # Without an open quotation, the confirmed one is proposed.
        open_quotation.action_cancel()
        action = self.ticket.with_user(self.rep_user).action_request_fee_waiver()
        self.assertEqual(action["context"]["default_sale_order_id"], confirmed.id)

    def test_request_from_the_quotation(self):
        order = self._quotation([(self.labour, 300, self.vat)])
        action = order.with_user(self.rep_user).action_request_aftersales_fee_waiver()
        Waiver = self.env["aftersales.fee.waiver"].with_user(self.rep_user)
        with Form(Waiver.with_context(**action["context"])) as form:
            self.assertEqual(form.ticket_id, self.ticket)
            self.assertEqual(form.sale_order_id, order)
            form.amount = 120
            form.reason = "Goodwill"
        self.assertEqual(order.aftersales_waiver_count, 1)
        listed = order.with_user(self.rep_user).action_view_aftersales_waivers()
        self.assertEqual(self.env["aftersales.fee.waiver"].search(listed["domain"]), form.record)

        plain = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "not linked to an after-sales ticket"):
            plain.with_user(self.rep_user).action_request_aftersales_fee_waiver()
        order.action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            order.with_user(self.rep_user).action_request_aftersales_fee_waiver()

    def test_upgrade_retitles_earlier_waivers(self):
        waiver = self.env["aftersales.fee.waiver"].create(
            {"ticket_id": self.ticket.id, "amount": 20, "reason": "Goodwill"}
        )
        self.env.cr.execute(
            "UPDATE aftersales_fee_waiver SET name = 'Waiver 20.0 on X' WHERE id = %s",
            [waiver.id],
        )
        waiver.invalidate_recordset(["name"])
        migration = load_script(
            file_path("aftersales_service/migrations/18.0.1.2.0/post-migrate.py"),
            "aftersales_service_post_migrate_18_0_1_2_0",
        )
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.assertEqual(waiver.name, f"{self.ticket.name} - $\xa020.00")

    def test_only_customer_service_requests_waivers(self):
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.tech_user).action_request_fee_waiver()
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.analyst_user).action_request_fee_waiver()

    def test_buttons_on_the_ticket_and_the_quotation(self):
        """The buttons are on both forms for customer service, not for technicians."""
        for model, button in (
            ("aftersales.ticket", "action_request_fee_waiver"),
            ("sale.order", "action_request_aftersales_fee_waiver"),
        ):
            arch = self.env[model].with_user(self.rep_user).get_views([(False, "form")])
            self.assertIn(f'name="{button}"', arch["views"]["form"]["arch"])
        arch = self.env["aftersales.ticket"].with_user(self.tech_user).get_views([(False, "form")])
        self.assertNotIn('name="action_request_fee_waiver"', arch["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestFeeWaiverTaxes(MoneyCommon):
    """A waiver reduces the taxes of what it waives (issue 20, item 2) and keeps its
    internal reason off the customer's quotation."""

    def test_full_waiver_leaves_nothing_to_pay(self):
        order = self._quotation([(self.labour, 300, self.vat)])
        self.assertEqual(order.amount_total, 345)
        waiver = self._approved_waiver(order, 300)
        self.assertEqual(waiver.sale_line_ids.tax_id, self.vat)
        self.assertEqual(waiver.sale_line_ids.order_id, order)
        self.assertEqual(
            (order.amount_untaxed, order.amount_tax, order.amount_total), (0.0, 0.0, 0.0)
        )

    def test_partial_waiver_reduces_the_tax_in_proportion(self):
        order = self._quotation([(self.labour, 300, self.vat)])
        self._approved_waiver(order, 100)
        self.assertAlmostEqual(order.amount_untaxed, 200)
        self.assertAlmostEqual(order.amount_tax, 30)
        self.assertAlmostEqual(order.amount_total, 230)

    def test_mixed_taxes_are_waived_in_proportion(self):
        order = self._quotation(
            [(self.labour, 300, self.vat), (self.spare, 100, self.vat.browse())]
        )
        waiver = self._approved_waiver(order, 200)
        lines = waiver.sale_line_ids
        self.assertEqual(len(lines), 2)
        taxed = lines.filtered("tax_id")
        self.assertEqual(taxed.price_subtotal, -150)
        self.assertEqual((lines - taxed).price_subtotal, -50)
        self.assertIn("VAT 15%", taxed.name)
        self.assertAlmostEqual(order.amount_untaxed, 200)
        self.assertAlmostEqual(order.amount_tax, 22.5)
        # The rest is waived too: nothing left, tax included.
        self._approved_waiver(order, 200, reason="Rest of the goodwill")
        self.assertAlmostEqual(order.amount_total, 0)

    def test_tax_included_prices(self):
        order = self._quotation([(self.labour, 345, self.vat_included)])
        self.assertAlmostEqual(order.amount_untaxed, 300)
        waiver = self._approved_waiver(order, 300)
        self.assertAlmostEqual(waiver.sale_line_ids.price_unit, -345)
        self.assertAlmostEqual(order.amount_total, 0)

    def test_earlier_waivers_count(self):
        order = self._quotation([(self.labour, 300, self.vat)])
        self._approved_waiver(order, 100)
        self._approved_waiver(order, 200, reason="Rest")
        self.assertAlmostEqual(order.amount_total, 0)
        self.assertEqual(len(order.order_line.filtered("aftersales_waiver_id")), 2)

    def test_the_reason_stays_internal(self):
        reason = "Technician broke the customer's door frame"
        order = self._quotation([(self.labour, 300, self.vat)])
        waiver = self._approved_waiver(order, 150, reason=reason)
        self.assertEqual(waiver.sale_line_ids.name, "After-sales fee waiver")
        self.assertFalse(any(reason in name for name in order.order_line.mapped("name")))
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sale.action_report_saleorder", order.ids
        )
        html = html.decode()
        self.assertIn("After-sales fee waiver", html)
        self.assertNotIn("door frame", html)
        # The reason is on the request and in the ticket's history, for the team.
        self.assertEqual(waiver.reason, reason)
        self.assertTrue(any("door frame" in m.body for m in self.ticket.message_ids))


@tagged("post_install", "-at_install")
class TestFeeWaiverTours(HttpCase):
    """Customer service requests a waiver in the web client: from the ticket, from its
    quotation, and from the Fee Waivers menu by the customer's name. The tours are in
    static/tests/tours/aftersales_fee_waiver_tours.js."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        env = cls.env
        cls.rep_user = new_test_user(
            env,
            "waiver_tour_rep",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            aftersales_approval_limit=1000,
        )
        cls.customer = env["res.partner"].create(
            {"name": "Tour Waiver Customer", "is_company": True}
        )
        cls.ticket = (
            env["aftersales.ticket"]
            .with_user(cls.rep_user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "category_id": env.ref("aftersales_service.category_technical_fault").id,
                    "description": "<p>Second visit for the same fault.</p>",
                }
            )
        )
        cls.vat = env["account.tax"].create(
            {"name": "Tour VAT 15%", "amount": 15, "amount_type": "percent"}
        )
        labour = env["product.product"].create({"name": "Tour Labour", "type": "service"})
        cls.quotation = (
            env["sale.order"]
            .with_user(cls.rep_user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "aftersales_ticket_id": cls.ticket.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": labour.id,
                                "price_unit": 300,
                                "tax_id": [Command.set(cls.vat.ids)],
                            }
                        )
                    ],
                }
            )
            .with_user(env.user)
        )

    def _waivers(self):
        return self.env["aftersales.fee.waiver"].search([("ticket_id", "=", self.ticket.id)])

    def test_full_waiver_from_the_ticket(self):
        self.start_tour(
            f"/odoo/aftersales.ticket/{self.ticket.id}",
            "aftersales_fee_waiver_from_ticket",
            login="waiver_tour_rep",
        )
        waiver = self._waivers()
        self.assertEqual(waiver.sale_order_id, self.quotation)
        self.assertEqual(waiver.state, "approved")
        self.assertEqual(waiver.requested_by_id, self.rep_user)
        self.assertEqual(self.quotation.amount_total, 0)

    def test_waiver_from_the_quotation(self):
        self.start_tour(
            f"/odoo/sales/{self.quotation.id}",
            "aftersales_fee_waiver_from_quotation",
            login="waiver_tour_rep",
        )
        waiver = self._waivers()
        self.assertEqual((waiver.sale_order_id, waiver.amount), (self.quotation, 100))
        self.assertAlmostEqual(self.quotation.amount_total, 230)

    def test_waiver_from_the_menu_finds_the_ticket_by_customer(self):
        self.start_tour(
            "/odoo/action-aftersales_service.action_aftersales_fee_waiver",
            "aftersales_fee_waiver_from_menu",
            login="waiver_tour_rep",
        )
        waiver = self._waivers()
        self.assertEqual((waiver.sale_order_id, waiver.amount), (self.quotation, 50))
        self.assertEqual(waiver.reason, "Late arrival")
