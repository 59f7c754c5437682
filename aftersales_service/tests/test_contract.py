from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .warranty_common import WarrantyCommon


@tagged("post_install", "-at_install")
class TestContract(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The customer's installed unit, registered under warranty.
        cls.env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "date_start": "2025-06-01",
            }
        )
        cls.contract_policy = cls.env["aftersales.sla.policy"].create(
            {
                "name": "Contract 2h",
                "response_hours": 2,
                "resolution_hours": 8,
                "contract_only": True,
            }
        )
        cls.inspection = cls.env.ref("aftersales_service.category_preventive_inspection")

    def _contract(self, **vals):
        return (
            self.env["aftersales.contract"]
            .with_user(self.rep_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "lot_ids": [Command.set(self.lot.ids)],
                    "date_start": "2026-01-15",
                    "date_end": "2026-12-31",
                    "inspection_frequency": "quarterly",
                    "sla_policy_id": self.contract_policy.id,
                    "technician_id": self.tech.id,
                    "team_id": self.team.id,
                    **vals,
                }
            )
        )

    def _plan(self, day):
        """The inspections the cron plans on `day` (for this test's contracts only: the
        demo's may be due as well)."""
        with self._at(f"{day} 01:00:00"):
            planned = self.env["aftersales.contract"]._cron_plan_inspections()
        return planned.filtered(lambda t: t.contract_id.partner_id == self.customer)

    def test_cron_plans_exactly_the_due_inspections(self):
        with self._at("2026-01-02 08:00:00"):
            contract = self._contract()
            contract.action_activate()
        self.assertEqual(contract.next_inspection_date, date(2026, 1, 15))
        self.assertFalse(self._plan("2026-01-07"), "8 days ahead: not yet")
        first = self._plan("2026-01-08")
        self.assertEqual(first.contract_inspection_date, date(2026, 1, 15))
        self.assertFalse(self._plan("2026-01-08"), "running twice plans nothing more")
        self.assertEqual(contract.next_inspection_date, date(2026, 4, 15))
        self.assertEqual(first.category_id, self.inspection)
        self.assertEqual(first.lot_id, self.lot)
        self.assertEqual(first.state, "assigned")
        self.assertEqual(first.technician_id, self.tech)
        self.assertEqual(first.sla_policy_id, self.contract_policy)
        self.assertEqual(len(first.visit_ids), 1)
        self.assertEqual(first.visit_ids.technician_ids, self.tech)
        self.assertEqual(self._plan("2026-04-08").contract_inspection_date, date(2026, 4, 15))
        # The cron did not run for months: it catches up, once.
        caught_up = self._plan("2026-10-10")
        self.assertEqual(
            caught_up.mapped("contract_inspection_date"), [date(2026, 7, 15), date(2026, 10, 15)]
        )
        self.assertFalse(self._plan("2026-10-10"))
        self.assertFalse(self._plan("2027-01-10"), "no inspection after the contract's end")
        self.assertEqual(contract.inspection_count, 4)
        self.assertFalse(contract.next_inspection_date)

    def test_inspection_dates_are_unique_in_database(self):
        with self._at("2026-01-02 08:00:00"):
            contract = self._contract()
            contract.action_activate()
        ticket = self._plan("2026-01-08")
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            ticket.copy({"contract_id": contract.id, "contract_inspection_date": "2026-01-15"})
            self.env.flush_all()

    def test_tickets_of_covered_units_get_the_contracts_service_levels(self):
        with self._at("2026-01-02 08:00:00"):
            contract = self._contract()
            contract.action_activate()
        with self._at("2026-02-02 08:00:00"):
            covered = self._ticket()
            other = self._ticket(product_id=self.other_product.id, lot_id=self.other_lot.id)
        self.assertEqual(covered.contract_id, contract)
        self.assertEqual(covered.sla_policy_id, self.contract_policy)
        self.assertFalse(other.contract_id)
        self.assertNotEqual(other.sla_policy_id, self.contract_policy, "a contract-only policy")
        self.assertEqual(contract.ticket_count, 1)

    def test_validation_and_access(self):
        with self.assertRaisesRegex(ValidationError, "were not delivered"):
            self._contract(lot_ids=[Command.set(self.other_lot.ids)])
        with self.assertRaises(ValidationError):
            self._contract(date_end="2025-01-01")
        contract = self._contract()
        with self.assertRaises(AccessError):
            contract.with_user(self.tech_user).write({"price": 1})
        with self.assertRaises(AccessError):
            self.env["aftersales.contract"].with_user(self.analyst_user).create(
                {"partner_id": self.customer.id, "date_end": "2026-12-31"}
            )
        empty = self._contract(lot_ids=[], product_ids=[])
        with self.assertRaisesRegex(UserError, "must cover"):
            empty.action_activate()
        self.assertEqual(empty.state, "draft")

    def test_expiry_and_renewal_reminder(self):
        with self._at("2026-01-02 08:00:00"):
            contract = self._contract(user_id=self.salesperson.id)
            contract.action_activate()
        Contract = self.env["aftersales.contract"]
        with self._at("2026-12-05 08:00:00"):
            Contract._cron_expire_and_remind()
            Contract._cron_expire_and_remind()
        reminders = contract.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(len(reminders), 1, "reminded once")
        self.assertEqual(contract.state, "active")
        with self._at("2027-01-01 08:00:00"):
            Contract._cron_expire_and_remind()
        self.assertEqual(contract.state, "expired")
        self.assertFalse(self._plan("2027-01-02"))

    def test_selling_a_contract_opens_a_draft(self):
        service = self.env["product.product"].create(
            {
                "name": "Maintenance Contract Gold",
                "type": "service",
                "list_price": 1200,
                "aftersales_is_contract": True,
                "aftersales_contract_months": 12,
                "aftersales_contract_frequency": "monthly",
            }
        )
        with self._at("2026-03-01 08:00:00"):
            order = self._sell([(service, 1)])
        contract = self.env["aftersales.contract"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.partner_id, self.customer)
        self.assertEqual(contract.price, 1200)
        self.assertEqual(
            (contract.date_start, contract.date_end), (date(2026, 3, 1), date(2027, 2, 28))
        )
        self.assertEqual(contract.inspection_frequency, "monthly")
        self.assertEqual(contract.lot_ids, self.lot, "the customer's units")
        self.assertEqual(order.aftersales_contract_count, 1)


