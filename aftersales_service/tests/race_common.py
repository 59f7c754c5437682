import threading
from functools import partial

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tests import BaseCase, get_db_name
from odoo.tools import mute_logger

# As a request would run: no customer mail, notifications queued rather than sent.
RACE_CONTEXT = {"aftersales_no_customer_mail": True, "mail_notify_force_send": False}


class AftersalesRaceCase(BaseCase):
    """Users act at the same moment, each in their own transaction, the way requests of a
    multi-worker server do. A TransactionCase's data is invisible to other cursors, so
    the subclasses commit their fixtures and remove them at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def _env(self, cr, uid=SUPERUSER_ID):
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, uid, RACE_CONTEXT)

    def _race(self, calls, snapshot=None):
        """Run each (user id, act(env)) in its own thread and transaction: each first
        reads ``snapshot(env)`` (what a request has seen before it acts), then all act
        together. Returns (first tries, results): per call, True or the exception it
        ended with.

        An act that failed on a concurrency error is then retried the way Odoo retries a
        request (odoo.service.model.retrying), from this thread: the test runner holds
        the registry lock, which retrying needs to reset the environment."""
        barrier = threading.Barrier(len(calls), timeout=30)
        first_try = [None] * len(calls)

        def run(index, uid, act):
            threading.current_thread().testing = True  # mail stays in test mode
            with self.registry.cursor() as cr:
                env = self._env(cr, uid)
                cr.execute("SET LOCAL lock_timeout = '20s'")
                if snapshot:
                    snapshot(env)
                barrier.wait()
                try:
                    act(env)
                    env.flush_all()
                    # Each thread is a request of its own: its transaction must end.
                    cr.commit()  # pylint: disable=invalid-commit
                    first_try[index] = True
                except Exception as error:  # the outcome under test
                    cr.rollback()
                    first_try[index] = error

        threads = [
            threading.Thread(target=run, args=(index, *call), name=f"race-{index}")
            for index, call in enumerate(calls)
        ]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a request hung")

        results = list(first_try)
        for index, (uid, act) in enumerate(calls):
            if isinstance(first_try[index], PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                with self.registry.cursor() as cr, mute_logger("odoo.service.model"):
                    env = self._env(cr, uid)
                    try:
                        retrying(partial(_act_then_true, act, env), env)
                        results[index] = True
                    except Exception as error:  # the outcome under test
                        cr.rollback()
                        results[index] = error
        return first_try, results

    def _assert_one_winner(self, results, error_class, message):
        """Exactly one act went through; the other was refused with ``message``."""
        self.assertEqual(results.count(True), 1, f"exactly one goes through: {results}")
        loser = results[results.index(True) ^ 1]
        self.assertIsInstance(loser, error_class, f"a clear refusal: {loser!r}")
        self.assertRegex(str(loser), message)


def _act_then_true(act, env):
    act(env)
    return True
