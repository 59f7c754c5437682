import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCommon

SIGNATURE = base64.b64encode(b"\x89PNG\r\n\x1a\n a drawn signature").decode()


@tagged("post_install", "-at_install")
class TestIntegrityGuard(AftersalesCommon):
    """What a tester tried over RPC, as each role: each must be refused and change nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket()
        cls.ticket.with_user(cls.rep_user).action_assign(cls.tech)
        cls.ticket.with_user(cls.tech_user).action_accept()
        now = fields.Datetime.now()
        cls.visit = cls.env["aftersales.visit"].create(
            {
                "ticket_id": cls.ticket.id,
                "technician_ids": [Command.set(cls.tech.ids)],
                "scheduled_start": now,
                "scheduled_end": now + timedelta(hours=2),
            }
        )

    def assertRefused(self, record, vals, error=AccessError):
        before = record.sudo().read(list(vals))[0]
        with self.assertRaises(error):
            record.write(vals)
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(list(vals))[0], before)

    # ------------------------------------------------------------------
    # Tickets
    # ------------------------------------------------------------------

    def test_technician_cannot_forge_sla_or_kpi_figures(self):
        ticket = self.ticket.with_user(self.tech_user)
        for vals in (
            {"sla_status": "met"},
            {"deadline_arrival": "2030-01-01 00:00:00"},
            {"sla_next_check": False},
            {"sla_paused_hours_resolution": 100},
            {"sla_waiting_since": "2020-01-01 00:00:00"},
            {"sla_arrival_escalated": True},
            {"date_arrival": "2020-01-01 00:00:00"},
            {"kpi_arrival_hours": 0.1},
            {"is_first_time_fix": True},
            {"sla_policy_id": False},
            {"warranty_id": False},
            {"rating_last_value": 5},
            {"date_deadline": "2030-01-01 00:00:00"},
            {"team_id": self.team_west.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(ticket, vals)
        # What the technician records stays theirs.
        ticket.write({"resolution_cause": "Worn contactor"})
        self.assertEqual(self.ticket.resolution_cause, "Worn contactor")

    def test_teammate_cannot_edit_a_colleagues_ticket(self):
        ticket = self.ticket.with_user(self.tech2_user)  # same team, not assigned
        for vals in (
            {"partner_id": self.other_customer.id},
            {"priority": "3"},
            {"resolution_cause": "Blame the customer"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(ticket, vals)
        with self.assertRaises(AccessError):
            ticket.write({"name": "AS-FORGED"})

    def test_bad_values_are_errors_in_words(self):
        ticket = self.ticket.with_user(self.rep_user)
        with self.assertRaisesRegex(ValidationError, "not a valid Priority"):
            ticket.write({"priority": "9"})
        with self.assertRaisesRegex(ValidationError, "not a valid date"):
            ticket.write({"date_deadline": "2026-13-45 99:00:00"})
        self.assertEqual(self.ticket.priority, "1")

    def test_closed_ticket_is_locked(self):
        ticket = self._resolved_ticket()
        ticket.with_user(self.rep_user).action_customer_confirm()
        ticket.with_user(self.rep_user).action_close()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            ticket.with_user(self.rep_user).write({"resolution_cause": "Rewritten later"})
        self.assertEqual(ticket.resolution_cause, "Worn contactor")

    def test_customer_service_intake_still_works(self):
        with Form(self.env["aftersales.ticket"].with_user(self.rep_user)) as form:
            form.partner_id = self.customer
            form.product_id = self.product
            form.priority = "2"
            form.description = "<p>Noisy fan.</p>"
        ticket = form.record
        self.assertTrue(ticket.name.startswith("AS"))
        ticket.with_user(self.rep_user).write({"priority": "3", "team_id": self.team.id})
        self.assertEqual(ticket.priority, "3")

    def test_creating_a_ticket_in_a_later_state_is_refused(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.rep_user)
        with self.assertRaises(AccessError):
            Ticket.create({"partner_id": self.customer.id, "state": "closed"})
        # The caller's context chooses no status either, with or without the value.
        closing = Ticket.with_context(default_state="closed", default_reopen_count=7)
        with self.assertRaises(AccessError):
            closing.create({"partner_id": self.customer.id, "state": "closed"})
        ticket = closing.create({"partner_id": self.customer.id})
        self.assertEqual((ticket.state, ticket.reopen_count), ("new", 0))
        # The kanban's "+" in the Assigned column makes a new ticket, not an orphan one.
        assigned_column = Ticket.with_context(default_state="assigned")
        self.assertEqual(assigned_column.create({"partner_id": self.customer.id}).state, "new")

    # ------------------------------------------------------------------
    # Visits and signatures
    # ------------------------------------------------------------------

    def test_technician_cannot_forge_visit_times_or_signature(self):
        visit = self.visit.with_user(self.tech_user)
        for vals in (
            {"state": "done"},
            {"check_in": "2020-01-01 08:00:00"},
            {"check_out": "2020-01-01 09:00:00"},
            {"date_departure": "2020-01-01 07:00:00"},
            {"work_hours": 8},
            {"customer_signature": SIGNATURE},
            {"signed_by": "Somebody"},
            {"signed_on": "2020-01-01 09:00:00"},
            {"technician_ids": [Command.set(self.tech2.ids)]},
            {"ticket_id": self._ticket().id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(visit, vals)
        with self.assertRaises(AccessError):
            self.env["aftersales.visit"].with_user(self.rep_user).create(
                {
                    "ticket_id": self.ticket.id,
                    "technician_ids": [Command.set(self.tech.ids)],
                    "scheduled_start": fields.Datetime.now(),
                    "scheduled_end": fields.Datetime.now() + timedelta(hours=1),
                    "check_in": "2020-01-01 08:00:00",
                }
            )

    def test_on_site_signature_through_its_button_then_locked(self):
        visit = self.visit.with_user(self.tech_user)
        with self.assertRaisesRegex(UserError, "not on site"):
            visit.action_sign(SIGNATURE, "Site Manager")
        visit.action_check_in()
        wizard = (
            self.env["aftersales.visit.sign"]
            .with_user(self.tech_user)
            .create({"visit_id": visit.id, "signed_by": " ", "customer_signature": SIGNATURE})
        )
        with self.assertRaisesRegex(UserError, "name of the person signing"):
            wizard.action_sign()
        wizard.signed_by = "Site Manager"
        wizard.action_sign()
        self.assertEqual(self.visit.signed_by, "Site Manager")
        self.assertTrue(self.visit.signed_on)
        with self.assertRaisesRegex(UserError, "already signed"):
            visit.action_sign(SIGNATURE, "Someone Else")
        with self.assertRaisesRegex(UserError, "can no longer change"):
            visit.write({"customer_opinion": "Changed after signing"})
        # A teammate who is not on the visit cannot collect signatures.
        other = self.env["aftersales.visit"].create(
            {
                "ticket_id": self.ticket.id,
                "technician_ids": [Command.set(self.tech.ids)],
                "scheduled_start": fields.Datetime.now(),
                "scheduled_end": fields.Datetime.now() + timedelta(hours=1),
            }
        )
        other.with_user(self.tech_user).action_check_in()
        with self.assertRaises(AccessError):
            other.with_user(self.tech2_user).action_sign(SIGNATURE, "Site Manager")

    # ------------------------------------------------------------------
    # Money: fund, waivers, penalties, evaluations, warranties, contracts
    # ------------------------------------------------------------------

    def test_fund_drawing_cannot_approve_itself(self):
        emergency = self._ticket(priority="3")
        Move = self.env["aftersales.fund.move"].with_user(self.rep_user)
        with self.assertRaises(AccessError):
            Move.create(
                {
                    "kind": "drawing",
                    "ticket_id": emergency.id,
                    "amount": 50,
                    "description": "Crane",
                    "state": "approved",
                }
            )
        drawing = Move.create(
            {"kind": "drawing", "ticket_id": emergency.id, "amount": 50, "description": "Crane"}
        )
        for vals in (
            {"state": "approved"},
            {"kind": "allocation"},
            {"decided_by_id": self.manager_user.id},
            {"override_reason": "Because"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(drawing, vals)
        drawing.sudo().action_refuse()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            drawing.write({"amount": 5000})

    def test_waiver_decisions_are_the_buttons(self):
        waiver = (
            self.env["aftersales.fee.waiver"]
            .with_user(self.rep_user)
            .create({"ticket_id": self.ticket.id, "amount": 20, "reason": "Goodwill"})
        )
        for vals in ({"state": "approved"}, {"decided_by_id": self.manager_user.id}):
            with self.subTest(vals=vals):
                self.assertRefused(waiver, vals)
        waiver.with_user(self.manager_user).action_approve()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            waiver.with_user(self.manager_user).write({"amount": 2000})
        self.assertEqual(waiver.amount, 20)

    def test_confirmed_penalty_and_acknowledged_evaluation_are_frozen(self):
        rule = self.env["aftersales.penalty.rule"].create(
            {"name": "Late", "code": "T_LATE", "kind": "penalty", "amount": 50, "points": 1}
        )
        penalty = self.env["aftersales.penalty"].create(
            {"employee_id": self.tech.id, "rule_id": rule.id}
        )
        self.assertRefused(penalty.with_user(self.tech_user), {"amount": 0})
        penalty.with_user(self.manager_user).action_confirm()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            penalty.with_user(self.manager_user).write({"amount": 1})
        penalty.with_user(self.tech_user).write({"objection": "The road was closed."})
        self.assertEqual(penalty.amount, 50)

        evaluation = self.env["aftersales.evaluation"].create(
            {
                "employee_id": self.tech.id,
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
            }
        )
        self.assertRefused(evaluation.with_user(self.manager_user), {"score": 99})
        self.assertRefused(evaluation.with_user(self.manager_user), {"rank": 1})
        evaluation.with_user(self.manager_user).action_confirm()
        evaluation.with_user(self.tech_user).write({"employee_comment": "Fair."})
        evaluation.with_user(self.tech_user).action_acknowledge()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            evaluation.with_user(self.manager_user).write({"manager_comment": "Rewritten"})

    def test_customer_service_cannot_rewrite_warranties(self):
        rule = self.env["aftersales.warranty.rule"].create(
            {"name": "All 12 months", "applies_to": "all", "duration": 12}
        )
        warranty = (
            self.env["aftersales.warranty"]
            .with_user(self.rep_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.other_product.id,
                    "lot_id": self.other_lot.id,
                    "rule_id": rule.id,
                    "date_start": "2026-01-01",
                }
            )
        )
        self.assertEqual(str(warranty.date_end), "2026-12-31")
        rep = warranty.with_user(self.rep_user)
        self.assertRefused(rep, {"date_end": "2035-01-01"})
        self.assertRefused(rep, {"date_start": "2030-01-01"})
        rep.action_void("Registered twice")
        self.assertRefused(rep, {"is_void": False})
        with self.assertRaises(AccessError):
            rep.action_extend(600)
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.extension"].with_user(self.rep_user).create(
                {"warranty_id": warranty.id, "months": 600}
            )

    def test_contract_activates_only_through_its_button(self):
        contract = (
            self.env["aftersales.contract"]
            .with_user(self.rep_user)
            .create({"partner_id": self.customer.id, "date_end": "2099-12-31"})
        )
        self.assertRefused(contract, {"state": "active"})
        with self.assertRaisesRegex(UserError, "must cover"):
            contract.action_activate()
        self.assertEqual(contract.state, "draft")