@tagged("post_install", "-at_install")
class TestEmergencyFund(WarrantyCommon):
    def setUp(self):
        super().setUp()
        self.Fund = self.env["aftersales.fund.move"]
        self.emergency = self._ticket(priority="3")
        self.rep_user.aftersales_approval_limit = 1000

    def _balance(self):
        return self.company._aftersales_fund_balance()

    def _drawing(self, amount, ticket=None):
        return self.Fund.with_user(self.rep_user).create(
            {
                "kind": "drawing",
                "ticket_id": (ticket or self.emergency).id,
                "amount": amount,
                "description": "Night call-out, crane rental",
            }
        )

    def test_allocations_and_drawings(self):
        start = self._balance()
        with self.assertRaises(AccessError):
            self.Fund.with_user(self.rep_user).create(
                {"kind": "allocation", "amount": 100, "description": "x"}
            )
        allocation = self.Fund.with_user(self.manager_user).create(
            {"kind": "allocation", "amount": 5000, "description": "Q1 budget"}
        )
        self.assertEqual(allocation.state, "approved")
        self.assertEqual(self._balance(), start + 5000)

        with self.assertRaisesRegex(ValidationError, "not an emergency ticket"):
            self._drawing(100, ticket=self._ticket(priority="1"))
        with self.assertRaisesRegex(ValidationError, "positive"):
            self._drawing(-5)

        within = self._drawing(800)
        within.with_user(self.rep_user).action_approve()
        self.assertEqual(within.state, "approved")
        self.assertEqual(self._balance(), start + 4200)
        self.assertTrue(
            self.emergency.message_ids.filtered(lambda m: "approved by" in (m.body or ""))
        )

        above = self._drawing(3000)
        above.with_user(self.rep_user).action_approve()
        self.assertEqual(above.state, "escalated", "above the rep's limit: the managers decide")
        self.assertTrue(above.activity_ids.filtered(lambda a: a.user_id == self.manager_user))
        above.with_user(self.manager_user).action_approve()
        self.assertEqual(above.state, "approved")
        self.assertEqual(self._balance(), start + 1200)
        with self.assertRaises(UserError):
            above.with_user(self.manager_user).write({"amount": 1})

    def test_the_fund_does_not_go_negative_without_a_manager(self):
        self.Fund.with_user(self.manager_user).create(
            {"kind": "allocation", "amount": 100, "description": "Budget"}
        )
        balance = self._balance()
        drawing = self._drawing(balance + 50)
        with self.assertRaisesRegex(UserError, "cannot pay"):
            drawing.with_user(self.manager_user).action_approve()
        self.assertEqual(drawing.state, "to_approve")
        with self.assertRaises(AccessError):
            drawing.with_user(self.rep_user).action_approve_override("Flood")
        with self.assertRaises(UserError):
            drawing.with_user(self.manager_user).action_approve_override(" ")
        drawing.with_user(self.manager_user).action_approve_override("Flooded plant, safety")
        self.assertEqual(drawing.state, "approved")
        self.assertEqual(self._balance(), -50)
        self.assertEqual(drawing.override_reason, "Flooded plant, safety")
        self.assertEqual(self.team.dashboard_fund_balance, -50)
        with self.assertRaises(AccessError):
            self.Fund.with_user(self.tech_user).search([])
