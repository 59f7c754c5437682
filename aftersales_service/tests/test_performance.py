from datetime import datetime

from odoo.tests import HttpCase, new_test_user, tagged, users, warmup

from .common import AftersalesCommon


class PerformanceCommon(AftersalesCommon):
    """A Shanghai 09:00-18:00 calendar whose policy matches the fixture's tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["aftersales.sla.policy"].search([]).active = False
        cls.calendar = cls._calendar("Shanghai 9-18 (performance)", "Asia/Shanghai")
        cls.policy = cls.env["aftersales.sla.policy"].create(
            {
                "name": "Performance policy",
                "calendar_id": cls.calendar.id,
                "response_hours": 4,
                "arrival_hours": 6,
                "resolution_hours": 18,
                "sequence": 50,
            }
        )
        cls.manager_user.company_id.aftersales_escalation_manager_id = cls.manager_user


@tagged("post_install", "-at_install", "is_query_count")
class TestDeadlinePlanning(PerformanceCommon):
    """Deadlines come from cached working intervals: the same as Odoo's own planning,
    and a holiday added afterwards counts at once."""

    def test_cached_planning_matches_odoo(self):
        for start in (
            datetime(2026, 3, 6, 0, 30),  # Friday before work
            datetime(2026, 3, 6, 8, 59),  # Friday 16:59 local
            datetime(2026, 3, 7, 4, 0),  # Saturday
            datetime(2026, 3, 9, 9, 45),  # Monday 17:45 local
        ):
            for hours in (0.5, 4, 6, 18, 72, 250):  # 250 h leaves the cached window
                self.assertEqual(
                    self.calendar._aftersales_plan_hours(hours, start, self.company),
                    self.calendar.plan_hours(hours, start, compute_leaves=True),
                    f"{hours} h from {start}",
                )

    def test_new_holiday_moves_the_next_deadline(self):
        start = datetime(2026, 3, 6, 1, 0)  # Friday 09:00 local
        before = self.calendar._aftersales_plan_hours(18, start, self.company)
        self.assertEqual(before, datetime(2026, 3, 9, 10, 0))  # Monday 18:00 local
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company day off",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 9, 1, 0),
                "date_to": datetime(2026, 3, 9, 10, 0),
            }
        )
        after = self.calendar._aftersales_plan_hours(18, start, self.company)
        self.assertEqual(after, datetime(2026, 3, 10, 10, 0))  # Tuesday 18:00 local

    def test_other_companys_holiday_is_not_ours(self):
        """A calendar shared by companies: each has its own calendar-less holidays."""
        shared = self.calendar.copy({"name": "Shared 9-18", "company_id": False})
        other = self.env["res.company"].create({"name": "Branch with its own holidays"})
        start = datetime(2026, 3, 6, 1, 0)
        holiday = self.env["resource.calendar.leaves"].create(
            {
                "name": "Branch holiday (every calendar of the branch)",
                "calendar_id": False,
                "date_from": datetime(2026, 3, 9, 1, 0),
                "date_to": datetime(2026, 3, 9, 10, 0),
            }
        )
        holiday.company_id = other  # as the branch's own HR would have it
        self.assertEqual(
            shared._aftersales_plan_hours(18, start, self.company), datetime(2026, 3, 9, 10, 0)
        )
        self.assertEqual(
            shared._aftersales_plan_hours(18, start, other), datetime(2026, 3, 10, 10, 0)
        )


@tagged("post_install", "-at_install", "is_query_count")
class TestQueryCounts(PerformanceCommon):
    """Queries per operation, each as one request of its user (cold ORM cache, warm
    registry caches). A higher count fails: find what was added before raising it."""

    def _values(self, **vals):
        return {
            "partner_id": self.customer.id,
            "category_id": self.category_fault.id,
            "team_id": self.team.id,
            "channel": "phone",
            "description": "<p>Trips the breaker.</p>",
            **vals,
        }

    @users("t_rep")
    @warmup
    def test_ticket_create(self):
        Ticket = self.env["aftersales.ticket"]
        with self.assertQueryCount(t_rep=34):
            ticket = Ticket.create(self._values(product_id=self.product.id, lot_id=self.lot.id))
        self.assertEqual(ticket.sla_policy_id, self.policy)
        self.assertTrue(ticket.deadline_resolution)

    @users("t_rep")
    @warmup
    def test_ticket_create_many_requests(self):
        """The benchmark's measure: one request after another on a warm worker, at most
        12 queries each (sequence, SLA policy and deadlines, contract, chatter)."""
        Ticket = self.env["aftersales.ticket"]
        Ticket.create(self._values())  # the worker has served a ticket before
        with self.assertQueryCount(t_rep=120):
            for _i in range(10):
                Ticket.create(self._values())
                self.env.flush_all()

    @users("t_rep")
    @warmup
    def test_ticket_dispatch(self):
        ticket = self._ticket()
        self.env.invalidate_all()
        # 113: one query tells whether the product needs a qualified technician.
        with self.assertQueryCount(t_rep=113):
            ticket.with_user(self.env.user).action_assign(self.tech)
        self.assertEqual(ticket.state, "assigned")

    def _assigned(self):
        ticket = self._ticket()
        ticket.with_user(self.rep_user).action_assign(self.tech)
        self.env.flush_all()
        self.env.invalidate_all()
        return ticket.with_user(self.tech_user)

    @users("t_tech")
    @warmup
    def test_ticket_accept(self):
        ticket = self._assigned()
        with self.assertQueryCount(t_tech=77):
            ticket.action_accept()
        self.assertEqual(ticket.state, "in_progress")

    @users("t_tech")
    @warmup
    def test_ticket_resolve(self):
        ticket = self._assigned()
        ticket.action_accept()
        ticket.write({"resolution_cause": "Worn contactor", "resolution_note": "<p>Done.</p>"})
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(t_tech=72):
            ticket.action_resolve()
        self.assertEqual(ticket.state, "resolved")

    def _overdue_tickets(self, count):
        with self._at("2026-03-09 01:00:00"):  # Monday 09:00 local
            tickets = self.env["aftersales.ticket"].browse()
            for _i in range(count):
                tickets |= self._ticket()
        self.env.flush_all()
        self.env.invalidate_all()
        return tickets

    @warmup
    def test_sla_cron_per_escalated_ticket(self):
        """The escalation cron's queries do not grow with the breached tickets."""
        Ticket = self.env["aftersales.ticket"]
        counts = []
        for count in (1, 3):
            tickets = self._overdue_tickets(count)
            with self._at("2026-03-12 01:00:00"):  # every target breached
                before = self.cr.sql_log_count
                Ticket._cron_sla_escalate()
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual(set(tickets.mapped("sla_status")), {"breached"})
            # the next run has nothing left to do
            with self._at("2026-03-12 01:05:00"):
                Ticket._cron_sla_escalate()
            self.assertEqual(
                self.env["aftersales.penalty"].search_count([("ticket_id", "in", tickets.ids)]),
                0,
                "no technician: no arrival penalty",
            )
        if self.warm:  # batched: the same queries for one breached ticket as for three
            self.assertEqual(counts[1], counts[0], "the cron's queries grow with the tickets")
            self.assertLessEqual(counts[0], 20)  # tickets, then complaints

    @users("t_rep")
    @warmup
    def test_serial_lookup(self):
        """The serial picker of the ticket form, then the warranty of that serial."""
        with self.assertQueryCount(t_rep=1):
            found = self.env["stock.lot"].name_search("TC-0001", limit=8)
        self.assertIn(self.lot.id, [lot_id for lot_id, _name in found])
        with self.assertQueryCount(t_rep=1):
            self.env["aftersales.warranty"].search([("lot_id.name", "=", "TC-0001")], limit=1)


