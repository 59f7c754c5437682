from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCommon


class CenterCommon(AftersalesCommon):
    """Two service centres in different zones, each with an agreement and a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.zone_north = env["aftersales.zone"].create({"name": "North", "arrival_hours": 4})
        cls.zone_south = env["aftersales.zone"].create({"name": "South", "arrival_hours": 6})
        cls.customer.aftersales_zone_id = cls.zone_north
        cls.other_customer.aftersales_zone_id = cls.zone_south
        Partner = env["res.partner"]
        cls.center = Partner.create(
            {"name": "Centre North", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.center_south = Partner.create(
            {"name": "Centre South", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.agreement = cls._agreement(cls.center, cls.zone_north, "SC-N", 120)
        cls.agreement_south = cls._agreement(cls.center_south, cls.zone_south, "SC-S", 99)
        cls.center_user = cls._center_user(cls.center, "centre_north")
        cls.center_south_user = cls._center_user(cls.center_south, "centre_south")
        cls.customer_user = new_test_user(
            env, "centre_customer", groups="base.group_portal", partner_id=cls.customer_contact.id
        )

    @classmethod
    def _agreement(cls, center, zone, name, rate):
        far = fields.Date.today() + timedelta(days=400)
        return cls.env["aftersales.service.agreement"].create(
            {
                "name": name,
                "partner_id": center.id,
                "date_start": "2026-01-01",
                "date_end": "2099-12-31",
                "zone_ids": [Command.set(zone.ids)],
                "rate_ids": [
                    Command.create({"category_id": cls.category_fault.id, "amount": rate})
                ],
                "travel_ids": [Command.create({"zone_id": zone.id, "amount": 30})],
                "document_ids": [
                    Command.create(
                        {"document_type": kind, "name": f"{name}-{kind}", "date_expiry": far}
                    )
                    for kind in ("business_licence", "safety_qualification", "insurance")
                ],
            }
        )

    @classmethod
    def _center_user(cls, center, login):
        person = cls.env["res.partner"].create(
            {"name": login.replace("_", " ").title(), "parent_id": center.id}
        )
        return new_test_user(cls.env, login, groups="base.group_portal", partner_id=person.id)

    def _dispatched(self, center=None, **vals):
        ticket = self._ticket(**vals)
        ticket.with_user(self.rep_user).action_dispatch_to_center(center or self.center)
        return ticket

    def _as_center(self, record, user=None):
        """What the portal does: check the user works for the job's centre, then sudo."""
        user = user or self.center_user
        record.with_user(user)._center_check_user()
        return record.with_user(user).sudo()


