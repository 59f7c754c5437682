from datetime import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_integrity_approvals import RefusedMixin
from .test_kpi import KpiCommon
from .test_service_execution import ExecutionCommon


@tagged("post_install", "-at_install")
class TestCompanyRules(ExecutionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Subsidiary B"})
        b_only = {"company_id": cls.company_b.id, "company_ids": [cls.company_b.id]}
        cls.rep_b = new_test_user(
            cls.env,
            login="t_rep_b",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            **b_only,
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="t_manager_b",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
            **b_only,
        )

    def test_every_company_owned_model_has_a_company_rule(self):
        Rule = self.env["ir.rule"].sudo()
        checked = []
        for name in self.env.registry:
            Model = self.env[name]
            field = Model._fields.get("company_id")
            if not (name.startswith("aftersales.") and field and field.store):
                continue
            if Model._abstract or Model._transient:
                continue
            rules = Rule.search([("model_id.model", "=", name), ("global", "=", True)])
            self.assertTrue(
                rules.filtered(lambda r: "company_ids" in (r.domain_force or "")),
                f"{name} has a company but no multi-company rule",
            )
            checked.append(name)
        self.assertIn("aftersales.visit.part", checked)
        self.assertIn("aftersales.zone", checked)

    def test_another_company_neither_reads_nor_writes_visit_parts(self):
        ticket = self._unit_ticket()
        visit = self._visit(
            ticket, part_ids=[Command.create({"product_id": self.part.id, "quantity": 2})]
        )
        part = visit.part_ids
        Part = self.env["aftersales.visit.part"]
        self.assertFalse(Part.with_user(self.rep_b).search([("id", "=", part.id)]))
        with self.assertRaises(AccessError):
            part.with_user(self.rep_b).read(["quantity"])
        with self.assertRaises(AccessError):
            part.with_user(self.rep_b).write({"quantity": 5})
        self.assertEqual(part.quantity, 2)
        self.assertEqual(Part.with_user(self.rep_user).search([("id", "=", part.id)]), part)

    def test_another_company_neither_reads_nor_writes_zones(self):
        Zone = self.env["aftersales.zone"]
        zone_a = Zone.create({"name": "A ring", "arrival_hours": 3, "company_id": self.company.id})
        shared = Zone.create({"name": "Shared remote", "per_contract": True, "company_id": False})
        zone_b = Zone.with_user(self.manager_b).create({"name": "B ring", "arrival_hours": 2})
        self.assertEqual(zone_b.company_id, self.company_b)
        ids = (zone_a | shared | zone_b).ids
        self.assertEqual(
            Zone.with_user(self.manager_b).search([("id", "in", ids)]), shared | zone_b
        )
        with self.assertRaises(AccessError):
            zone_a.with_user(self.manager_b).read(["name"])
        with self.assertRaises(AccessError):
            zone_a.with_user(self.manager_b).write({"arrival_hours": 1})
        self.assertEqual(zone_a.arrival_hours, 3)
        self.assertEqual(
            Zone.with_user(self.manager_user).search([("id", "in", ids)]), zone_a | shared
        )

    def test_references_are_unique_per_company(self):
        ticket = self._ticket()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError) as caught,
            self.env.cr.savepoint(),
        ):
            self._ticket(name=ticket.name)
        # What a user sees over RPC, where Odoo turns the error into a ValidationError.
        self.assertIn(
            "Another ticket of this company already has this reference",
            str(_as_validation_error(self.env, caught.exception)),
        )
        self.assertEqual(
            self.env["aftersales.ticket"].search_count([("name", "=", ticket.name)]), 1
        )
        # Each company numbers its own tickets: the same reference may exist in both.
        customer_b = self.env["res.partner"].create({"name": "B Customer"})
        ticket_b = (
            self.env["aftersales.ticket"]
            .with_user(self.rep_b)
            .create({"partner_id": customer_b.id, "name": ticket.name})
        )
        self.assertEqual((ticket_b.name, ticket_b.company_id), (ticket.name, self.company_b))


