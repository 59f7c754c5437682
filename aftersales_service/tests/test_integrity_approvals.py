from contextlib import contextmanager

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .race_common import RACE_CONTEXT, AftersalesRaceCase
from .test_service_execution import ExecutionCommon


@tagged("post_install", "-at_install")
class TestApprovalConcurrency(AftersalesRaceCase):
    """Two managers decide at the same moment, each in their own transaction, the way two
    requests of a multi-worker server do. A TransactionCase's data is invisible to other
    cursors, so the fixtures are committed here and removed at the end."""

    FUND = 1000.0  # the fund holds this much when each test starts

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.move_ids = []
        cls.addClassCleanup(cls._remove_fixtures)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, RACE_CONTEXT)
            groups = "base.group_user,aftersales_service.group_aftersales_manager"
            managers = [
                new_test_user(env, login=f"t_race_manager_{i}", groups=groups) for i in (1, 2)
            ]
            cls.manager_ids = [manager.id for manager in managers]
            customer = env["res.partner"].create({"name": "Race Plant", "is_company": True})
            cls.customer_id = customer.id
            ticket = env["aftersales.ticket"].create(
                {"partner_id": customer.id, "priority": "3", "description": "<p>Flooded.</p>"}
            )
            cls.ticket_id = ticket.id
            cls.company_id = ticket.company_id.id
            # Bring the company's fund to exactly FUND (demo data may hold money already).
            start = ticket.company_id._aftersales_fund_balance()
            if start != cls.FUND:
                adjust = env["aftersales.fund.move"].create(
                    {
                        "kind": "allocation" if start < cls.FUND else "drawing",
                        "ticket_id": ticket.id,
                        "amount": abs(cls.FUND - start),
                        "description": "Race test: bring the fund to 1,000",
                    }
                )
                cls.move_ids.append(adjust.id)
                if adjust.kind == "drawing":
                    adjust.action_approve()
            assert ticket.company_id._aftersales_fund_balance() == cls.FUND

    @classmethod
    def _delete_moves(cls, cr, ids):
        # Approved moves refuse deletion by design: test data goes by SQL.
        if not ids:
            return
        ids = tuple(ids)
        for table, model_column in (
            ("mail_message", "model"),
            ("mail_followers", "res_model"),
            ("mail_activity", "res_model"),
        ):
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s = %s AND res_id IN %s",
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    "aftersales.fund.move",
                    ids,
                )
            )
        cr.execute(SQL("DELETE FROM aftersales_fund_move WHERE id IN %s", ids))

    @classmethod
    def _remove_fixtures(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls._delete_moves(cr, cls.move_ids)
            env["aftersales.ticket"].browse(getattr(cls, "ticket_id", [])).exists().unlink()
            users = env["res.users"].browse(getattr(cls, "manager_ids", [])).exists()
            partners = users.partner_id | env["res.partner"].browse(getattr(cls, "customer_id", []))
            users.unlink()
            partners.exists().unlink()

    def _drawings(self, *amounts):
        with self.registry.cursor() as cr:
            moves = self._env(cr)["aftersales.fund.move"].create(
                [
                    {
                        "kind": "drawing",
                        "ticket_id": self.ticket_id,
                        "amount": amount,
                        "description": "Crane rental",
                    }
                    for amount in amounts
                ]
            )
        # Each test starts from the same 1,000.
        self.addCleanup(self._delete_moves_committed, moves.ids)
        return moves.ids

    def _delete_moves_committed(self, ids):
        with self.registry.cursor() as cr:
            self._delete_moves(cr, ids)

    def _race(self, calls):
        """Run each (user id, move id, decide(move)) at once; each reads the fund first
        (its snapshot: what a request has seen before it acts)."""
        return super()._race(
            [
                (uid, lambda env, m=move_id, d=decide: d(env["aftersales.fund.move"].browse(m)))
                for uid, move_id, decide in calls
            ],
            snapshot=lambda env: (
                env["res.company"].browse(self.company_id)._aftersales_fund_balance()
            ),
        )

    def _state(self, move_ids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            moves = env["aftersales.fund.move"].browse(move_ids)
            return (
                env["res.company"].browse(self.company_id)._aftersales_fund_balance(),
                [(m.state, m.override_reason, m.decided_by_id.id) for m in moves],
            )

    def _one_winner(self, race, message):
        """One decision went through; the other had to wait for it and re-check, and was
        refused in words."""
        first_try, results = race
        self.assertEqual(results.count(True), 1, f"exactly one goes through: {results}")
        loser = results.index(True) ^ 1
        self.assertIsInstance(
            first_try[loser],
            PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
            "the loser's first try acted on a stale snapshot: PostgreSQL refuses it and Odoo "
            "retries the request",
        )
        self.assertIsInstance(results[loser], UserError, f"a clear refusal: {results[loser]!r}")
        self.assertRegex(str(results[loser]), message)

    def test_two_drawings_cannot_both_spend_the_last_of_the_fund(self):
        first, second = self._drawings(600, 600)
        manager_1, manager_2 = self.manager_ids
        race = self._race([(manager_1, first, _approve), (manager_2, second, _approve)])
        # 1,000 in the fund: one 600 is paid, the other would take it to -200.
        self._one_winner(race, "cannot pay")
        balance, states = self._state([first, second])
        self.assertEqual(balance, 400.0)
        self.assertEqual(
            sorted(state for state, _reason, _user in states), ["approved", "to_approve"]
        )
        self.assertFalse(any(reason for _state, reason, _user in states), "no override")

    def test_two_managers_approving_one_drawing(self):
        other, drawing = self._drawings(100, 600)
        manager_1, manager_2 = self.manager_ids
        race = self._race([(manager_1, drawing, _approve), (manager_2, drawing, _approve)])
        self._one_winner(race, "already decided")
        balance, states = self._state([other, drawing])
        self.assertEqual(balance, 400.0, "paid once: 1,000 - 600")
        self.assertEqual(states[0][0], "to_approve", "the other drawing is untouched")
        self.assertEqual(states[1][0], "approved")
        self.assertIn(states[1][2], self.manager_ids)

    def test_the_fund_goes_negative_only_through_an_override(self):
        drawing, overdrawn = self._drawings(700, 500)
        manager_1, manager_2 = self.manager_ids
        race = self._race([(manager_1, drawing, _approve), (manager_2, overdrawn, _override)])
        results = race[1]
        balance, states = self._state([drawing, overdrawn])
        self.assertIs(results[1], True, "a reasoned override always goes through")
        self.assertEqual(states[1][:2], ("approved", "Race test: flooded site"))
        if results[0] is True:
            # The plain approval committed first, on 1,000: the override took it below zero.
            self.assertEqual(balance, -200.0, "1,000 - 700 - 500")
            self.assertEqual(states[0][:2], ("approved", False))
        else:
            # The override committed first: 500 left cannot pay 700.
            self._one_winner(race, "cannot pay")
            self.assertEqual(balance, 500.0, "1,000 - 500")
            self.assertEqual(states[0][0], "to_approve")


def _approve(move):
    return move.action_approve()


def _override(move):
    return move.action_approve_override("Race test: flooded site")


class RefusedMixin:
    @contextmanager
    def refused(self, exception, regex):
        """Expect ``exception`` and undo what the call did, as the request that raised it
        would be rolled back: the test then sees what the user is left with."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield


@tagged("post_install", "-at_install")
class TestFeeWaiverIntegrity(RefusedMixin, ExecutionCommon):
    """A waiver reduces its own ticket's quotation, never below zero."""

    def setUp(self):
        super().setUp()
        self.rep_user.aftersales_approval_limit = 5000
        self.ticket = self._ticket(lot_id=self.lot.id)
        self.quotation = self._quotation(self.ticket, 1000)
        self.other_ticket = self._ticket(partner_id=self.other_customer.id, lot_id=False)
        self.other_quotation = self._quotation(self.other_ticket, 800)

    def _quotation(self, ticket, price):
        return self.env["sale.order"].create(
            {
                "partner_id": ticket.partner_id.id,
                "aftersales_ticket_id": ticket.id,
                "order_line": [
                    Command.create({"product_id": self.part.id, "price_unit": price, "tax_id": []})
                ],
            }
        )

    def _waiver(self, amount, order=None, ticket=None, reason="Long-standing customer"):
        return (
            self.env["aftersales.fee.waiver"]
            .with_user(self.rep_user)
            .create(
                {
                    "ticket_id": (ticket or self.ticket).id,
                    "amount": amount,
                    "reason": reason,
                    "sale_order_id": (order or self.quotation).id,
                }
            )
        )

    def _count(self):
        return self.env["aftersales.fee.waiver"].search_count([])

    def test_the_quotation_belongs_to_the_ticket(self):
        before = self._count()
        with self.refused(ValidationError, "is not a quotation of ticket"):
            self._waiver(100, order=self.other_quotation)
        unlinked = self.quotation.copy({"aftersales_ticket_id": False})
        with self.refused(ValidationError, "is not a quotation of ticket"):
            self._waiver(100, order=unlinked)
        self.assertEqual(self._count(), before, "nothing created")
        waiver = self._waiver(100)
        with self.refused(ValidationError, "is not a quotation of ticket"):
            waiver.write({"sale_order_id": self.other_quotation.id})
        self.assertEqual(waiver.sale_order_id, self.quotation)

    def test_at_most_the_quotation_untaxed_total(self):
        self.assertEqual(self.quotation.amount_untaxed, 1000)
        with self.refused(ValidationError, "more than quotation"):
            self._waiver(1000.01)
        waiver = self._waiver(1000)  # the whole quotation may be waived
        with self.refused(ValidationError, "more than quotation"):
            waiver.write({"amount": 1200})
        self.assertEqual(waiver.amount, 1000)

    def test_approval_rechecks_the_total(self):
        # Each fits the 1,000 quotation; together they would take it to -100.
        first, second = self._waiver(700), self._waiver(400)
        first.with_user(self.rep_user).action_approve()
        self.assertEqual(self.quotation.amount_untaxed, 300, "1,000 - 700")
        with self.refused(ValidationError, "more than quotation .* \\(.*300"):
            second.with_user(self.rep_user).action_approve()
        self.assertEqual(second.state, "to_approve")
        self.assertEqual(self.quotation.amount_untaxed, 300)
        self.assertEqual(len(self.quotation.order_line), 2, "the part and one waiver line")
        # A manager cannot push it through either: no limit covers a negative quotation.
        with self.refused(ValidationError, "more than quotation"):
            second.with_user(self.manager_user).action_approve()
        second.with_user(self.rep_user).action_refuse("Already waived 700")
        self.assertEqual(second.state, "refused")

    def test_reason_in_words(self):
        before = self._count()
        for blank in ("", "   ", "\n\t "):
            with self.refused(ValidationError, "reason"):
                self._waiver(100, reason=blank)
        self.assertEqual(self._count(), before)

    def test_a_decided_waiver_is_decided_once(self):
        waiver = self._waiver(200)
        waiver.with_user(self.rep_user).action_approve()
        with self.refused(UserError, "already decided"):
            waiver.with_user(self.manager_user).action_approve()
        with self.refused(UserError, "already decided"):
            waiver.with_user(self.manager_user).action_refuse("Changed my mind")
        self.assertEqual(self.quotation.amount_untaxed, 800, "one line of -200")
