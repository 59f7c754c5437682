import base64

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import AftersalesCommon
from .test_integrity_reports import IntegrityCommon

DASHBOARD_FUND_FIELDS = ["dashboard_fund_balance", "dashboard_currency_id"]
DASHBOARD_KPI_FIELDS = [
    f"dashboard_{period}_{kpi}"
    for period in ("month", "last_month")
    for kpi in ("ticket_count", "on_time", "first_time_fix", "satisfaction")
]

# What staff record on a ticket for themselves: never shown to the customer.
TICKET_INTERNAL_FIELDS = [
    "cancel_reason",
    "warranty_override",
    "warranty_override_reason",
    "liability",
    "followup_outcome",
    "followup_note",
    "is_repeat_repair",
    "repeat_of_ticket_id",
    "sla_policy_id",
    "deadline_response",
    "deadline_arrival",
    "deadline_resolution",
    "sla_warn_response",
    "sla_warn_arrival",
    "sla_warn_resolution",
    "sla_paused_hours_arrival",
    "sla_paused_hours_resolution",
    "sla_waiting_since",
    "sla_response_warned",
    "sla_arrival_warned",
    "sla_resolution_warned",
    "sla_response_escalated",
    "sla_arrival_escalated",
    "sla_resolution_escalated",
    "sla_response_state",
    "sla_arrival_state",
    "sla_resolution_state",
    "sla_response_late_hours",
    "sla_arrival_late_hours",
    "sla_resolution_late_hours",
    "sla_status",
    "sla_deadline_next",
    "sla_next_check",
    "kpi_response_hours",
    "kpi_response_work_hours",
    "kpi_arrival_hours",
    "kpi_arrival_work_hours",
    "kpi_resolution_hours",
    "kpi_resolution_work_hours",
    "kpi_done_visit_count",
    "kpi_labour_hours",
    "is_first_time_fix",
]
# What the customer's own ticket page shows.
TICKET_CUSTOMER_FIELDS = [
    "name",
    "state",
    "description",
    "product_id",
    "warranty_state",
    "resolution_cause",
    "resolution_note",
    "customer_confirmed",
    "date_resolved",
]