@tagged("post_install", "-at_install", "is_query_count")
class TestPortalListQueries(HttpCase):
    """The customer's ticket list costs the same whatever the number of tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Queries Co", "is_company": True})
        contact = cls.env["res.partner"].create(
            {
                "name": "Queries Buyer",
                "parent_id": cls.customer.id,
                "email": "q@queries.example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env, "portal_queries", groups="base.group_portal", partner_id=contact.id
        )
        cls.category = cls.env.ref("aftersales_service.category_technical_fault")

    def _tickets(self, count):
        self.env["aftersales.ticket"].with_context(aftersales_no_customer_mail=True).create(
            [
                {
                    "partner_id": self.customer.id,
                    "category_id": self.category.id,
                    "description": f"<p>Request {i}</p>",
                }
                for i in range(count)
            ]
        )
        self.env.flush_all()

    def _list_queries(self):
        self.url_open("/my/aftersales")  # warm the worker: assets, views, routing
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        response = self.url_open("/my/aftersales")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_portal_list(self):
        self.authenticate("portal_queries", "portal_queries")
        self._tickets(2)
        few = self._list_queries()
        self._tickets(18)
        many = self._list_queries()
        self.assertLessEqual(few, 60, "queries for the portal list")
        self.assertEqual(many, few, "the list reads its page in batches, not per ticket")
