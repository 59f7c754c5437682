import json
from datetime import timedelta
from urllib.parse import quote

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCommon

# Every period: the quality feedback URL accepts `options`, a caller may ask for any.
ALL_TIME = quote(json.dumps({"date_from": "2000-01-01", "date_to": "2999-12-31"}))


class IntegrityCommon(AftersalesCommon):
    """AftersalesCommon, with a portal login for Acme Plant and resolved tickets."""

    @classmethod
    def _portal_user(cls):
        """A portal login for a contact of Acme Plant (its tickets are Acme's)."""
        contact = cls.env["res.partner"].create(
            {"name": "Acme Portal Buyer", "parent_id": cls.customer.id}
        )
        return new_test_user(
            cls.env,
            "t_portal_acme",
            groups="base.group_portal",
            partner_id=contact.id,
            name="Acme Portal Buyer",
        )

    @classmethod
    def _resolved(cls, ticket, employee, user, cause):
        ticket.with_user(cls.rep_user).action_assign(employee)
        ticket.with_user(user).action_accept()
        ticket.with_user(user).write(
            {"resolution_cause": cause, "resolution_note": "<p>Fixed on site.</p>"}
        )
        ticket.with_user(user).action_resolve()
        return ticket


@tagged("post_install", "-at_install")
class TestReportRoutes(IntegrityCommon, HttpCase):
    """/report/<converter>/<report>/<ids> is open to every logged-in user, portal included:
    each printout of the add-on answers only what the caller may read (ACL and record
    rules), and a refused one shows nothing of the records asked for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._portal_user()
        cls.rival_portal_user = new_test_user(cls.env, "t_portal_other", groups="base.group_portal")
        cls.rival_portal_user.partner_id.parent_id = cls.other_customer
        cls.mate_customer = cls.env["res.partner"].create(
            {"name": "Teammate Customer Ltd", "is_company": True}
        )

        # Acme's ticket, Tech One's; a teammate's (Tech Two, same team) for another
        # customer; Other Co's ticket in the other team. Each resolved, with a visit.
        cls.own_ticket = cls._resolved(cls._ticket(), cls.tech, cls.tech_user, "Worn contactor")
        cls.mate_ticket = cls._resolved(
            cls._ticket(partner_id=cls.mate_customer.id, lot_id=False),
            cls.tech2,
            cls.tech2_user,
            "Loose terminal",
        )
        cls.other_ticket = cls._resolved(
            cls._ticket(
                partner_id=cls.other_customer.id,
                team_id=cls.team_west.id,
                product_id=cls.other_product.id,
                lot_id=cls.other_lot.id,
                description="<p>Other Co confidential leak</p>",
            ),
            cls.tech_west,
            cls.other_team_user,
            "Cracked housing",
        )
        Visit = cls.env["aftersales.visit"].with_user(cls.rep_user)
        cls.own_visit, cls.mate_visit, cls.other_visit = Visit.create(
            [
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [(6, 0, employee.ids)],
                    "scheduled_start": "2026-03-02 08:00:00",
                    "scheduled_end": "2026-03-02 10:00:00",
                }
                for ticket, employee in (
                    (cls.own_ticket, cls.tech),
                    (cls.mate_ticket, cls.tech2),
                    (cls.other_ticket, cls.tech_west),
                )
            ]
        )

        rule = cls.env["aftersales.warranty.rule"].create(
            {"name": "Report routes rule", "applies_to": "all", "duration": 12, "sequence": 99}
        )
        Warranty = cls.env["aftersales.warranty"]
        cls.own_warranty, cls.other_warranty = Warranty.create(
            [
                {
                    "partner_id": partner.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "rule_id": rule.id,
                    "date_start": "2026-01-01",
                }
                for partner, lot in ((cls.customer, cls.lot), (cls.other_customer, cls.other_lot))
            ]
        )
        Evaluation = cls.env["aftersales.evaluation"]
        cls.own_evaluation, cls.mate_evaluation = Evaluation.create(
            [
                {
                    "employee_id": employee.id,
                    "team_id": cls.team.id,
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                }
                for employee in (cls.tech, cls.tech2)
            ]
        )
        cls.env.flush_all()  # the quality report is an SQL view over the tickets

    def _get(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url, timeout=60)

    def _check(self, login, url, allowed, shown=(), hidden=()):
        """`allowed`: 200 and every `shown` text in the page; otherwise not 200 and none
        of the `hidden` texts anywhere in the answer."""
        with self.subTest(login=login, url=url):
            response = self._get(login, url)
            if allowed:
                self.assertEqual(response.status_code, 200, response.text[:500])
                for text in shown:
                    self.assertIn(text, response.text)
            else:
                self.assertNotEqual(response.status_code, 200)
                for text in hidden:
                    self.assertNotIn(text, response.text)

    # ------------------------------------------------------------------
    # Monthly quality feedback: analysts and managers of the company only
    # ------------------------------------------------------------------

    def test_quality_monthly_only_for_analysts_and_managers(self):
        company = self.company.id
        # The days around this test's tickets: the top ten causes are theirs, whatever the
        # demo history holds.
        today = fields.Date.today()
        days = quote(
            json.dumps(
                {
                    "date_from": str(today - timedelta(days=1)),
                    "date_to": str(today + timedelta(days=1)),
                }
            )
        )
        urls = [
            f"/report/html/aftersales_service.report_quality_monthly/{company}?options={days}",
            f"/report/html/aftersales_service.report_quality_monthly?options={days}",
            f"/report/pdf/aftersales_service.report_quality_monthly/{company}?options={days}",
        ]
        # Every customer's faults, products and causes of the month.
        figures = ("worn contactor", "cracked housing", "Test Chiller")
        for login in ("t_manager", "t_analyst"):
            for url in urls:
                self._check(login, url, True, shown=figures)
        for login in ("t_tech", "t_rep", "t_internal", "t_portal_acme"):
            for url in urls:
                self._check(login, url, False, hidden=figures)
        refused = self._get("t_rep", urls[0])
        self.assertEqual(refused.status_code, 403)
        self.assertIn("Only after-sales analysts and managers may print", refused.text)

    def test_quality_monthly_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Report Routes B"})
        self._check(
            "t_analyst",
            f"/report/html/aftersales_service.report_quality_monthly/{other_company.id}"
            f"?options={ALL_TIME}",
            False,
            hidden=("Report Routes B", "Quality Feedback"),
        )

    def test_quality_monthly_bad_period_is_a_clear_error(self):
        options = quote(json.dumps({"date_from": "2026-13-45", "date_to": "2026-01-01"}))
        response = self._get(
            "t_analyst",
            f"/report/html/aftersales_service.report_quality_monthly/{self.company.id}"
            f"?options={options}",
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Traceback", response.text)

    # ------------------------------------------------------------------
    # Ticket and visit service reports
    # ------------------------------------------------------------------

    def test_ticket_service_report(self):
        def url(ticket, converter="html"):
            return f"/report/{converter}/aftersales_service.report_ticket_service/{ticket.id}"

        own, mate, other = self.own_ticket, self.mate_ticket, self.other_ticket
        other_data = ("Other Co", "Other Co confidential leak", "Cracked housing")
        # Technicians: their own and their team's tickets, not another team's.
        self._check("t_tech", url(own), True, shown=("Acme Plant", "Worn contactor"))
        self._check("t_tech", url(mate), True, shown=("Teammate Customer Ltd",))
        self._check("t_tech", url(other), False, hidden=other_data)
        self._check("t_tech", f"{url(own)},{other.id}", False, hidden=other_data)
        # Customer service, managers and analysts: every ticket of their companies.
        for login in ("t_rep", "t_manager", "t_analyst"):
            self._check(login, url(other), True, shown=other_data)
        # No After-Sales group, or a portal customer through the back-office route.
        self._check("t_internal", url(own), False, hidden=("Acme Plant", "Worn contactor"))
        self._check("t_portal_acme", url(other), False, hidden=other_data)
        self._check("t_portal_other", url(own), False, hidden=("Acme Plant", "Worn contactor"))
        # The PDF route answers the same.
        self._check("t_tech", url(own, "pdf"), True)
        self._check("t_tech", url(other, "pdf"), False, hidden=other_data)
        self._check("t_portal_acme", url(other, "pdf"), False, hidden=other_data)

    def test_visit_service_report(self):
        def url(visit, converter="html"):
            return f"/report/{converter}/aftersales_service.report_visit/{visit.id}"

        other_data = ("Other Co", "Other Co confidential leak", "Cracked housing")
        self._check("t_tech", url(self.own_visit), True, shown=("Acme Plant", "Tech One"))
        self._check("t_tech", url(self.mate_visit), True, shown=("Teammate Customer Ltd",))
        self._check("t_tech", url(self.other_visit), False, hidden=other_data)
        for login in ("t_rep", "t_manager", "t_analyst"):
            self._check(login, url(self.other_visit), True, shown=other_data)
        self._check("t_internal", url(self.own_visit), False, hidden=("Acme Plant",))
        self._check("t_portal_acme", url(self.other_visit), False, hidden=other_data)
        self._check("t_portal_acme", url(self.own_visit), False)  # no access to visits
        self._check("t_tech", url(self.own_visit, "pdf"), True)
        self._check("t_tech", url(self.other_visit, "pdf"), False, hidden=other_data)

    def test_portal_customer_prints_his_own_through_the_portal(self):
        # The portal's own routes check the customer, then print in sudo.
        self._check(
            "t_portal_acme",
            f"/my/aftersales/{self.own_ticket.id}/report",
            True,
        )
        self._check(
            "t_portal_acme",
            f"/my/aftersales/{self.other_ticket.id}/report",
            False,
            hidden=("Other Co", "Cracked housing"),
        )
        self._check("t_portal_acme", f"/my/warranties/{self.own_warranty.id}/certificate", True)
        self._check(
            "t_portal_acme",
            f"/my/warranties/{self.other_warranty.id}/certificate",
            False,
            hidden=("Other Co",),
        )

    # ------------------------------------------------------------------
    # Warranty certificate
    # ------------------------------------------------------------------

    def test_warranty_certificate(self):
        def url(warranty, converter="html"):
            return (
                f"/report/{converter}/aftersales_service.report_warranty_certificate/{warranty.id}"
            )

        # Every After-Sales role reads the registrations of its companies.
        for login in ("t_tech", "t_rep", "t_manager", "t_analyst"):
            self._check(login, url(self.other_warranty), True, shown=("Other Co", "TCH-0001"))
        self._check("t_internal", url(self.own_warranty), False, hidden=("Acme Plant",))
        self._check(
            "t_portal_acme", url(self.other_warranty), False, hidden=("Other Co", "TCH-0001")
        )
        self._check("t_portal_acme", url(self.other_warranty, "pdf"), False, hidden=("Other Co",))
        self._check("t_rep", url(self.own_warranty, "pdf"), True)

    # ------------------------------------------------------------------
    # Evaluation and team summary
    # ------------------------------------------------------------------

    def test_evaluation_reports(self):
        own, mate = self.own_evaluation, self.mate_evaluation
        for report in ("report_evaluation", "report_evaluation_team"):
            base = f"/report/html/aftersales_service.{report}"
            # A technician prints his own evaluation, not a teammate's.
            self._check("t_tech", f"{base}/{own.id}", True, shown=("Tech One",))
            self._check("t_tech", f"{base}/{mate.id}", False, hidden=("Tech Two",))
            self._check("t_tech", f"{base}/{own.id},{mate.id}", False, hidden=("Tech Two",))
            # Analysts and managers: all; customer service and others: none.
            for login in ("t_manager", "t_analyst"):
                self._check(login, f"{base}/{own.id},{mate.id}", True, shown=("Tech Two",))
            for login in ("t_rep", "t_internal", "t_portal_acme"):
                self._check(login, f"{base}/{mate.id}", False, hidden=("Tech Two",))
        self._check("t_tech", f"/report/pdf/aftersales_service.report_evaluation/{own.id}", True)
        self._check(
            "t_tech",
            f"/report/pdf/aftersales_service.report_evaluation/{mate.id}",
            False,
            hidden=("Tech Two",),
        )
