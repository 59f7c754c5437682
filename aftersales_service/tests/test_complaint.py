from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AftersalesCommon


class ComplaintCommon(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_behaviour = cls.env.ref("aftersales_service.complaint_type_behaviour")
        cls.type_product = cls.env.ref("aftersales_service.complaint_type_product_quality")
        cls.demerit = cls.env.ref("aftersales_service.penalty_rule_complaint_major_demerit")
        # Round the clock, in UTC and without public holidays: no pause anywhere.
        cls.calendar_24x7 = cls._calendar(
            "Complaints 24/7", "UTC", hours=((0, 24),), days=7, hours_per_day=24
        )
        cls.company.write(
            {
                "aftersales_complaint_calendar_id": cls.calendar_24x7.id,
                "aftersales_escalation_manager_id": cls.manager_user.id,
                "aftersales_complaint_ack_hours": 24,
                "aftersales_complaint_answer_days": 5,
                "aftersales_complaint_serious_answer_days": 2,
                "aftersales_complaint_group_answer_days": 1,
            }
        )
        cls.ticket = cls._ticket()
        cls.ticket.with_user(cls.rep_user).action_assign(cls.tech)
        cls.ticket.with_user(cls.tech_user).action_accept()

    def _complaint(self, **vals):
        values = {
            "partner_id": self.customer.id,
            "subject": "ticket",
            "ticket_id": self.ticket.id,
            "type_id": self.type_behaviour.id,
            "description": "<p>The technician shouted at us.</p>",
        }
        values.update(vals)
        return self.env["aftersales.complaint"].with_user(self.rep_user).create(values)

    def _investigating(self, **vals):
        complaint = self._complaint(**vals)
        complaint.action_acknowledge()
        complaint.action_investigate()
        return complaint


@tagged("post_install", "-at_install")
class TestComplaintLifecycle(ComplaintCommon):
    def test_intake_names_the_ticket_technician_and_product(self):
        complaint = self._complaint()
        self.assertTrue(complaint.name.startswith("CP"))
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.employee_ids, self.tech)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.user_id, self.rep_user)
        self.assertEqual(self.ticket.with_user(self.rep_user).complaint_count, 1)

    def test_full_lifecycle_per_role(self):
        complaint = self._complaint()
        as_tech = complaint.with_user(self.tech_user)
        as_rep = complaint.with_user(self.rep_user)
        as_manager = complaint.with_user(self.manager_user)
        as_analyst = complaint.with_user(self.analyst_user)
        with self.assertRaises(AccessError):
            as_tech.action_acknowledge()
        with self.assertRaises(AccessError):
            as_analyst.action_acknowledge()
        as_rep.action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")
        self.assertTrue(complaint.date_acknowledged)
        as_rep.action_investigate()
        self.assertEqual(complaint.state, "investigating")
        with self.assertRaises(AccessError):
            as_rep.action_verify("substantiated", "Shouted at the buyer", self.tech)
        as_manager.action_verify("substantiated", "Shouted at the buyer", self.tech)
        self.assertEqual(complaint.state, "verified")
        self.assertEqual(complaint.responsible_ids, self.tech)
        as_rep.action_add_corrective_action()
        action = (
            self.env["aftersales.complaint.action"]
            .with_user(self.rep_user)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Communication training for the technician",
                    "user_id": self.tech2_user.id,
                    "date_due": fields.Date.today() + timedelta(days=14),
                }
            )
        )
        self.assertTrue(action.activity_ids.filtered(lambda a: a.user_id == self.tech2_user))
        as_rep.action_start_corrective()
        self.assertEqual(complaint.state, "corrective")
        as_rep.action_answer("We apologise; the technician is retrained.")
        self.assertEqual(complaint.state, "answered")
        self.assertTrue(complaint.date_answered)
        as_rep.action_close()
        self.assertEqual(complaint.state, "closed")
        # The customer disagrees: back to the investigation.
        as_rep.action_reopen("The customer says nothing changed.")
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertFalse(complaint.date_closed)

    def test_lifecycle_fields_hold_against_plain_write(self):
        complaint = self._complaint()
        for user in (self.rep_user, self.manager_user):
            for vals in (
                {"state": "closed"},
                {"verdict": "unfounded"},
                {"date_answered": fields.Datetime.now()},
                {"responsible_ids": [Command.set(self.tech2.ids)]},
                {"name": "FORGED"},
                {"date_received": fields.Datetime.now() - timedelta(days=9)},
            ):
                with self.assertRaises(AccessError):
                    complaint.with_user(user).write(vals)
        self.assertEqual(complaint.state, "new")
        with self.assertRaises(AccessError):
            complaint.with_user(self.tech_user).write({"description": "<p>Not me</p>"})

    def test_serious_complaints_are_closed_by_a_manager(self):
        complaint = self._investigating(severity="serious")
        complaint.with_user(self.manager_user).action_verify(
            "unfounded", "The recording shows a polite technician."
        )
        complaint.with_user(self.rep_user).action_answer("We listened to the call: no fault.")
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep_user).action_close()
        complaint.with_user(self.manager_user).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_cancel_needs_a_reason(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.rep_user).action_cancel("  ")
        self.assertEqual(complaint.state, "new")
        complaint.with_user(self.rep_user).action_cancel("Filed twice.")
        self.assertEqual(complaint.state, "cancelled")
        self.assertEqual(complaint.cancel_reason, "Filed twice.")
        with self.assertRaises(UserError):
            complaint.with_user(self.rep_user).action_acknowledge()

    def test_file_a_complaint_from_ticket_and_visit(self):
        action = self.ticket.with_user(self.rep_user).action_file_complaint()
        form = Form(
            self.env["aftersales.complaint"]
            .with_user(self.rep_user)
            .with_context(**action["context"])
        )
        form.type_id = self.type_behaviour
        complaint = form.save()
        self.assertEqual(complaint.ticket_id, self.ticket)
        self.assertEqual(complaint.partner_id, self.customer)
        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": self.ticket.id,
                "technician_ids": [Command.set(self.tech2.ids)],
                "scheduled_start": fields.Datetime.now() + timedelta(hours=1),
                "scheduled_end": fields.Datetime.now() + timedelta(hours=2),
            }
        )
        context = visit.with_user(self.rep_user).action_file_complaint()["context"]
        form = Form(
            self.env["aftersales.complaint"].with_user(self.rep_user).with_context(**context)
        )
        form.type_id = self.type_behaviour
        complaint = form.save()
        self.assertEqual(complaint.visit_id, visit)
        self.assertEqual(complaint.employee_ids, self.tech2)
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.tech_user).action_file_complaint()

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_to_the_team_complaint_alias(self):
        domain = self.env["mail.alias.domain"].create({"name": "complaints.example.com"})
        with self.assertRaises(AccessError):
            self.team.with_user(self.rep_user).write({"complaint_alias_name": "complaints-east"})
        self.team.with_user(self.manager_user).write(
            {"alias_domain_id": domain.id, "complaint_alias_name": "complaints-east"}
        )
        alias = self.team.complaint_alias_id
        self.assertEqual(alias.alias_model_id.model, "aftersales.complaint")
        self.assertEqual(self.team.complaint_alias_name, "complaints-east")
        email = (
            'From: "Acme Buyer" <buyer@acme.example.com>\n'
            "To: complaints-east@complaints.example.com\n"
            "Subject: Rude technician\n"
            "Message-ID: <complaint-1@acme.example.com>\n"
            "Content-Type: text/plain\n\n"
            "He shouted at us in front of our staff.\n"
        )
        complaint = self.env["aftersales.complaint"].browse(
            self.env["mail.thread"].message_process(False, email)
        )
        self.assertEqual(complaint._name, "aftersales.complaint")
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id, self.customer_contact)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.type_id, self.env.ref("aftersales_service.complaint_type_other"))
        self.assertIn("Rude technician", complaint.description)
        self.assertTrue(complaint.name.startswith("CP"))


