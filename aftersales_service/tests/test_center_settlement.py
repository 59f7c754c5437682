from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .test_center_consignment import CenterConsignmentCommon


class SettlementCommon(CenterConsignmentCommon):
    """Centre East's agreement: 60 an hour; a fault job 120, an installation 200; travel 35
    in the North zone, 50 in the South. Its May 2026:

    - V1 fault, North customer, 1.5 h: 120 + 90 + 35 = 245
    - V2 installation, South customer, 3 h: 200 + 180 + 50 = 430
    - V3 fault, North customer, 0.75 h: 120 + 45 + 35 = 200
    Jobs 875; not counted: a June job, a job still on site, another centre's job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Zone = cls.env["aftersales.zone"]
        cls.zone_north = Zone.create({"name": "Settle North", "arrival_hours": 4})
        cls.zone_south = Zone.create({"name": "Settle South", "arrival_hours": 6})
        cls.customer.aftersales_zone_id = cls.zone_north
        cls.other_customer.aftersales_zone_id = cls.zone_south
        cls.installation = cls.env.ref("aftersales_service.category_installation")
        cls.agreement = cls.env["aftersales.service.agreement"].create(
            {
                "name": "SC-EAST-1",
                "partner_id": cls.center.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "hourly_rate": 60,
                "rate_ids": [
                    Command.create({"category_id": cls.category_fault.id, "amount": 120}),
                    Command.create({"category_id": cls.installation.id, "amount": 200}),
                ],
                "travel_ids": [
                    Command.create({"zone_id": cls.zone_north.id, "amount": 35}),
                    Command.create({"zone_id": cls.zone_south.id, "amount": 50}),
                ],
            }
        )
        cls.other_center = cls.env["res.partner"].create(
            {"name": "Centre Rival", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.v1 = cls._job(cls.customer, cls.category_fault, "2026-05-04 08:00", "2026-05-04 09:30")
        cls.v2 = cls._job(
            cls.other_customer, cls.installation, "2026-05-10 10:00", "2026-05-10 13:00"
        )
        cls.v3 = cls._job(cls.customer, cls.category_fault, "2026-05-20 14:00", "2026-05-20 14:45")
        cls.june = cls._job(
            cls.customer, cls.category_fault, "2026-06-02 08:00", "2026-06-02 09:00"
        )
        cls.on_site = cls._job(cls.customer, cls.category_fault, "2026-05-21 08:00", False)
        cls.rival_job = cls._job(
            cls.customer,
            cls.category_fault,
            "2026-05-22 08:00",
            "2026-05-22 10:00",
            cls.other_center,
        )
        cls.manager2_user = new_test_user(
            cls.env,
            login="t_manager_settle",
            groups="base.group_user,aftersales_service.group_aftersales_manager",
        )

    @classmethod
    def _job(cls, partner, category, check_in, check_out, center=None):
        ticket = cls.env["aftersales.ticket"].create(
            {
                "partner_id": partner.id,
                "category_id": category.id,
                "team_id": cls.team.id,
                "description": "<p>Centre job</p>",
            }
        )
        center = center or cls.center
        ticket._aftersales_method_write({"service_center_id": center.id})
        visit = cls.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "service_center_id": center.id,
                "scheduled_start": f"{check_in}:00",
                "scheduled_end": f"{check_in}:59",
            }
        )
        visit._aftersales_method_write(
            {
                "state": "done" if check_out else "on_site",
                "check_in": f"{check_in}:00",
                "check_out": check_out and f"{check_out}:00",
            }
        )
        return visit

    def _settlement(self, user=None):
        settlement = (
            self.env["aftersales.settlement"]
            .with_user(user or self.rep_user)
            .create({"partner_id": self.center.id, "date_from": "2026-05-17"})
        )
        settlement.with_user(user or self.rep_user).action_compute()
        return settlement

    def _charged_may_reconciliation(self):
        """May's reconciliation: one contactor (40) missing, charged to the centre."""
        rec = self.env["aftersales.material.reconciliation"].create(
            {
                "partner_id": self.center.id,
                "date_from": "2026-05-01",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.part.id,
                            "qty_shipped": 4,
                            "qty_used": 2,
                            "qty_system": 2,
                            "qty_counted": 1,
                            "standard_price": 40,
                            "resolution": "charged",
                        }
                    )
                ],
            }
        )
        rec.with_user(self.rep_user).action_done()
        return rec


