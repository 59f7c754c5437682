from contextlib import contextmanager
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesCommon(TransactionCase):
    """Two teams, one user per role, a customer with a delivered serial."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        cls.company = cls.env.company
        cls.company.write(
            {"aftersales_deadline_hours": 24, "aftersales_emergency_deadline_hours": 4}
        )

        def user(login, group):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,aftersales_service.{group}",
                email=f"{login}@example.com",
            )

        cls.tech_user = user("t_tech", "group_aftersales_technician")
        cls.tech2_user = user("t_tech2", "group_aftersales_technician")
        cls.other_team_user = user("t_tech_west", "group_aftersales_technician")
        cls.rep_user = user("t_rep", "group_aftersales_user")
        cls.manager_user = user("t_manager", "group_aftersales_manager")
        cls.analyst_user = user("t_analyst", "group_aftersales_analyst")
        cls.internal_user = new_test_user(cls.env, login="t_internal", groups="base.group_user")

        Employee = cls.env["hr.employee"]
        cls.tech = Employee.create({"name": "Tech One", "user_id": cls.tech_user.id})
        cls.tech2 = Employee.create({"name": "Tech Two", "user_id": cls.tech2_user.id})
        cls.tech_west = Employee.create({"name": "Tech West", "user_id": cls.other_team_user.id})
        cls.employee_without_user = Employee.create({"name": "No Login"})

        Team = cls.env["aftersales.team"]
        cls.team = Team.create(
            {"name": "Test East", "leader_id": cls.tech2.id, "member_ids": [(6, 0, cls.tech.ids)]}
        )
        cls.team_west = Team.create(
            {"name": "Test West", "member_ids": [(6, 0, cls.tech_west.ids)]}
        )

        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Acme Plant",
                "is_company": True,
                "email": "plant@acme.example.com",
                "phone": "+86 10 1",
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Acme Buyer", "parent_id": cls.customer.id, "email": "buyer@acme.example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Co", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Test Compressor", "is_storable": True, "tracking": "serial"}
        )
        cls.other_product = cls.env["product.product"].create(
            {"name": "Test Chiller", "is_storable": True, "tracking": "serial"}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "TC-0001", "product_id": cls.product.id})
        cls.other_lot = cls.env["stock.lot"].create(
            {"name": "TCH-0001", "product_id": cls.other_product.id}
        )
        cls.category_fault = cls.env.ref("aftersales_service.category_technical_fault")

    @classmethod
    def _calendar(cls, name, tz, hours=((9, 18),), days=5, **vals):
        """A working calendar open ``hours`` (one or two periods a day) on the first
        ``days`` days of the week (5: Monday to Friday)."""
        periods = ("morning", "afternoon")
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": period,
                        }
                    )
                    for day in range(days)
                    for (start, stop), period in zip(hours, periods, strict=False)
                ],
                **vals,
            }
        )

    @contextmanager
    def _at(self, moment):
        """Freeze time and the transaction clock that sets create_date: tests must not
        depend on when (or after which other test) they run."""
        saved = self.env.cr._now
        with freeze_time(moment):
            self.env.cr._now = datetime.fromisoformat(moment)
            try:
                yield
            finally:
                self.env.cr._now = saved

    @classmethod
    def _ticket(cls, **vals):
        values = {
            "partner_id": cls.customer.id,
            "product_id": cls.product.id,
            "lot_id": cls.lot.id,
            "category_id": cls.category_fault.id,
            "team_id": cls.team.id,
            "description": "<p>Trips the breaker.</p>",
        }
        values.update(vals)
        return cls.env["aftersales.ticket"].with_user(cls.rep_user).create(values)

    def _in_progress_ticket(self, **vals):
        ticket = self._ticket(**vals)
        ticket.with_user(self.rep_user).action_assign(self.tech)
        ticket.with_user(self.tech_user).action_accept()
        return ticket

    def _resolved_ticket(self, **vals):
        ticket = self._in_progress_ticket(**vals)
        ticket.with_user(self.tech_user).write(
            {
                "resolution_cause": "Worn contactor",
                "resolution_note": "<p>Replaced the contactor.</p>",
            }
        )
        ticket.with_user(self.tech_user).action_resolve()
        return ticket