@tagged("post_install", "-at_install")
class TestCenterDispatch(CenterCommon):
    def test_dispatch_then_accept_like_a_technician(self):
        ticket = self._dispatched()
        self.assertEqual(ticket.state, "assigned")
        self.assertEqual(ticket.service_center_id, self.center)
        self.assertFalse(ticket.technician_id)
        self.assertTrue(ticket.date_assigned)
        self.assertTrue(ticket.date_deadline)
        self.assertIn(self.center_user, ticket._aftersales_assignee_users())
        self._as_center(ticket).action_accept()
        self.assertEqual(ticket.state, "in_progress")
        self.assertTrue(ticket.date_accepted)

    def test_expired_document_blocks_new_dispatch(self):
        insurance = self.agreement.document_ids.filtered(lambda d: d.document_type == "insurance")
        insurance.date_expiry = fields.Date.today() - timedelta(days=1)
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, r"Insurance of Centre North \(SC-N-insurance\)"):
            ticket.with_user(self.rep_user).action_dispatch_to_center(self.center)
        self.assertEqual(ticket.state, "new")
        # An "other" document does not block; a renewed insurance lifts the block.
        self.agreement.document_ids = [
            Command.create(
                {
                    "document_type": "insurance",
                    "name": "SC-N-insurance-2",
                    "date_expiry": fields.Date.today() + timedelta(days=30),
                }
            ),
            Command.create(
                {"document_type": "other", "name": "Old photo", "date_expiry": "2020-01-01"}
            ),
        ]
        ticket.with_user(self.rep_user).action_dispatch_to_center(self.center)
        self.assertEqual(ticket.service_center_id, self.center)

    def test_expired_safety_qualification_names_the_document(self):
        document = self.agreement.document_ids.filtered(
            lambda d: d.document_type == "safety_qualification"
        )
        document.date_expiry = "2026-01-31"
        with self.assertRaisesRegex(UserError, "Safety Qualification.*expired on 2026-01-31"):
            self._dispatched()

    def test_no_agreement_in_force_blocks(self):
        stranger = self.env["res.partner"].create(
            {"name": "Centre Without Agreement", "aftersales_is_service_center": True}
        )
        with self.assertRaisesRegex(UserError, "has no agreement in force"):
            self._dispatched(stranger)
        self.agreement.date_end = fields.Date.today() - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "Centre North has no agreement in force"):
            self._dispatched()
        with self.assertRaisesRegex(UserError, "is not a service centre"):
            self._dispatched(self.other_customer)

    def test_uncovered_zone_or_product_category_blocks(self):
        with self.assertRaisesRegex(UserError, "does not cover the service zone South"):
            self._dispatched(partner_id=self.other_customer.id, lot_id=False)
        no_zone = self.env["res.partner"].create({"name": "Nowhere Ltd", "is_company": True})
        with self.assertRaisesRegex(UserError, "Nowhere Ltd has no service zone"):
            self._dispatched(partner_id=no_zone.id, lot_id=False)
        pumps = self.env["product.category"].create({"name": "Pumps"})
        self.agreement.product_category_ids = pumps
        with self.assertRaisesRegex(UserError, "may not service Test Compressor"):
            self._dispatched()
        self.product.categ_id = self.env["product.category"].create(
            {"name": "Small pumps", "parent_id": pumps.id}
        )
        self.assertEqual(self._dispatched().service_center_id, self.center, "sub-categories too")

    def test_only_customer_service_dispatches(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_user).action_dispatch_to_center(self.center)
        with self.assertRaises(AccessError):
            ticket.with_user(self.center_user).action_dispatch_to_center(self.center)

    def test_refuse_needs_a_reason_and_frees_the_ticket(self):
        ticket = self._dispatched()
        centre_ticket = self._as_center(ticket)
        with self.assertRaisesRegex(UserError, "Give a reason"):
            centre_ticket.action_refuse("  ")
        centre_ticket.action_refuse("No technician free this week")
        self.assertEqual(ticket.state, "new")
        self.assertFalse(ticket.service_center_id)
        self.assertFalse(ticket.date_assigned)
        self.assertIn("No technician free this week", ticket.message_ids[:1].body)

    def test_other_centre_user_cannot_act(self):
        ticket = self._dispatched()
        with self.assertRaises(AccessError):
            ticket.with_user(self.center_south_user)._center_check_user()
        with self.assertRaises(AccessError):
            ticket.with_user(self.customer_user)._center_check_user()

    def test_wizard_dispatches_to_a_centre_and_back_to_a_technician(self):
        ticket = self._ticket()
        Wizard = self.env["aftersales.ticket.assign"].with_user(self.rep_user)
        wizard = Wizard.with_context(
            active_model="aftersales.ticket", active_ids=ticket.ids
        ).create({"dispatch_target": "center", "service_center_id": self.center.id})
        self.assertIn(self.center, wizard.allowed_center_ids)
        wizard.action_assign()
        self.assertEqual(ticket.service_center_id, self.center)
        wizard = Wizard.with_context(
            active_model="aftersales.ticket", active_ids=ticket.ids
        ).create({"technician_id": self.tech.id})
        wizard.action_assign()
        self.assertEqual(ticket.technician_id, self.tech)
        self.assertFalse(ticket.service_center_id, "the technician takes the job over")

    def test_centre_visit_check_in_out_and_incomplete_report_penalty(self):
        ticket = self._dispatched()
        self._as_center(ticket).action_accept()
        Visit = self.env["aftersales.visit"].with_user(self.center_user).sudo()
        start = fields.Datetime.now() + timedelta(hours=1)
        with self.assertRaisesRegex(UserError, "end after it starts"):
            Visit._center_plan(ticket, start, start)
        visit = Visit._center_plan(ticket, start, start + timedelta(hours=2))
        self.assertEqual(visit.service_center_id, self.center)
        self.assertFalse(visit.technician_ids)
        self.assertIn(self.center_user, visit._aftersales_assignee_users())
        self.assertNotIn(self.center_south_user, visit._aftersales_assignee_users())
        visit.action_check_in("Gate 2")
        self.assertEqual(ticket.date_arrival, visit.check_in, "arrival counts for the SLA")
        visit._center_record_report({"resolution_cause": "Worn belt"})
        visit.action_check_out()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.is_report_incomplete)
        penalty = self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)])
        self.assertEqual(len(penalty), 1)
        self.assertEqual(penalty.service_center_id, self.center)
        self.assertFalse(penalty.employee_id)
        self.assertIn("the work done", penalty.reason)

    def test_complete_centre_report_signed_and_resolved(self):
        ticket = self._dispatched()
        self._as_center(ticket).action_accept()
        start = fields.Datetime.now()
        visit = (
            self.env["aftersales.visit"]
            .with_user(self.center_user)
            .sudo()
            ._center_plan(ticket, start, start + timedelta(hours=2))
        )
        visit.action_check_in()
        visit._center_record_report(
            {
                "resolution_cause": "Worn belt",
                "work_done": "<p>Replaced the belt.</p>",
                "customer_opinion": "Fine",
                "no_parts_used": True,
            }
        )
        visit.action_sign("aGVsbG8=", "Acme Buyer")
        visit.action_check_out()
        self.assertFalse(visit.is_report_incomplete)
        self.assertFalse(self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)]))
        self._as_center(ticket).action_resolve()
        self.assertEqual(ticket.state, "resolved")
        self.assertIn("Replaced the belt", ticket.resolution_note)

    def test_visit_needs_technicians_or_a_centre(self):
        ticket = self._in_progress_ticket()
        with self.assertRaisesRegex(ValidationError, "needs at least one technician"):
            self.env["aftersales.visit"].create(
                {
                    "ticket_id": ticket.id,
                    "scheduled_start": "2026-03-02 08:00:00",
                    "scheduled_end": "2026-03-02 10:00:00",
                }
            )

    def test_centre_ticket_visits_are_planned_by_the_centre(self):
        ticket = self._dispatched()
        self._as_center(ticket).action_accept()
        with self.assertRaisesRegex(ValidationError, "the centre plans its visits on the portal"):
            self.env["aftersales.visit"].with_user(self.rep_user).create(
                {
                    "ticket_id": ticket.id,
                    "scheduled_start": "2030-03-02 08:00:00",
                    "scheduled_end": "2030-03-02 10:00:00",
                }
            )

    def test_penalty_goes_to_an_employee_or_a_centre(self):
        rule = self.env.ref("aftersales_service.penalty_rule_late_arrival")
        with self.assertRaisesRegex(ValidationError, "either to an employee or to a service"):
            self.env["aftersales.penalty"].create({"rule_id": rule.id})
        with self.assertRaisesRegex(ValidationError, "either to an employee or to a service"):
            self.env["aftersales.penalty"].create(
                {
                    "rule_id": rule.id,
                    "employee_id": self.tech.id,
                    "service_center_id": self.center.id,
                }
            )
        penalty = self.env["aftersales.penalty"].create(
            {"rule_id": rule.id, "service_center_id": self.center.id}
        )
        self.assertIn("Centre North", penalty.display_name)

    def test_late_arrival_penalty_goes_to_the_centre(self):
        self.env["aftersales.sla.policy"].search([]).active = False
        self.env["aftersales.sla.policy"].create(
            {
                "name": "Centre SLA",
                "calendar_id": self.env.ref("aftersales_service.resource_calendar_24x7").id,
                "response_hours": 2,
                "resolution_hours": 48,
                "arrival_from_zone": True,
                "sequence": 1,
            }
        )
        with self._at("2026-03-09 01:00:00"):
            ticket = self._dispatched()
            self.assertEqual(
                ticket.deadline_arrival, fields.Datetime.to_datetime("2026-03-09 05:00:00")
            )
        with self._at("2026-03-09 01:30:00"):
            self._as_center(ticket).action_accept()
        self.assertEqual(
            ticket.sla_response_state, "met", "the centre's acceptance is the response"
        )
        with self._at("2026-03-09 05:10:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
            self.env["aftersales.ticket"]._cron_sla_escalate()
        self.assertEqual(ticket.sla_arrival_state, "failed")
        penalties = self.env["aftersales.penalty"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(penalties), 1, "once")
        self.assertEqual(penalties.service_center_id, self.center)
        self.assertEqual(penalties.rule_id.auto_trigger, "late_arrival")

    def test_renewal_reminder_once_to_the_responsible(self):
        Agreement = self.env["aftersales.service.agreement"]
        self.agreement.write(
            {
                "user_id": self.manager_user.id,
                "renewal_notice_days": 30,
                "date_end": fields.Date.today() + timedelta(days=20),
            }
        )
        self.agreement_south.date_end = fields.Date.today() + timedelta(days=60)
        self.assertEqual(Agreement._cron_renewal_reminders(), 1)
        activity = self.agreement.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_user)
        self.assertEqual(activity.date_deadline, self.agreement.date_end)
        self.assertTrue(self.agreement.renewal_reminded)
        self.assertFalse(self.agreement_south.activity_ids)
        self.assertEqual(Agreement._cron_renewal_reminders(), 0, "once per agreement")
        self.assertEqual(len(self.agreement.activity_ids), 1)
        # Renewed: reminded again before the new end.
        self.agreement.date_end = fields.Date.today() + timedelta(days=10)
        self.assertFalse(self.agreement.renewal_reminded)

    def test_renewal_flag_is_set_by_the_cron_only(self):
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.manager_user).write({"renewal_reminded": True})