@tagged("post_install", "-at_install")
class TestCenterSettlement(SettlementCommon):
    def test_lines_and_totals_from_finished_jobs(self):
        settlement = self._settlement()
        self.assertEqual(str(settlement.date_from), "2026-05-01")
        self.assertEqual(str(settlement.date_to), "2026-05-31")
        self.assertEqual(settlement.agreement_id, self.agreement)
        self.assertEqual(settlement.line_ids.visit_id, self.v1 | self.v2 | self.v3)
        amounts = {
            line.visit_id: (
                line.category_id,
                line.zone_id,
                line.work_hours,
                line.job_amount,
                line.hours_amount,
                line.travel_amount,
                line.amount,
            )
            for line in settlement.line_ids
        }
        self.assertEqual(
            amounts[self.v1], (self.category_fault, self.zone_north, 1.5, 120, 90, 35, 245)
        )
        self.assertEqual(
            amounts[self.v2], (self.installation, self.zone_south, 3.0, 200, 180, 50, 430)
        )
        self.assertEqual(
            amounts[self.v3], (self.category_fault, self.zone_north, 0.75, 120, 45, 35, 200)
        )
        self.assertEqual(settlement.job_count, 3)
        self.assertEqual(
            (settlement.amount_jobs, settlement.amount_hours, settlement.amount_travel),
            (440, 315, 120),
        )
        self.assertEqual(settlement.amount_total, 875)

    def test_charged_material_is_deducted_once(self):
        rec = self._charged_may_reconciliation()
        self.assertEqual(rec.amount_charged, 40)
        settlement = self._settlement()
        deduction = settlement.line_ids.filtered(lambda line: line.kind == "deduction")
        self.assertEqual(deduction.reconciliation_id, rec)
        self.assertEqual(deduction.amount, -40)
        self.assertEqual(settlement.amount_deduction, -40)
        self.assertEqual(settlement.amount_total, 835)
        settlement.with_user(self.rep_user).action_compute()
        self.assertEqual(len(settlement.line_ids), 4, "recomputing does not add it twice")
        june = self.env["aftersales.settlement"].create(
            {"partner_id": self.center.id, "date_from": "2026-06-01"}
        )
        june.with_user(self.rep_user).action_compute()
        self.assertFalse(june.line_ids.filtered("reconciliation_id"), "deducted in May already")
        self.assertEqual(june.amount_total, 60 + 120 + 35)

    def test_rejected_line_is_not_paid(self):
        settlement = self._settlement()
        line = settlement.line_ids.filtered(lambda line: line.visit_id == self.v3)
        with self.assertRaisesRegex(UserError, "Give a reason"):
            line.with_user(self.rep_user).action_reject("  ")
        line.with_user(self.rep_user).action_reject("Duplicate of the visit of 4 May.")
        self.assertTrue(line.is_rejected)
        self.assertEqual(settlement.amount_total, 675)
        self.assertEqual(settlement.job_count, 2)
        # Recomputing keeps the review.
        settlement.with_user(self.rep_user).action_compute()
        line = settlement.line_ids.filtered(lambda line: line.visit_id == self.v3)
        self.assertEqual(line.reject_reason, "Duplicate of the visit of 4 May.")
        self.assertEqual(settlement.amount_total, 675)
        with self.assertRaises(AccessError):
            line.with_user(self.rep_user).write({"is_rejected": False})
        line.with_user(self.rep_user).action_accept()
        self.assertEqual(settlement.amount_total, 875)

    def test_approval_creates_the_vendor_bill(self):
        self._charged_may_reconciliation()
        settlement = self._settlement()
        settlement.line_ids.filtered(lambda line: line.visit_id == self.v3).with_user(
            self.rep_user
        ).action_reject("Not our customer's unit.")
        self.assertEqual(settlement.amount_total, 635)
        with self.assertRaises(AccessError):
            settlement.with_user(self.rep_user).action_approve()
        settlement.with_user(self.rep_user).action_submit()
        self.assertEqual(settlement.state, "to_approve")
        with self.assertRaisesRegex(UserError, "is decided"):
            settlement.line_ids[:1].with_user(self.rep_user).write({"reject_reason": "late"})
        with self.assertRaises(AccessError):
            settlement.with_user(self.rep_user).action_approve()

        # Within limits: a manager whose limit is 500 cannot approve 635.
        self.manager_user.aftersales_approval_limit = 500
        with self.assertRaisesRegex(UserError, "above your approval limit"):
            settlement.with_user(self.manager_user).action_approve()
        self.assertEqual(settlement.state, "to_approve")

        settlement.with_user(self.manager2_user).action_approve()
        self.assertEqual(settlement.state, "approved")
        self.assertEqual(settlement.decided_by_id, self.manager2_user)
        bill = settlement.sudo().move_id
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.partner_id, self.center)
        self.assertEqual(bill.amount_total, 635)
        self.assertEqual(
            sorted(bill.invoice_line_ids.mapped("price_subtotal")),
            [-40, 85, 270, 320],
            "travel 35 + 50, labour 90 + 180, job rates 120 + 200, material charged",
        )
        with self.assertRaisesRegex(UserError, "is Approved and cannot be approved"):
            settlement.with_user(self.manager2_user).action_approve()
        self.assertEqual(
            self.env["account.move"].search_count([("invoice_origin", "=", settlement.name)]), 1
        )

    def test_approval_checks_again_under_the_lock(self):
        settlement = self._settlement()
        settlement.with_user(self.rep_user).action_submit()
        # Meanwhile V1 was paid in another (approved) settlement.
        other = self.env["aftersales.settlement"].create(
            {
                "partner_id": self.center.id,
                "date_from": "2026-04-01",
                "line_ids": [Command.create({"visit_id": self.v1.id, "job_amount": 120})],
            }
        )
        other._aftersales_method_write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "already paid"):
            settlement.with_user(self.manager2_user).action_approve()
        self.assertFalse(settlement.sudo().move_id)
        other._aftersales_method_write({"state": "refused"})
        # A visit no longer done is no longer a job.
        self.v2._aftersales_method_write({"state": "on_site"})
        with self.assertRaisesRegex(UserError, "no longer finished jobs"):
            settlement.with_user(self.manager2_user).action_approve()

    def test_refuse_and_correct(self):
        settlement = self._settlement()
        settlement.with_user(self.rep_user).action_submit()
        with self.assertRaisesRegex(UserError, "Give a reason"):
            settlement.with_user(self.manager_user).action_refuse("")
        settlement.with_user(self.manager_user).action_refuse("V2 hours look too long.")
        self.assertEqual(settlement.state, "refused")
        settlement.with_user(self.rep_user).action_reset_draft()
        self.assertEqual(settlement.state, "draft")
        settlement.with_user(self.rep_user).action_compute()
        self.assertEqual(settlement.amount_total, 875)

    def test_one_per_centre_and_month_and_roles(self):
        settlement = self._settlement()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["aftersales.settlement"].create(
                {"partner_id": self.center.id, "date_from": "2026-05-31"}
            )
        with self.assertRaises(AccessError):
            settlement.with_user(self.tech_user).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.env["aftersales.settlement"].with_user(self.tech_user).create(
                {"partner_id": self.center.id, "date_from": "2026-07-01"}
            )
        self.assertEqual(settlement.with_user(self.analyst_user).amount_total, 875)
        with self.assertRaises(AccessError):
            settlement.with_user(self.analyst_user).action_compute()
        with self.assertRaises(AccessError):
            settlement.with_user(self.analyst_user).action_submit()
        with self.assertRaises(AccessError):
            settlement.with_user(self.rep_user).write({"state": "approved"})
        with self.assertRaises(AccessError):
            settlement.line_ids[:1].with_user(self.rep_user).write({"job_amount": 999})
        centre_person = self.env["res.partner"].create(
            {"name": "Centre clerk", "parent_id": self.center.id}
        )
        centre_user = new_test_user(
            self.env, "t_centre_clerk", groups="base.group_portal", partner_id=centre_person.id
        )
        with self.assertRaises(AccessError):
            settlement.with_user(centre_user).read(["amount_total"])


