import threading

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tests import BaseCase, get_db_name, new_test_user, tagged
from odoo.tools import SQL, mute_logger

RACE_CONTEXT = {"aftersales_no_customer_mail": True, "mail_notify_force_send": False}


@tagged("post_install", "-at_install")
class TestPartRequestConcurrency(BaseCase):
    """Two approvers press Approve on one parts request at the same moment, each in their
    own transaction as two requests of a multi-worker server: one transfer is created, the
    other approver is told the request is already decided. Fixtures are committed (other
    cursors do not see a TransactionCase's data) and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_fixtures)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, RACE_CONTEXT)
            groups = "base.group_user,aftersales_service.group_aftersales_manager"
            cls.manager_ids = [
                new_test_user(env, login=f"t_parts_race_{i}", groups=groups).id for i in (1, 2)
            ]
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            van = env["stock.location"].create(
                {
                    "name": "Race Van",
                    "usage": "internal",
                    "location_id": warehouse.view_location_id.id,
                }
            )
            cls.van_id = van.id
            cls.employee_id = (
                env["hr.employee"]
                .create({"name": "Race Tech", "aftersales_location_id": van.id})
                .id
            )
            product = env["product.product"].create(
                {"name": "Race Relay", "is_storable": True, "standard_price": 10}
            )
            cls.product_id = product.id
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
            cls.request_id = (
                env["aftersales.part.request"]
                .create(
                    {
                        "employee_id": cls.employee_id,
                        "line_ids": [Command.create({"product_id": product.id, "quantity": 4})],
                    }
                )
                .id
            )

    @classmethod
    def _remove_fixtures(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            request = env["aftersales.part.request"].browse(getattr(cls, "request_id", []))
            pickings = env["stock.picking"].search([("origin", "=", request.exists().name or "-")])
            moves = pickings.move_ids
            product_id = getattr(cls, "product_id", 0)
            for table, column, ids in (
                ("stock_move_line", "move_id", moves.ids),
                ("stock_move", "id", moves.ids),
                ("stock_picking", "id", pickings.ids),
                ("stock_quant", "product_id", [product_id]),
                ("aftersales_part_request_line", "request_id", request.ids),
                ("aftersales_part_request", "id", request.ids),
            ):
                if ids:
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE %s IN %s",
                            SQL.identifier(table),
                            SQL.identifier(column),
                            tuple(ids),
                        )
                    )
            env.invalidate_all()
            env["hr.employee"].browse(getattr(cls, "employee_id", [])).exists().unlink()
            env["stock.location"].browse(getattr(cls, "van_id", [])).exists().unlink()
            env["product.product"].browse(product_id).exists().product_tmpl_id.unlink()
            users = env["res.users"].browse(getattr(cls, "manager_ids", [])).exists()
            partners = users.partner_id
            users.unlink()
            partners.exists().unlink()

    def _env(self, cr, uid=SUPERUSER_ID):
        if cr.transaction is None:
            cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, uid, RACE_CONTEXT)

    def test_two_approvers_one_transfer(self):
        barrier = threading.Barrier(2, timeout=30)
        first_try = [None, None]

        def approve(request):
            return request.action_approve()

        def run(index, uid):
            threading.current_thread().testing = True
            with self.registry.cursor() as cr:
                env = self._env(cr, uid)
                cr.execute("SET LOCAL lock_timeout = '20s'")
                request = env["aftersales.part.request"].browse(self.request_id)
                # The snapshot both approvers act on: each reads the request first.
                request.read(["state"])
                barrier.wait()
                try:
                    approve(request)
                    env.flush_all()
                    cr.commit()  # pylint: disable=invalid-commit
                    first_try[index] = True
                except Exception as error:  # the outcome under test
                    cr.rollback()
                    first_try[index] = error

        threads = [
            threading.Thread(target=run, args=(index, uid), name=f"parts-race-{index}")
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
                    request = env["aftersales.part.request"].browse(self.request_id)
                    try:
                        results[index] = retrying(lambda r=request: approve(r), env)
                    except Exception as error:  # the outcome under test
                        cr.rollback()
                        results[index] = error
        self.assertEqual(results.count(True), 1, f"exactly one approval: {results}")
        loser = results[results.index(True) ^ 1]
        self.assertIsInstance(loser, UserError)
        self.assertRegex(str(loser), "already decided")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            request = env["aftersales.part.request"].browse(self.request_id)
            self.assertEqual(request.state, "approved")
            pickings = env["stock.picking"].search([("origin", "=", request.name)])
            self.assertEqual(len(pickings), 1, "one transfer to the van")
            self.assertEqual(pickings.move_ids.product_uom_qty, 4)
