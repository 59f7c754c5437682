from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .test_service_execution import ExecutionCommon


@tagged("post_install", "-at_install")
class TestVisitExpenses(ExecutionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.travel = cls.env.ref("hr_expense.expense_product_travel_accommodation")
        cls.ticket = cls._unit_ticket_cls()
        cls.visit = cls.env["aftersales.visit"].create(
            {
                "ticket_id": cls.ticket.id,
                "technician_ids": [Command.set(cls.tech.ids)],
                "scheduled_start": "2026-05-04 01:00:00",
                "scheduled_end": "2026-05-05 09:00:00",
            }
        )

    @classmethod
    def _unit_ticket_cls(cls):
        ticket = cls._ticket(lot_id=cls.unit.id)
        ticket.with_user(cls.rep_user).action_assign(cls.tech)
        ticket.with_user(cls.tech_user).action_accept()
        return ticket

    def _expense(self, user, **vals):
        return (
            self.env["hr.expense"]
            .with_user(user)
            .create(
                {
                    "name": "Hotel",
                    "employee_id": self.tech.id,
                    "product_id": self.travel.id,
                    "total_amount_currency": 320,
                    "date": "2026-05-04",
                    "aftersales_visit_id": self.visit.id,
                    **vals,
                }
            )
        )

    def test_technician_records_the_trip_expense_on_the_ticket(self):
        action = self.visit.with_user(self.tech_user).action_add_expense()
        self.assertEqual(action["context"]["default_employee_id"], self.tech.id)
        form = Form(
            self.env["hr.expense"].with_user(self.tech_user).with_context(**action["context"])
        )
        form.product_id = self.travel
        form.total_amount_currency = 320
        form.date = date(2026, 5, 5)
        expense = form.save()
        self.assertEqual(expense.aftersales_visit_id, self.visit)
        self.assertEqual(expense.aftersales_ticket_id, self.ticket, "the expense is on the ticket")
        self.assertEqual(self.visit.expense_ids, expense)
        self.assertEqual(self.visit.expense_total, 320)
        # Customer service and analysts read the trip's receipts; they do not change them.
        self.assertEqual(self.visit.with_user(self.rep_user).expense_ids, expense)
        self.assertEqual(self.visit.with_user(self.analyst_user).expense_count, 1)
        expense.with_user(self.analyst_user).read(["total_amount", "nb_attachment"])
        with self.assertRaises(AccessError):
            expense.with_user(self.rep_user).write({"total_amount_currency": 1})
        self.assertEqual(
            self.env["hr.expense"].search([("aftersales_ticket_id", "=", self.ticket.id)]), expense
        )

    def test_receipts_match_the_trip(self):
        # assertRaises (not ...Regex) rolls back to a savepoint: nothing is left behind.
        with self.assertRaises(ValidationError) as caught:
            self._expense(self.tech_user, date="2026-05-09")
        self.assertIn("does not match the trip", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self._expense(self.tech2_user, employee_id=self.tech2.id)
        self.assertIn("not a technician of visit", str(caught.exception))
        with self.assertRaises(AccessError):
            self.visit.with_user(self.tech2_user).action_add_expense()
        self.assertFalse(
            self.env["hr.expense"].search_count([("aftersales_visit_id", "=", self.visit.id)]),
            "nothing recorded",
        )