@tagged("post_install", "-at_install")
class TestSettlementPortal(HttpCase):
    """A centre sees its own submitted claims under /my/settlements, never another
    centre's, and customers have no such page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.east = Partner.create(
            {"name": "Portal Centre East", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.west = Partner.create(
            {"name": "Portal Centre West", "is_company": True, "aftersales_is_service_center": True}
        )
        for center, login in ((cls.east, "t_centre_east"), (cls.west, "t_centre_west")):
            person = Partner.create({"name": f"{login} clerk", "parent_id": center.id})
            new_test_user(cls.env, login, groups="base.group_portal", partner_id=person.id)
        new_test_user(cls.env, "t_settle_customer", groups="base.group_portal")
        Settlement = cls.env["aftersales.settlement"]
        cls.east_may = Settlement.create(
            {
                "partner_id": cls.east.id,
                "date_from": "2026-05-01",
                "line_ids": [
                    Command.create({"job_amount": 120, "hours_amount": 90, "travel_amount": 35}),
                    Command.create(
                        {"job_amount": 77, "is_rejected": True, "reject_reason": "Duplicate job"}
                    ),
                ],
            }
        )
        cls.east_may._aftersales_method_write({"state": "to_approve"})
        cls.east_june = Settlement.create({"partner_id": cls.east.id, "date_from": "2026-06-01"})
        cls.west_may = Settlement.create(
            {
                "partner_id": cls.west.id,
                "date_from": "2026-05-01",
                "line_ids": [Command.create({"job_amount": 4321})],
            }
        )
        cls.west_may._aftersales_method_write({"state": "approved"})

    def test_centre_sees_its_claims_and_their_status(self):
        self.authenticate("t_centre_east", "t_centre_east")
        page = self.url_open("/my/settlements")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/settlements/{self.east_may.id}", page.text)
        self.assertIn("To Approve", page.text)
        self.assertNotIn(f"/my/settlements/{self.east_june.id}", page.text, "drafts stay inside")
        self.assertNotIn(f"/my/settlements/{self.west_may.id}", page.text)
        detail = self.url_open(f"/my/settlements/{self.east_may.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("245.00", detail.text)
        self.assertIn("Duplicate job", detail.text)
        home = self.url_open("/my")
        self.assertIn("/my/settlements", home.text)

    def test_one_centre_never_sees_another(self):
        self.authenticate("t_centre_west", "t_centre_west")
        self.assertEqual(self.url_open(f"/my/settlements/{self.east_may.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/settlements/{self.east_june.id}").status_code, 404)
        page = self.url_open("/my/settlements")
        self.assertIn("4,321.00", page.text)
        self.assertNotIn("Portal Centre East", page.text)

    def test_customers_and_visitors_have_no_settlements(self):
        self.authenticate("t_settle_customer", "t_settle_customer")
        self.assertEqual(self.url_open("/my/settlements").status_code, 404)
        self.assertEqual(self.url_open(f"/my/settlements/{self.east_may.id}").status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(f"/my/settlements/{self.east_may.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestSettlementChinese(SettlementCommon):
    """Customer service in China reads reconciliations and settlements in Chinese."""

    def test_labels_and_messages_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh["ir.model"]._get("aftersales.settlement").name, "特约维修点结算单")
        self.assertEqual(zh["ir.model"]._get("aftersales.material.reconciliation").name, "物料核销")
        self.assertEqual(
            zh.ref("aftersales_service.menu_aftersales_center_settlement").name, "结算"
        )
        fields = zh["aftersales.material.reconciliation.line"].fields_get(
            ["qty_shipped", "difference", "resolution"]
        )
        self.assertEqual(fields["qty_shipped"]["string"], "发货")
        self.assertEqual(fields["difference"]["string"], "差异")
        self.assertIn(("charged", "向维修点扣款"), fields["resolution"]["selection"])
        settlement = self._settlement()
        settlement.with_user(self.rep_user).action_submit()
        self.manager_user.aftersales_approval_limit = 100
        with self.assertRaisesRegex(UserError, "超过您的审批额度"):
            settlement.with_user(self.manager_user).with_context(lang="zh_CN").action_approve()
