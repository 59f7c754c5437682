from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .race_common import RACE_CONTEXT, AftersalesRaceCase


@tagged("post_install", "-at_install")
class TestSettlementApprovalRace(AftersalesRaceCase):
    """Two managers press Approve on one settlement at the same moment, each in their own
    transaction as two requests of a multi-worker server: one vendor bill is drafted, the
    other manager is told the settlement is approved already. Fixtures are committed
    (other cursors do not see a TransactionCase's data) and removed at the end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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

    def test_two_managers_one_vendor_bill(self):
        def settlement(env):
            return env["aftersales.settlement"].browse(self.settlement_id)

        _first, results = self._race(
            [(uid, lambda env: settlement(env).action_approve()) for uid in self.manager_ids],
            # The snapshot both managers act on: each reads the settlement first.
            snapshot=lambda env: settlement(env).read(["state", "amount_total"]),
        )
        self._assert_one_winner(results, UserError, "cannot be approved")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            settlement = env["aftersales.settlement"].browse(self.settlement_id)
            self.assertEqual(settlement.state, "approved")
            bills = env["account.move"].search([("invoice_origin", "=", settlement.name)])
            self.assertEqual(len(bills), 1, "one vendor bill")
            self.assertEqual(bills.amount_total, 245)
            self.assertEqual(settlement.move_id, bills)
