import threading

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

RACE_CONTEXT = {"aftersales_no_customer_mail": True, "mail_notify_force_send": False}


@tagged("post_install", "-at_install")
class TestSettlementApprovalRace(BaseCase):
    """Two managers press Approve on one settlement at the same moment, each in their own
    transaction as two requests of a multi-worker server: one vendor bill is drafted, the
    other manager is told the settlement is approved already. Fixtures are committed
    (other cursors do not see a TransactionCase's data) and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_fixtures)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, RACE_CONTEXT)
            groups = "base.group_user,aftersales_service.group_aftersales_manager"
            cls.manager_ids = [
                new_test_user(env, login=f"t_settle_race_{i}", groups=groups).id for i in (1, 2)
            ]
            center = env["res.partner"].create(
                {"name": "Race Centre", "is_company": True, "aftersales_is_service_center": True}
            )
            cls.center_id = center.id
            settlement = env["aftersales.settlement"].create(
                {
                    "partner_id": center.id,
                    "date_from": "2031-04-01",
                    "line_ids": [
                        Command.create({"job_amount": 120, "hours_amount": 90, "travel_amount": 35})
                    ],
                }
            )
            settlement._aftersales_method_write({"state": "to_approve"})
            cls.settlement_id = settlement.id

    @classmethod
    def _remove_fixtures(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            settlement = env["aftersales.settlement"].browse(getattr(cls, "settlement_id", []))
            settlement = settlement.exists()
            bills = env["account.move"].search(
                [("invoice_origin", "=", settlement.name or "-"), ("state", "=", "draft")]
            )
            bills.unlink()
            if settlement:
                cr.execute("DELETE FROM aftersales_settlement WHERE id = %s", [settlement.id])
            env.invalidate_all()
            users = env["res.users"].browse(getattr(cls, "manager_ids", [])).exists()
            partners = users.partner_id
            users.unlink()
            partners.exists().unlink()
            env["res.partner"].browse(getattr(cls, "center_id", [])).exists().unlink()

    def _env(self, cr, uid=SUPERUSER_ID):
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, uid, RACE_CONTEXT)

    def test_two_managers_one_vendor_bill(self):
        barrier = threading.Barrier(2, timeout=30)
        first_try = [None, None]

        def run(index, uid):
            threading.current_thread().testing = True
            with self.registry.cursor() as cr:
                env = self._env(cr, uid)
                cr.execute("SET LOCAL lock_timeout = '20s'")
                settlement = env["aftersales.settlement"].browse(self.settlement_id)
                # The snapshot both managers act on: each reads the settlement first.
                settlement.read(["state", "amount_total"])
                barrier.wait()
                try:
                    settlement.action_approve()
                    env.flush_all()
                    cr.commit()  # pylint: disable=invalid-commit
                    first_try[index] = True
                except Exception as error:  # the outcome under test
                    cr.rollback()
                    first_try[index] = error

        threads = [
            threading.Thread(target=run, args=(index, uid), name=f"settle-race-{index}")
            for index, uid in enumerate(self.manager_ids)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "an approval hung")
        results = list(first_try)
        for index, uid in enumerate(self.manager_ids):
            if isinstance(first_try[index], PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                with self.registry.cursor() as cr, mute_logger("odoo.service.model"):
                    env = self._env(cr, uid)
                    settlement = env["aftersales.settlement"].browse(self.settlement_id)
                    try:
                        results[index] = retrying(settlement.action_approve, env)
                    except Exception as error:  # the outcome under test
                        cr.rollback()
                        results[index] = error
        self.assertEqual(results.count(True), 1, f"exactly one approval: {results}")
        loser = results[results.index(True) ^ 1]
        self.assertIsInstance(loser, UserError)
        self.assertRegex(str(loser), "cannot be approved")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            settlement = env["aftersales.settlement"].browse(self.settlement_id)
            self.assertEqual(settlement.state, "approved")
            bills = env["account.move"].search([("invoice_origin", "=", settlement.name)])
            self.assertEqual(len(bills), 1, "one vendor bill")
            self.assertEqual(bills.amount_total, 245)
            self.assertEqual(settlement.move_id, bills)
