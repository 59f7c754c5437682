from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Subsidiary B"})
        cls.rep_b = new_test_user(
            cls.env,
            login="t_rep_b",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "B Customer", "company_id": cls.company_b.id}
        )

    def _ticket_b(self):
        return (
            self.env["aftersales.ticket"]
            .with_user(self.rep_b)
            .with_company(self.company_b)
            .create({"partner_id": self.customer_b.id})
        )

    def test_companies_do_not_see_each_other(self):
        ticket_a = self._ticket()
        ticket_b = self._ticket_b()
        self.assertEqual(ticket_b.company_id, self.company_b)
        Ticket = self.env["aftersales.ticket"]
        ids = (ticket_a | ticket_b).ids
        self.assertEqual(Ticket.with_user(self.rep_b).search([("id", "in", ids)]), ticket_b)
        self.assertEqual(Ticket.with_user(self.rep_user).search([("id", "in", ids)]), ticket_a)
        with self.assertRaises(AccessError):
            ticket_a.with_user(self.rep_b).read(["name"])
        with self.assertRaises(AccessError):
            self.team.with_user(self.rep_b).read(["name"])

    def test_sequence_per_company(self):
        ticket_b1 = self._ticket_b()
        ticket_b2 = self._ticket_b()
        sequence_b = self.env["ir.sequence"].search(
            [("code", "=", "aftersales.ticket"), ("company_id", "=", self.company_b.id)]
        )
        self.assertEqual(len(sequence_b), 1)
        self.assertRegex(ticket_b1.name, r"^AS\d{4}-00001$")
        self.assertRegex(ticket_b2.name, r"^AS\d{4}-00002$")
        ticket_a = self._ticket()
        self.assertNotIn(ticket_a.name, (ticket_b1.name, ticket_b2.name))

    def test_cannot_dispatch_to_another_companys_technician(self):
        employee_b = self.env["hr.employee"].create(
            {"name": "B Tech", "company_id": self.company_b.id, "user_id": self.rep_b.id}
        )
        ticket = self._ticket()
        with self.assertRaises(UserError):
            ticket.with_user(self.rep_user).action_assign(employee_b)
        self.assertEqual(ticket.state, "new")

    def test_kpis_and_evaluations_stay_in_their_company(self):
        ticket_a = self._ticket()
        ticket_b = self._ticket_b()
        analyst_b = new_test_user(
            self.env,
            login="t_analyst_b",
            groups="base.group_user,aftersales_service.group_aftersales_analyst",
            company_id=self.company_b.id,
            company_ids=[self.company_b.id],
        )
        Report = self.env["aftersales.kpi.report"]
        ids = [("ticket_id", "in", (ticket_a | ticket_b).ids)]
        self.assertEqual(Report.with_user(analyst_b).search(ids).ticket_id, ticket_b)
        self.assertEqual(Report.with_user(self.analyst_user).search(ids).ticket_id, ticket_a)
        evaluation_a = self.env["aftersales.evaluation"].create(
            {
                "employee_id": self.tech.id,
                "team_id": self.team.id,
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
            }
        )
        with self.assertRaises(AccessError):
            evaluation_a.with_user(analyst_b).read(["score"])