@tagged("post_install", "-at_install")
class TestComplaintBadInput(ComplaintCommon):
    def test_verification_without_findings(self):
        complaint = self._investigating()
        with self.assertRaisesRegex(UserError, "findings"):
            complaint.with_user(self.manager_user).action_verify("substantiated", " ", self.tech)
        self.assertEqual(complaint.state, "investigating")
        self.assertFalse(complaint.verdict)

    def test_substantiated_without_responsible(self):
        complaint = self._investigating()
        with self.assertRaisesRegex(UserError, "name the employees responsible"):
            complaint.with_user(self.manager_user).action_verify("substantiated", "True.")
        self.assertEqual(complaint.state, "investigating")
        # A product complaint names nobody.
        product_complaint = self._investigating(
            subject="product",
            ticket_id=False,
            type_id=self.type_product.id,
            product_id=self.product.id,
        )
        product_complaint.with_user(self.manager_user).action_verify(
            "substantiated", "The bearing batch is faulty."
        )
        self.assertEqual(product_complaint.verdict, "substantiated")
        self.assertFalse(product_complaint.penalty_ids)

    def test_answering_before_verification(self):
        complaint = self._investigating()
        with self.assertRaisesRegex(UserError, "not verified yet"):
            complaint.with_user(self.rep_user).action_answer("All fine.")
        self.assertEqual(complaint.state, "investigating")
        self.assertFalse(complaint.answer)

    def test_complaint_about_another_customers_ticket(self):
        other_ticket = self._ticket(partner_id=self.other_customer.id, lot_id=False)
        with self.assertRaisesRegex(ValidationError, "not a ticket of"), self.env.cr.savepoint():
            self._complaint(ticket_id=other_ticket.id)
        self.assertFalse(
            self.env["aftersales.complaint"].search([("ticket_id", "=", other_ticket.id)])
        )

    def test_about_what_must_be_said(self):
        with self.assertRaisesRegex(ValidationError, "say which"):
            self._complaint(subject="employee", ticket_id=False)

    def test_bad_selection_in_words(self):
        with self.assertRaisesRegex(ValidationError, "not a valid"):
            self._complaint(severity="catastrophic")
        complaint = self._investigating()
        with self.assertRaises(ValidationError):
            complaint.with_user(self.manager_user).action_verify("maybe", "Unsure.")

    def test_start_corrective_needs_an_action(self):
        complaint = self._investigating()
        complaint.with_user(self.manager_user).action_verify("substantiated", "True.", self.tech)
        with self.assertRaisesRegex(UserError, "Add the corrective action"):
            complaint.with_user(self.rep_user).action_start_corrective()
        self.assertEqual(complaint.state, "verified")