@tagged("post_install", "-at_install")
class TestDashboardFieldGroups(AftersalesCommon):
    """The Overview's money and every team's KPIs are not the technicians'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ticket()
        cls._ticket(priority="2")
        cls.fund_before = cls.company._aftersales_fund_balance()
        cls.env["aftersales.fund.move"].with_user(cls.manager_user).create(
            {"kind": "allocation", "amount": 5000, "description": "Overview budget"}
        )

    def test_technician_cannot_read_money_and_kpis(self):
        team = self.team.with_user(self.tech_user)
        for fname in DASHBOARD_FUND_FIELDS + DASHBOARD_KPI_FIELDS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                team.read([fname])
        # The other team's card neither.
        with self.assertRaises(AccessError):
            self.team_west.with_user(self.tech_user).read(["dashboard_month_ticket_count"])

    def test_overview_figures_for_who_may_see_them(self):
        # Manager and analyst: everything; 2 tickets created this month in the team.
        for user in (self.manager_user, self.analyst_user):
            with self.subTest(user=user.login):
                values = self.team.with_user(user).read(
                    DASHBOARD_FUND_FIELDS + DASHBOARD_KPI_FIELDS
                )[0]
                self.assertEqual(values["dashboard_fund_balance"], self.fund_before + 5000)
                self.assertEqual(values["dashboard_month_ticket_count"], 2)
                self.assertEqual(values["dashboard_month_on_time"], 0.0, "no visit yet")
        # Customer service sees the fund (as in its menu), not every team's KPIs.
        team = self.team.with_user(self.rep_user)
        fund = team.read(DASHBOARD_FUND_FIELDS)[0]["dashboard_fund_balance"]
        self.assertEqual(fund, self.fund_before + 5000)
        with self.assertRaises(AccessError):
            team.read(["dashboard_month_ticket_count"])

    def test_overview_view_loads_for_each_role(self):
        """The kanban's arch drops what the user may not read, and loading the cards with
        the fields it keeps works, as the web client does."""
        view = self.env.ref("aftersales_service.aftersales_team_view_kanban_dashboard")
        cases = {
            self.tech_user: set(),
            self.rep_user: set(DASHBOARD_FUND_FIELDS),
            self.manager_user: set(DASHBOARD_FUND_FIELDS + DASHBOARD_KPI_FIELDS),
            self.analyst_user: set(DASHBOARD_FUND_FIELDS + DASHBOARD_KPI_FIELDS),
        }
        for user, expected in cases.items():
            with self.subTest(user=user.login):
                Team = self.env["aftersales.team"].with_user(user)
                result = Team.get_views([(view.id, "kanban")])
                fields = set(result["models"]["aftersales.team"]["fields"])
                restricted = set(DASHBOARD_FUND_FIELDS + DASHBOARD_KPI_FIELDS)
                self.assertEqual(fields & restricted, expected)
                arch = result["views"]["kanban"]["arch"]
                self.assertEqual("Emergency repair fund" in arch, bool(expected))
                self.assertEqual("First-time fix" in arch, "dashboard_month_on_time" in expected)
                cards = Team.web_search_read(
                    [("id", "=", self.team.id)], {fname: {} for fname in fields}
                )["records"]
                self.assertEqual(cards[0]["dashboard_new_count"], 2)


@tagged("post_install", "-at_install")
class TestPortalInternalFields(IntegrityCommon, HttpCase):
    """A customer reads his own ticket, not what the staff noted about it; what he types
    on the portal is limited to a sensible length."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._portal_user()
        cls.ticket = cls._resolved(cls._ticket(), cls.tech, cls.tech_user, "Worn contactor")
        cls.ticket.with_user(cls.manager_user).action_override_warranty(
            "out", "Dropped from the truck by the customer"
        )
        cls.ticket.write({"liability": "customer_misuse"})
        cls.env.flush_all()

    def test_portal_reads_own_ticket_but_no_internal_field(self):
        ticket = self.ticket.with_user(self.portal_user)
        values = ticket.read(TICKET_CUSTOMER_FIELDS)[0]
        self.assertEqual(values["resolution_cause"], "Worn contactor")
        self.assertEqual(values["warranty_state"], "out")
        for fname in TICKET_INTERNAL_FIELDS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                ticket.read([fname])
        self.assertFalse(set(TICKET_INTERNAL_FIELDS) & set(ticket.fields_get()))
        # Staff still read them.
        staff = self.ticket.with_user(self.tech_user).read(TICKET_INTERNAL_FIELDS)[0]
        self.assertEqual(staff["liability"], "customer_misuse")
        self.assertIn("Dropped from the truck", staff["warranty_override_reason"])

    def test_portal_reads_own_warranty_but_not_its_traceability(self):
        rule = self.env["aftersales.warranty.rule"].create(
            {"name": "All 12 months", "applies_to": "all", "duration": 12}
        )
        warranty = self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.other_product.id,
                "lot_id": self.other_lot.id,
                "rule_id": rule.id,
                "date_start": "2026-01-01",
            }
        )
        mine = warranty.with_user(self.portal_user)
        self.assertEqual(mine.read(["date_end"])[0]["date_end"].isoformat(), "2026-12-31")
        for fname in ("salesperson_id", "picking_id", "move_id", "sale_line_id", "date_reminded"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                mine.read([fname])

    def test_portal_page_still_renders_without_internal_notes(self):
        self.authenticate("t_portal_acme", "t_portal_acme")
        page = self.url_open(f"/my/aftersales/{self.ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Worn contactor", page.text)
        self.assertNotIn("Dropped from the truck", page.text)
        listing = self.url_open("/my/aftersales")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.ticket.name, listing.text)

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def test_request_description_is_limited(self):
        Ticket = self.env["aftersales.ticket"]
        self.authenticate("t_portal_acme", "t_portal_acme")
        before = Ticket.search_count([])
        response = self._post("/my/aftersales/new", description="x" * 20001)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_request_error", response.text)
        self.assertIn("is too long: 20001 characters, at most 20000", response.text)
        self.assertEqual(Ticket.search_count([]), before, "nothing created")
        # 20,000 characters are a valid request.
        response = self._post("/my/aftersales/new", description="y" * 20000)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Ticket.search_count([]), before + 1)

    def test_reject_reason_and_signature_name_are_limited(self):
        self.authenticate("t_portal_acme", "t_portal_acme")
        response = self._post(f"/my/aftersales/{self.ticket.id}/reject", reason="z" * 20001)
        self.assertIn("is too long", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.ticket.state, "resolved", "not sent back to work")
        self.assertFalse(self.ticket.message_ids.filtered(lambda m: "z" * 100 in (m.body or "")))

        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": self.ticket.id,
                "technician_ids": [(6, 0, self.tech.ids)],
                "scheduled_start": "2026-03-02 08:00:00",
                "scheduled_end": "2026-03-02 10:00:00",
                "state": "done",
            }
        )
        signed = self.make_jsonrpc_request(
            f"/my/aftersales/{self.ticket.id}/visit/{visit.id}/sign",
            {"name": "n" * 20001, "signature": base64.b64encode(b"\x89PNG sig").decode()},
        )
        self.assertIn("is too long", signed["error"])
        self.env.invalidate_all()
        self.assertFalse(visit.customer_signature)
        self.assertFalse(visit.signed_by)
