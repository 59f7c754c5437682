from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_parts import PartsCommon


@tagged("post_install", "-at_install")
class TestTicketCosts(PartsCommon):
    def test_cost_per_ticket_on_hand_computed_figures(self):
        self.tech.hourly_cost = 50
        ticket = self._unit_ticket(priority="3")  # the emergency fund pays emergencies
        self.assertEqual(ticket.warranty_state, "in")
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write(
            {"part_ids": [Command.create({"product_id": self.part.id, "quantity": 2})]}
        )
        with self._at("2026-05-04 08:00:00"):
            visit.with_user(self.tech_user).action_depart()
        with self._at("2026-05-04 09:00:00"):
            visit.with_user(self.tech_user).action_check_in()
        with self._at("2026-05-04 11:00:00"):
            visit.with_user(self.tech_user).action_check_out()
        # 1 h on the road + 2 h on site at 50 an hour; 2 contactors at 40.
        self.assertEqual((visit.travel_hours, visit.work_hours), (1.0, 2.0))
        self.assertEqual(ticket.cost_labour, 150)
        self.assertEqual(ticket.cost_parts, 80)

        self.env["hr.expense"].with_user(self.tech_user).create(
            {
                "name": "Tolls",
                "employee_id": self.tech.id,
                "product_id": self.env.ref("hr_expense.expense_product_mileage").id,
                "quantity": 1,
                "price_unit": 35,
                "total_amount_currency": 35,
                "date": "2026-05-04",
                "aftersales_visit_id": visit.id,
            }
        )
        self.assertEqual(ticket.cost_expense, 35)

        Fund = self.env["aftersales.fund.move"].with_user(self.manager_user)
        Fund.create({"kind": "allocation", "amount": 1000, "description": "Q2 fund"})
        drawing = Fund.create(
            {"kind": "drawing", "ticket_id": ticket.id, "amount": 100, "description": "Crane"}
        )
        self.assertEqual(ticket.cost_fund, 0, "not approved yet")
        drawing.action_approve()
        self.assertEqual(ticket.cost_fund, 100)

        waiver = (
            self.env["aftersales.fee.waiver"]
            .with_user(self.rep_user)
            .create(
                {"ticket_id": ticket.id, "amount": 30, "reason": "Second visit for the same fault"}
            )
        )
        waiver.action_approve()
        self.assertEqual(ticket.cost_waiver, 30)

        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "aftersales_ticket_id": ticket.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "aftersales_service.product_service_labour"
                            ).id,
                            "product_uom_qty": 1,
                            "price_unit": 500,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(ticket.amount_invoiced, 0, "a draft invoice is not invoiced yet")
        invoice.action_post()
        self.assertEqual(ticket.amount_invoiced, 500)
        self.assertEqual(ticket.cost_total, 80 + 150 + 35 + 100 + 30)

        # The same figures in the cost report, by team and month, for an analyst.
        Report = self.env["aftersales.kpi.report"].with_user(self.analyst_user)
        [(team, total, invoiced, margin, warranty_cost, paid)] = Report._read_group(
            [("ticket_id", "=", ticket.id)],
            ["team_id"],
            [
                "cost_total:sum",
                "amount_invoiced:sum",
                "cost_margin:sum",
                "warranty_cost:sum",
                "paid_revenue:sum",
            ],
        )
        self.assertEqual(team, self.team)
        self.assertEqual((total, invoiced, margin), (395, 500, 105))
        self.assertEqual((warranty_cost, paid), (395, 0), "in warranty: a cost, not revenue")

        # A cancelled invoice is not invoiced any more; the figures are the methods'.
        invoice.button_draft()
        self.assertEqual(ticket.amount_invoiced, 0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager_user).write({"cost_total": 1})