@tagged("post_install", "-at_install")
class TestComplaintAccountability(ComplaintCommon):
    def test_penalty_proposed_once_per_complaint_and_employee(self):
        complaint = self._investigating()
        complaint.with_user(self.manager_user).action_verify(
            "substantiated", "Shouted at the buyer.", self.tech
        )
        penalties = self.env["aftersales.penalty"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(len(penalties), 1)
        self.assertEqual(penalties.rule_id, self.demerit)
        self.assertEqual(penalties.state, "draft")
        self.assertEqual(penalties.employee_id, self.tech)
        self.assertEqual(penalties.ticket_id, self.ticket)
        # Reopened and verified again: no second proposal.
        complaint.with_user(self.rep_user).action_answer("Sorry.")
        complaint.with_user(self.rep_user).action_reopen("Customer disagrees.")
        complaint.with_user(self.manager_user).action_verify(
            "substantiated", "Confirmed again.", self.tech | self.tech2
        )
        penalties = self.env["aftersales.penalty"].search([("complaint_id", "=", complaint.id)])
        self.assertEqual(len(penalties), 2)
        self.assertEqual(penalties.employee_id, self.tech | self.tech2)
        complaint._propose_penalties()
        self.assertEqual(
            self.env["aftersales.penalty"].search_count([("complaint_id", "=", complaint.id)]), 2
        )
        # The manager confirms; the customer service cannot.
        proposal = penalties.filtered(lambda p: p.employee_id == self.tech)
        with self.assertRaises(AccessError):
            proposal.with_user(self.rep_user).action_confirm()
        proposal.with_user(self.manager_user).action_confirm()
        self.assertEqual(proposal.state, "confirmed")

    def test_unfounded_proposes_nothing(self):
        complaint = self._investigating()
        complaint.with_user(self.manager_user).action_verify("unfounded", "No witness.", self.tech)
        self.assertFalse(complaint.responsible_ids)
        self.assertFalse(
            self.env["aftersales.penalty"].search([("complaint_id", "=", complaint.id)])
        )

    def test_employee_sees_own_complaint_without_private_contact(self):
        complaint = self._complaint()
        other = self._complaint(subject="employee", ticket_id=False, employee_ids=self.tech2.ids)
        Complaint = self.env["aftersales.complaint"].with_user(self.tech_user)
        self.assertEqual(Complaint.search([]), complaint)
        self.assertEqual(complaint.with_user(self.tech_user).type_id, self.type_behaviour)
        with self.assertRaises(AccessError):
            other.with_user(self.tech_user).read(["name"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.tech_user).read(["phone"])
        with self.assertRaises(AccessError):
            complaint.with_user(self.tech_user).read(["email"])
        self.assertTrue(complaint.with_user(self.analyst_user).read(["phone", "email"]))
        self.assertEqual(
            self.env["aftersales.complaint"]
            .with_user(self.analyst_user)
            .search_count([("partner_id", "=", self.customer.id)]),
            2,
        )

    def test_statement_before_verification_only(self):
        complaint = self._complaint()
        as_tech = complaint.with_user(self.tech_user)
        self.assertTrue(as_tech.user_is_concerned)
        statement = as_tech.action_submit_statement("The buyer refused to let me in.")
        self.assertEqual(statement.employee_id, self.tech)
        as_tech.action_submit_statement("The buyer refused to let me in, twice.")
        self.assertEqual(len(complaint.statement_ids), 1)
        self.assertIn("twice", complaint.statement_ids.statement)
        with self.assertRaises(AccessError):
            self.env["aftersales.complaint.statement"].with_user(self.tech_user).create(
                {"complaint_id": complaint.id, "employee_id": self.tech.id, "statement": "x"}
            )
        with self.assertRaises(AccessError):
            complaint.with_user(self.tech2_user).action_submit_statement("Not mine.")
        complaint.with_user(self.rep_user).action_acknowledge()
        complaint.with_user(self.rep_user).action_investigate()
        complaint.with_user(self.manager_user).action_verify("unfounded", "No proof.")
        with self.assertRaisesRegex(UserError, "already verified"):
            as_tech.action_submit_statement("Too late.")

    def test_corrective_action_done_and_checked(self):
        complaint = self._investigating()
        complaint.with_user(self.manager_user).action_verify("substantiated", "True.", self.tech)
        action = (
            self.env["aftersales.complaint.action"]
            .with_user(self.rep_user)
            .create(
                {
                    "complaint_id": complaint.id,
                    "name": "Second technician on this site",
                    "user_id": self.tech_user.id,
                    "date_due": fields.Date.today() + timedelta(days=7),
                }
            )
        )
        with self.assertRaises(AccessError):
            action.with_user(self.tech_user).write({"name": "Nothing"})
        with self.assertRaises(AccessError):
            action.with_user(self.tech2_user).action_done()
        with self.assertRaises(UserError):
            action.with_user(self.manager_user).action_check(True, "Worked.")
        action.with_user(self.tech_user).action_done()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.activity_ids)
        with self.assertRaises(AccessError):
            action.with_user(self.rep_user).action_check(True, "Worked.")
        action.with_user(self.manager_user).action_check(False, "Same complaint a month later.")
        self.assertEqual(action.effectiveness, "not_effective")


@tagged("post_install", "-at_install")
class TestComplaintDeadlines(ComplaintCommon):
    def test_deadlines_on_a_24x7_calendar(self):
        with self._at("2026-03-02 09:00:00"):
            normal = self._complaint()
            serious = self._complaint(severity="serious")
            group = self._complaint(severity="group")
        received = datetime(2026, 3, 2, 9, 0)
        self.assertEqual(normal.deadline_acknowledge, received + timedelta(hours=24))
        self.assertEqual(normal.deadline_answer, received + timedelta(days=5))
        self.assertEqual(serious.deadline_answer, received + timedelta(days=2))
        self.assertEqual(group.deadline_answer, received + timedelta(days=1))
        self.assertEqual(normal.warn_acknowledge, received + timedelta(hours=19.2))

    def test_deadlines_on_working_hours(self):
        calendar = self._calendar(
            "Complaint office hours", "UTC", hours=((9, 17),), hours_per_day=8
        )
        self.company.aftersales_complaint_calendar_id = calendar
        # Friday 16:00 UTC: one working hour left that week.
        with self._at("2026-03-06 16:00:00"):
            complaint = self._complaint()
        # 24 working hours: 1 on Friday, 8 Mon, 8 Tue, 7 Wed -> Wednesday 16:00.
        self.assertEqual(complaint.deadline_acknowledge, datetime(2026, 3, 11, 16, 0))
        # 5 working days = 40 working hours: 1 on Friday, 32 Mon-Thu, 7 -> next Friday 16:00.
        self.assertEqual(complaint.deadline_answer, datetime(2026, 3, 13, 16, 0))
        # A group complaint is answered within 1 working day: acknowledged within it too.
        with self._at("2026-03-06 16:00:00"):
            group = self._complaint(severity="group")
        self.assertEqual(group.deadline_answer, datetime(2026, 3, 9, 16, 0))
        self.assertEqual(group.deadline_acknowledge, group.deadline_answer)

    def test_escalation_once_in_the_sla_cron(self):
        Ticket = self.env["aftersales.ticket"]
        with self._at("2026-03-02 09:00:00"):
            complaint = self._complaint()
        self.assertEqual(complaint.next_check, datetime(2026, 3, 2, 9) + timedelta(hours=19.2))

        def activities(user):
            return complaint.activity_ids.filtered(lambda a: a.user_id == user)

        with self._at("2026-03-02 10:00:00"):
            Ticket._cron_sla_escalate()
        self.assertFalse(complaint.activity_ids)
        with self._at("2026-03-03 05:00:00"):
            Ticket._cron_sla_escalate()
        self.assertTrue(complaint.acknowledge_warned)
        self.assertFalse(complaint.acknowledge_escalated)
        self.assertEqual(len(activities(self.rep_user)), 1)
        with self._at("2026-03-03 10:00:00"):
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        self.assertTrue(complaint.acknowledge_escalated)
        self.assertEqual(len(activities(self.manager_user)), 1)
        self.assertEqual(len(activities(self.rep_user)), 1)
        self.assertIn(
            "acknowledgement deadline", complaint.message_ids[0].body, complaint.message_ids[0].body
        )
        # Acknowledged late: the answer deadline still runs, then is escalated once.
        with self._at("2026-03-03 11:00:00"):
            complaint.with_user(self.rep_user).action_acknowledge()
        self.assertFalse(complaint.acknowledged_on_time)
        with self._at("2026-03-08 10:00:00"):
            Ticket._cron_sla_escalate()
            Ticket._cron_sla_escalate()
        self.assertTrue(complaint.answer_escalated)
        self.assertFalse(complaint.next_check)
        self.assertEqual(len(activities(self.manager_user)), 2)

    def test_answered_complaints_are_not_escalated(self):
        with self._at("2026-03-02 09:00:00"):
            complaint = self._investigating()
            complaint.with_user(self.manager_user).action_verify("unfounded", "No fault.")
            complaint.with_user(self.rep_user).action_answer("No fault found, sorry.")
        self.assertTrue(complaint.answered_on_time)
        self.assertTrue(complaint.acknowledged_on_time)
        self.assertFalse(complaint.next_check)
        with self._at("2026-03-20 09:00:00"):
            self.env["aftersales.ticket"]._cron_sla_escalate()
        self.assertFalse(complaint.answer_escalated)

    def test_group_complaint_goes_to_the_manager_at_once(self):
        complaint = self._complaint(severity="group")
        self.assertTrue(complaint.manager_escalated)
        self.assertEqual(
            len(complaint.activity_ids.filtered(lambda a: a.user_id == self.manager_user)), 1
        )
        complaint.with_user(self.rep_user).write({"severity": "group"})
        self.assertEqual(
            len(complaint.activity_ids.filtered(lambda a: a.user_id == self.manager_user)), 1
        )
        later = self._complaint()
        later.with_user(self.rep_user).write({"severity": "group"})
        self.assertTrue(later.manager_escalated)


@tagged("post_install", "-at_install")
class TestComplaintChinese(ComplaintCommon):
    """The complaint terms speak Chinese like the rest of the module."""

    def test_labels_and_errors_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh["ir.model"]._get("aftersales.complaint").name, "客户投诉")
        fields = zh["aftersales.complaint"].fields_get(["severity", "verdict"])
        self.assertIn(("group", "群诉"), fields["severity"]["selection"])
        self.assertIn(("substantiated", "属实"), fields["verdict"]["selection"])
        self.assertEqual(self.type_behaviour.with_env(zh).name, "行为或态度")
        complaint = self._complaint().with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "尚未核实"):
            complaint.with_user(self.rep_user).action_answer("好的")
