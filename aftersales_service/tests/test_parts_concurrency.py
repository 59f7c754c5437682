from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .race_common import RACE_CONTEXT, AftersalesRaceCase


@tagged("post_install", "-at_install")
class TestPartRequestConcurrency(AftersalesRaceCase):
    """Two approvers press Approve on one parts request at the same moment, each in their
    own transaction as two requests of a multi-worker server: one transfer is created, the
    other approver is told the request is already decided. Fixtures are committed (other
    cursors do not see a TransactionCase's data) and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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

    def test_two_approvers_one_transfer(self):
        def request(env):
            return env["aftersales.part.request"].browse(self.request_id)

        _first, results = self._race(
            [(uid, lambda env: request(env).action_approve()) for uid in self.manager_ids],
            # The snapshot both approvers act on: each reads the request first.
            snapshot=lambda env: request(env).read(["state"]),
        )
        self._assert_one_winner(results, UserError, "already decided")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            request = env["aftersales.part.request"].browse(self.request_id)
            self.assertEqual(request.state, "approved")
            pickings = env["stock.picking"].search([("origin", "=", request.name)])
            self.assertEqual(len(pickings), 1, "one transfer to the van")
            self.assertEqual(pickings.move_ids.product_uom_qty, 4)