@tagged("post_install", "-at_install")
class TestFiguresInWords(RefusedMixin, ExecutionCommon):
    """Figures that pay, fine or promise are positive; deadlines are ahead."""

    def test_penalties_and_rewards_are_positive_figures(self):
        rule = self.env["aftersales.penalty.rule"].create(
            {"code": "T_LATE", "name": "Late", "kind": "penalty", "amount": 20, "points": 2}
        )
        Penalty = self.env["aftersales.penalty"].with_user(self.manager_user)
        before = Penalty.search_count([])
        for values in ({"amount": -20}, {"points": -2}):
            with self.refused(ValidationError, "positive figures"):
                Penalty.create({"employee_id": self.tech.id, "rule_id": rule.id, **values})
        self.assertEqual(Penalty.search_count([]), before)
        penalty = Penalty.create({"employee_id": self.tech.id, "rule_id": rule.id})
        self.assertEqual((penalty.amount, penalty.points), (20, 2))
        with self.refused(ValidationError, "positive figures"):
            penalty.write({"points": -5})
        self.assertEqual((penalty.amount, penalty.points), (20, 2))

    def test_contract_price_is_not_negative(self):
        Contract = self.env["aftersales.contract"].with_user(self.rep_user)
        values = {
            "partner_id": self.customer.id,
            "product_ids": [Command.set(self.product.ids)],
            "date_start": "2026-01-01",
            "date_end": "2026-12-31",
        }
        with self.refused(ValidationError, "price .* cannot be negative"):
            Contract.create({**values, "price": -1200})
        contract = Contract.create({**values, "price": 1200})
        with self.refused(ValidationError, "price .* cannot be negative"):
            contract.write({"price": -1})
        self.assertEqual(contract.price, 1200)

    def test_an_arrival_target_is_positive(self):
        Policy = self.env["aftersales.sla.policy"]
        values = {
            "name": "Own arrival",
            "arrival_from_zone": False,
            "response_hours": 4,
            "resolution_hours": 24,
            "sequence": 97,
        }
        for hours in (0, -3):
            with self.refused(ValidationError, "positive arrival target"):
                Policy.create({**values, "arrival_hours": hours})
        policy = Policy.create({**values, "arrival_hours": 6})
        with self.refused(ValidationError, "positive arrival target"):
            policy.write({"arrival_hours": 0})
        self.assertEqual(policy.arrival_hours, 6)
        # From the zone, the policy's own figure is not used: zero is fine there.
        policy.write({"arrival_from_zone": True, "arrival_hours": 0})

    def test_deadlines_are_ahead(self):
        with freeze_time("2026-05-01 08:00:00"):
            Ticket = self.env["aftersales.ticket"]
            before = Ticket.search_count([])
            with self.refused(ValidationError, "already past"):
                self._ticket(date_deadline="2026-05-01 07:59:00")
            self.assertEqual(Ticket.search_count([]), before, "nothing created")
            ticket = self._ticket()
            with self.refused(ValidationError, "already past"):
                ticket.with_user(self.rep_user).action_assign(
                    self.tech, deadline=datetime(2026, 4, 30, 17)
                )
            self.assertEqual((ticket.state, ticket.technician_id), ("new", self.tech.browse()))
            self.assertFalse(ticket.date_deadline)
            wizard = (
                self.env["aftersales.ticket.assign"]
                .with_user(self.rep_user)
                .with_context(active_model="aftersales.ticket", active_ids=ticket.ids)
                .create(
                    {
                        "ticket_ids": [Command.set(ticket.ids)],
                        "technician_id": self.tech.id,
                        "date_deadline": "2026-04-30 12:00:00",
                    }
                )
            )
            with self.refused(UserError, "already past"):
                wizard.action_assign()
            self.assertEqual(ticket.state, "new")
            ticket.with_user(self.rep_user).action_assign(
                self.tech, deadline=datetime(2026, 5, 1, 12)
            )
            self.assertEqual(ticket.date_deadline, datetime(2026, 5, 1, 12))
            with self.refused(ValidationError, "already past"):
                ticket.with_user(self.rep_user).write({"date_deadline": "2026-04-01 00:00:00"})
            self.assertEqual(ticket.date_deadline, datetime(2026, 5, 1, 12))