@tagged("post_install", "-at_install")
class TestCenterIsolation(CenterCommon):
    """A centre's users read the jobs dispatched to their centre, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.north_job = cls._ticket(description="<p>North secret</p>")
        cls.north_job.with_user(cls.rep_user).action_dispatch_to_center(cls.center)
        cls.south_job = cls._ticket(
            partner_id=cls.other_customer.id, lot_id=False, description="<p>South secret</p>"
        )
        cls.south_job.with_user(cls.rep_user).action_dispatch_to_center(cls.center_south)
        cls.north_job.sudo()._transition({"state": "in_progress"})
        start = fields.Datetime.now()
        cls.north_visit = cls.env["aftersales.visit"]._center_plan(
            cls.north_job, start, start + timedelta(hours=1)
        )

    def test_rpc_search_and_read_only_own_centre(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.center_user)
        self.assertEqual(Ticket.search([]), self.north_job)
        with self.assertRaises(AccessError):
            self.south_job.with_user(self.center_user).read(["description"])
        Visit = self.env["aftersales.visit"].with_user(self.center_user)
        self.assertEqual(Visit.search([]), self.north_visit)
        self.assertFalse(self.env["aftersales.visit"].with_user(self.center_south_user).search([]))
        with self.assertRaises(AccessError):
            self.north_visit.with_user(self.center_south_user).read(["name"])

    def test_rpc_no_rates_no_writes_no_other_customers(self):
        for agreement in (self.agreement, self.agreement_south):
            with self.assertRaises(AccessError):
                agreement.with_user(self.center_user).read(["hourly_rate"])
        with self.assertRaises(AccessError):
            self.env["aftersales.service.agreement"].with_user(self.center_user).search([])
        with self.assertRaises(AccessError):
            self.agreement.rate_ids.with_user(self.center_user).read(["amount"])
        with self.assertRaises(AccessError):
            self.north_job.with_user(self.center_user).write({"description": "<p>x</p>"})
        with self.assertRaises(AccessError):
            self.north_visit.with_user(self.center_user).action_check_in()
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.center_user).read(["phone", "street"])
        with self.assertRaises(AccessError):
            self.env["aftersales.penalty"].with_user(self.center_user).search([])

    def test_customers_do_not_see_centre_visits_or_other_jobs(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.customer_user)
        self.assertEqual(Ticket.search([]), self.north_job, "their own ticket only")
        self.assertFalse(self.env["aftersales.visit"].with_user(self.customer_user).search([]))
        with self.assertRaises(AccessError):
            self.south_job.with_user(self.customer_user).read(["name"])


@tagged("post_install", "-at_install")
class TestCenterScorecard(CenterCommon):
    """Centre KPIs and ranking on hand-built figures."""

    def _job(
        self, center, month_day, *, state="resolved", arrival=None, ftf=None, repeat=False, rating=0
    ):
        ticket = self._ticket(
            partner_id=(self.customer if center == self.center else self.other_customer).id,
            lot_id=False,
        )
        ticket.with_user(self.rep_user).action_dispatch_to_center(center)
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE aftersales_ticket
                  SET state = %s, create_date = %s, sla_arrival_state = %s,
                      is_first_time_fix = %s, is_repeat_repair = %s, rating_last_value = %s
                WHERE id = %s""",
            (state, month_day, arrival or "none", bool(ftf), repeat, rating, ticket.id),
        )
        self.env.invalidate_all()
        return ticket

    def test_ranking_and_kpis_per_centre_and_month(self):
        # North, March: 2 jobs, arrival 1 met 1 failed, FTF 2/2, no repeat, ratings 5 and 3.
        self._job(self.center, "2026-03-03 08:00", arrival="met", ftf=True, rating=5)
        north_b = self._job(self.center, "2026-03-10 08:00", arrival="failed", ftf=True, rating=3)
        # South, March: 1 job, met, not first-time fix, a repeat repair, rated 4.
        self._job(
            self.center_south, "2026-03-12 08:00", arrival="met", ftf=False, repeat=True, rating=4
        )
        # North, April: one open job, no figures yet.
        self._job(self.center, "2026-04-02 08:00", state="in_progress")
        complaint = (
            self.env["aftersales.complaint"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "ticket_id": north_b.id,
                    "type_id": self.env.ref("aftersales_service.complaint_type_not_in_time").id,
                    "description": "Came late",
                }
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_complaint SET verdict = 'substantiated', state = 'closed', "
            "date_verified = '2026-03-20 08:00' WHERE id = %s",
            (complaint.id,),
        )
        self.env.invalidate_all()

        Scorecard = self.env["aftersales.center.scorecard"].with_user(self.rep_user)
        march = Scorecard.search([("month", "=", "2026-03-01")])
        north = march.filtered(lambda r: r.service_center_id == self.center)
        south = march.filtered(lambda r: r.service_center_id == self.center_south)
        self.assertEqual((north.job_count, north.resolved_count), (2, 2))
        self.assertAlmostEqual(north.on_time_rate, 0.5)
        self.assertAlmostEqual(north.first_time_fix_rate, 1.0)
        self.assertAlmostEqual(north.repeat_repair_rate, 0.0)
        self.assertAlmostEqual(north.satisfaction, 4.0)
        self.assertEqual(north.complaint_count, 1)
        # (0.5 + 1 + 1 + 0.8) / 4 - 0.05 = 0.775; South (1 + 0 + 0 + 0.8) / 4 = 0.45.
        self.assertAlmostEqual(north.score, 0.775)
        self.assertAlmostEqual(south.score, 0.45)
        self.assertEqual((north.rank, south.rank), (1, 2))
        april = Scorecard.search([("month", "=", "2026-04-01")])
        self.assertEqual(april.job_count, 1)
        self.assertFalse(april.on_time_rate)

        kpis = self.env["aftersales.kpi.report"]._kpi_values(
            "service_center_id", date(2026, 3, 1), date(2026, 3, 31), tz="UTC"
        )
        self.assertEqual(kpis[self.center]["ticket_count"], 2)
        self.assertAlmostEqual(kpis[self.center]["on_time_rate"], 0.5)
        self.assertAlmostEqual(kpis[self.center]["satisfaction"], 4.0)
        self.assertEqual(kpis[self.center]["substantiated_complaint_count"], 1)
        self.assertAlmostEqual(kpis[self.center_south]["repeat_repair_rate"], 1.0)
        self.assertEqual(kpis[self.center_south]["substantiated_complaint_count"], 0)

    def test_centres_are_evaluated_and_ranked_like_technicians(self):
        # North, March: 2 jobs, arrival met, first-time fixes, rated 5 and 5.
        self._job(self.center, "2026-03-03 08:00", arrival="met", ftf=True, rating=5)
        self._job(self.center, "2026-03-10 08:00", arrival="met", ftf=True, rating=5)
        # South, March: 1 job, arrival failed, not fixed first time, a repeat, rated 2.
        self._job(
            self.center_south,
            "2026-03-12 08:00",
            arrival="failed",
            ftf=False,
            repeat=True,
            rating=2,
        )
        rule = self.env.ref("aftersales_service.penalty_rule_late_arrival")
        penalty = self.env["aftersales.penalty"].create(
            {"rule_id": rule.id, "service_center_id": self.center_south.id, "date": "2026-03-12"}
        )
        penalty.action_confirm()
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create({"period_type": "month", "date_reference": "2026-03-15", "evaluated": "center"})
        )
        evaluations = self.env["aftersales.evaluation"].search(wizard.action_generate()["domain"])
        north = evaluations.filtered(lambda e: e.service_center_id == self.center)
        south = evaluations.filtered(lambda e: e.service_center_id == self.center_south)
        self.assertEqual(len(evaluations), 2, "one evaluation per centre with jobs")
        self.assertEqual(set(evaluations.mapped("evaluated")), {"center"})
        self.assertFalse(evaluations.employee_id)
        self.assertEqual((north.ticket_count, south.ticket_count), (2, 1))
        self.assertAlmostEqual(north.on_time_rate, 1.0)
        self.assertAlmostEqual(south.repeat_repair_rate, 1.0)
        self.assertEqual(south.penalty_amount, penalty.amount)
        self.assertFalse(north.penalty_amount)
        self.assertGreater(north.score, south.score)
        self.assertEqual((north.rank, south.rank, north.rank_size), (1, 2, 2))
        self.assertIn("Centre North", north.name)
        # Generating again refreshes the drafts, it does not add more.
        wizard.action_generate()
        self.assertEqual(
            self.env["aftersales.evaluation"].search_count([("evaluated", "=", "center")]), 2
        )

    def test_technicians_and_portal_do_not_read_the_ranking(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.center.scorecard"].with_user(self.tech_user).search([])
        with self.assertRaises(AccessError):
            self.env["aftersales.center.scorecard"].with_user(self.center_user).search([])


@tagged("post_install", "-at_install")
class TestCenterChinese(CenterCommon):
    """The service-centre words and errors read in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )

    def test_labels_and_dispatch_error(self):
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh["ir.model"]._get("aftersales.center.scorecard").name, "特约维修点排名")
        fields_zh = zh["aftersales.ticket"].fields_get(["service_center_id"])
        self.assertEqual(fields_zh["service_center_id"]["string"], "特约维修点")
        document_types = dict(
            zh["aftersales.service.agreement.document"].fields_get(["document_type"])[
                "document_type"
            ]["selection"]
        )
        self.assertEqual(document_types["insurance"], "保险")
        self.agreement.document_ids.filtered(
            lambda d: d.document_type == "insurance"
        ).date_expiry = "2026-01-31"
        ticket = self._ticket()
        with self.assertRaisesRegex(UserError, r"的保险.SC-N-insurance.已于 2026-01-31 过期"):
            ticket.with_user(self.rep_user).with_context(lang="zh_CN").action_dispatch_to_center(
                self.center
            )
