import hashlib
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..report import ir_actions_report
from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestReferenceSequences(AftersalesCommon):
    """References come from sequences declared as data, one per company."""

    def test_main_company_sequences_are_data(self):
        main = self.env.ref("base.main_company")
        for code, xmlid in (
            ("aftersales.ticket", "seq_aftersales_ticket"),
            ("aftersales.contract", "seq_aftersales_contract"),
            ("aftersales.warranty", "seq_aftersales_warranty"),
        ):
            declared = self.env.ref(f"aftersales_service.{xmlid}")
            self.assertEqual(main._aftersales_sequence(code), declared)
            self.assertEqual(declared.company_id, main)
        self.assertRegex(main._aftersales_next_ticket_reference(), r"^AS\d{4}-\d{5}$")

    def test_new_company_gets_its_own_numbering(self):
        company = self.env["res.company"].create({"name": "Branch East"})
        sequences = self.env["ir.sequence"].search(
            [("company_id", "=", company.id), ("code", "like", "aftersales.")]
        )
        self.assertEqual(
            set(sequences.mapped("code")),
            {
                "aftersales.ticket",
                "aftersales.contract",
                "aftersales.warranty",
                "aftersales.part.request",
                "aftersales.defective.return",
                "aftersales.supplier.claim",
                "aftersales.complaint",
            },
        )
        ticket_sequence = sequences.filtered(lambda s: s.code == "aftersales.ticket")
        self.assertEqual(ticket_sequence.prefix, "AS%(range_year)s-")
        self.assertIn("Branch East", ticket_sequence.name)
        reference = company._aftersales_next_ticket_reference()
        self.assertTrue(reference.endswith("-00001"), reference)
        # The main company's numbering is its own.
        self.assertNotEqual(
            self.env.ref("base.main_company")._aftersales_next_ticket_reference(), reference
        )

    def test_company_from_before_install_gets_a_copy_on_first_use(self):
        company = self.env["res.company"].create({"name": "Branch West"})
        self.env["ir.sequence"].search([("company_id", "=", company.id)]).unlink()
        reference = company._aftersales_next_reference("aftersales.warranty")
        self.assertRegex(reference, r"^WR\d{4}-00001$")

    def test_deleted_sequence_says_what_to_do(self):
        company = self.env["res.company"].create({"name": "Branch North"})
        self.env["ir.sequence"].search([("company_id", "=", company.id)]).unlink()
        self.env.ref("aftersales_service.seq_aftersales_contract").unlink()
        with self.assertRaisesRegex(UserError, "aftersales.contract was deleted"):
            company._aftersales_next_reference("aftersales.contract")


@tagged("post_install", "-at_install")
class TestEscalationRecipient(AftersalesCommon):
    """SLA breaches have their own recipient, apart from the warranty reminders'."""

    def test_escalation_manager_is_its_own_setting(self):
        company = self.company
        company.aftersales_warranty_responsible_id = self.rep_user
        company.aftersales_escalation_manager_id = False
        first_manager = company._aftersales_first_manager()
        self.assertEqual(company._aftersales_escalation_manager(), first_manager)
        self.assertEqual(company._aftersales_warranty_responsible(), self.rep_user)
        company.aftersales_escalation_manager_id = self.manager_user
        self.assertEqual(company._aftersales_escalation_manager(), self.manager_user)
        self.assertEqual(company._aftersales_warranty_responsible(), self.rep_user)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.aftersales_escalation_manager_id, self.manager_user)


@tagged("post_install", "-at_install")
class TestKpiPlannerStatistics(AftersalesCommon):
    """The KPI report groups months in each user's zone; PostgreSQL has statistics for
    each zone in use, also for one that appears after the install."""

    def _statistics_exist(self, tz):
        digest = hashlib.sha1(tz.encode()).hexdigest()[:8]
        self.env.cr.execute(
            "SELECT count(*) FROM pg_statistic_ext WHERE stxname IN %s",
            [
                (
                    f"aftersales_ticket_team_id_month_{digest}",
                    f"aftersales_ticket_technician_id_month_{digest}",
                )
            ],
        )
        return self.env.cr.fetchone()[0] == 2

    def test_a_new_time_zone_gets_its_statistics(self):
        self.assertFalse(self._statistics_exist("America/Lima"))
        self.rep_user.tz = "America/Lima"
        self.assertTrue(self._statistics_exist("America/Lima"))
        self.assertTrue(self._statistics_exist("UTC"))


@tagged("post_install", "-at_install")
class TestWhatUsersSee(AftersalesCommon):
    """The demo history spans three months with this month's work in it; printouts name
    the company even when wkhtmltopdf cannot print Odoo's header."""

    def test_demo_history_spans_three_months_with_work_done_today(self):
        now = fields.Datetime.now()
        oldest = self.env.ref("aftersales_service.ticket_t25")
        self.assertGreater(now - oldest.create_date, timedelta(days=85))
        for xmlid in ("ticket_t21", "ticket_t22"):
            ticket = self.env.ref(f"aftersales_service.{xmlid}")
            self.assertLess(now - ticket.date_resolved, timedelta(hours=6))
        visit = self.env.ref("aftersales_service.visit_t11")
        self.assertAlmostEqual(visit.travel_hours, 0.8, places=2)
        self.assertAlmostEqual(visit.work_hours, 2.5, places=2)

    def _visit_html(self, prints_headers):
        visit = self.env.ref("aftersales_service.visit_t11")
        with patch.object(ir_actions_report, "_wkhtmltopdf_prints_headers", lambda: prints_headers):
            html = self.env["ir.actions.report"]._render_qweb_html(
                "aftersales_service.action_report_visit", visit.ids, data={"report_type": "pdf"}
            )[0]
        return html.decode()

    def test_printout_names_the_company_without_a_page_header(self):
        company = self.env.ref("aftersales_service.visit_t11").company_id
        html = self._visit_html(prints_headers=False)
        self.assertIn("o_aftersales_company_heading", html)
        self.assertIn(company.name, html)
        # A patched wkhtmltopdf prints Odoo's own header: no second one.
        self.assertNotIn("o_aftersales_company_heading", self._visit_html(prints_headers=True))