@tagged("post_install", "-at_install")
class TestPaidQuotationParts(ExecutionCommon):
    def test_a_cancelled_visit_bills_no_parts(self):
        fan = self.env["product.product"].create(
            {"name": "Fan Motor", "is_storable": True, "list_price": 80}
        )
        ticket = self._ticket(lot_id=self.lot.id)  # not registered: paid service
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        done = self._visit(
            ticket,
            part_ids=[Command.create({"product_id": self.part.id, "quantity": 2})],
        )
        with freeze_time("2026-05-04 08:00:00"):
            done.with_user(self.tech_user).action_check_in()
        done.with_user(self.tech_user).write(
            {"work_done": "<p>Replaced two contactors.</p>", "customer_opinion": "Fine"}
        )
        with freeze_time("2026-05-04 09:30:00"):
            done.with_user(self.tech_user).action_check_out()
        cancelled = self._visit(
            ticket, part_ids=[Command.create({"product_id": fan.id, "quantity": 3})]
        )
        cancelled.with_user(self.rep_user).action_cancel()
        self.assertEqual((done.state, cancelled.state), ("done", "cancelled"))

        action = ticket.with_user(self.rep_user).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        labour = self.env.ref("aftersales_service.product_service_labour")
        self.assertEqual(
            sorted((line.product_id.name, line.product_uom_qty) for line in order.order_line),
            sorted([(labour.name, 1.5), ("Contactor", 2.0)]),
            "the cancelled visit's 3 fan motors are not billed",
        )
        # 1.5 h of labour at 300 + 2 contactors at 50.
        self.assertEqual(order.amount_untaxed, 550)


@tagged("post_install", "-at_install")
class TestEvaluationRanksStay(KpiCommon):
    def _generate(self):
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create({"period_type": "month", "date_reference": "2026-03-15"})
        )
        return wizard._generate()

    def test_rerunning_keeps_confirmed_ranks(self):
        _a, _b, c, _d = self._build_week()
        evaluations = self._generate()
        tech_one = evaluations.filtered(lambda e: e.employee_id == self.tech)
        tech_two = evaluations.filtered(lambda e: e.employee_id == self.tech2)
        # Tech Two 100 (only "no repeat" and penalties have data), Tech One 66.5.
        self.assertEqual((tech_two.score, tech_one.score), (100, 66.5))
        self.assertEqual((tech_two.rank, tech_one.rank, tech_one.rank_size), (1, 2, 2))
        tech_one.with_user(self.manager_user).action_confirm()

        # C's customer rates 1: Tech Two's draft drops to
        # (100 x 20 no repeat + 0 x 20 satisfaction + 100 x 10 penalties) / 50 = 60.
        self._rate(c, 1)
        again = self._generate()
        self.assertEqual(again, tech_two, "the confirmed evaluation is left out")
        self.assertEqual(tech_two.score, 60)
        self.assertEqual(
            (tech_one.score, tech_one.rank, tech_one.rank_size),
            (66.5, 2, 2),
            "confirmed as second of two: it stays so",
        )
        self.assertEqual(
            (tech_two.rank, tech_two.rank_size),
            (2, 2),
            "the draft is placed by score: behind the confirmed 66.5",
        )

        tech_one.with_user(self.tech_user).action_acknowledge()
        self._rate(c, 5)  # back to 100: (100 x 20 + 100 x 20 + 100 x 10) / 50
        self._generate()
        self.assertEqual((tech_two.score, tech_two.rank), (100, 1))
        self.assertEqual(
            (tech_one.state, tech_one.rank, tech_one.rank_size), ("acknowledged", 2, 2)
        )
