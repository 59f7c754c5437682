from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_datetime, mute_logger

from .common import AftersalesCommon

EMAIL = """Return-Path: <{email}>
To: service-east@example.com
From: "{name}" <{email}>
Subject: {subject}
Message-ID: <{message_id}@example.com>
Date: Mon, 9 Mar 2026 10:00:00 +0800
Content-Type: text/plain; charset=utf-8

{body}
"""


class IntakeCommon(AftersalesCommon):
    """A serial of the customer's and a serial of another customer's, both registered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer.email = "desk@other.example.com"
        cls.other_customer_lot = cls.env["stock.lot"].create(
            {"name": "TC-0002", "product_id": cls.product.id}
        )
        cls.env["aftersales.warranty"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "product_id": cls.product.id,
                    "lot_id": cls.lot.id,
                    "date_start": "2026-01-01",
                },
                {
                    "partner_id": cls.other_customer.id,
                    "product_id": cls.product.id,
                    "lot_id": cls.other_customer_lot.id,
                    "date_start": "2026-01-01",
                },
            ]
        )

    def _email(self, message_id, subject, body, name="Acme Buyer", email="buyer@acme.example.com"):
        self.team.alias_name = "service-east"
        ticket_id = self.env["mail.thread"].message_process(
            "aftersales.ticket",
            EMAIL.format(message_id=message_id, subject=subject, body=body, name=name, email=email),
            custom_values={"team_id": self.team.id},
        )
        return self.env["aftersales.ticket"].browse(ticket_id)


@tagged("post_install", "-at_install")
class TestQualityFeedbackPrint(AftersalesCommon, HttpCase):
    """Item 3: analysts and managers print last month's quality feedback from the menu."""

    def test_menu_action_runs_for_analysts_and_managers(self):
        action = self.env.ref("aftersales_service.action_aftersales_quality_report_print")
        report = self.env.ref("aftersales_service.action_report_quality_monthly")
        for user in (self.analyst_user, self.manager_user):
            result = action.with_user(user).with_context(active_model="res.company").run()
            self.assertEqual(result["type"], "ir.actions.report", user.login)
            self.assertEqual(result["report_name"], report.report_name)
            html, _format = (
                self.env["ir.actions.report"]
                .with_user(user)
                ._render_qweb_html(report, self.company.ids)
            )
            self.assertIn(b"Quality Feedback", html)
        # Nobody got write access on the companies for it.
        self.assertFalse(self.env["res.company"].with_user(self.analyst_user).has_access("write"))
        with self.assertRaises(AccessError):
            action.with_user(self.rep_user).run()

    def test_menu_and_pdf_over_http(self):
        action = self.env.ref("aftersales_service.action_aftersales_quality_report_print")
        for user in (self.analyst_user, self.manager_user):
            self.authenticate(user.login, user.login)
            result = self.make_jsonrpc_request("/web/action/run", {"action_id": action.id})
            self.assertEqual(result["type"], "ir.actions.report")
            response = self.url_open(
                f"/report/html/aftersales_service.report_quality_monthly/{self.company.id}"
            )
            self.assertEqual(response.status_code, 200, user.login)
            self.assertIn("Quality Feedback", response.text)
        menu = self.env.ref("aftersales_service.menu_aftersales_quality_report_print")
        self.assertIn(self.env.ref("aftersales_service.group_aftersales_analyst"), menu.groups_id)


@tagged("post_install", "-at_install")
class TestEmailIntake(IntakeCommon):
    """Item 4: a ticket from an e-mail keeps its sequence reference and its author."""

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_keeps_the_sequence_reference_and_the_author(self):
        ticket = self._email("ref", "Compressor alarm E42", "Alarm E42 since this morning.")
        self.assertNotEqual(ticket.name, "Compressor alarm E42")
        prefix = ticket.name.rstrip("0123456789")
        self.assertTrue(prefix, "a sequence reference, not the subject")
        self.assertIn("Compressor alarm E42", ticket.description)
        self.assertIn("Alarm E42 since this morning.", ticket.description)
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, self.customer_contact)
        self.assertFalse(ticket.lot_id)

    @mute_logger("odoo.addons.mail.models.mail_thread", "odoo.addons.mail.models.res_partner")
    def test_unknown_sender_is_the_author_of_the_request(self):
        ticket = self._email(
            "stranger", "Noise", "It rattles.", name="New Person", email="new.person@example.org"
        )
        self.assertEqual(ticket.partner_id.email_normalized, "new.person@example.org")
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, ticket.partner_id)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_senders_own_serial_fills_product_and_serial(self):
        ticket = self._email("serial", "Alarm on TC-0001", "Serial TC-0001 shows E42.")
        self.assertEqual(ticket.lot_id, self.lot)
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.warranty_state, "in")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_another_customers_serial_is_not_taken(self):
        ticket = self._email("theirs", "Alarm", "Our unit TC-0002 shows E42.")
        self.assertFalse(ticket.lot_id)
        self.assertEqual(ticket.warranty_state, "none")


@tagged("post_install", "-at_install")
class TestSerialOwnership(IntakeCommon):
    """Item 5: another customer's serial needs a manager."""

    def test_onchange_warns_about_another_customers_serial(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.rep_user)
        ticket = Ticket.new({"partner_id": self.customer.id, "lot_id": self.other_customer_lot.id})
        warning = ticket._onchange_lot_owner_warning()["warning"]
        self.assertIn("registered to Other Co", warning["message"])
        self.assertIn("manager", warning["message"])
        self.assertEqual(warning["type"], "dialog", "the representative must read it")
        own = Ticket.new({"partner_id": self.customer_contact.id, "lot_id": self.lot.id})
        self.assertFalse(own._onchange_lot_owner_warning())
        unregistered = Ticket.new({"partner_id": self.customer.id, "lot_id": self.other_lot.id})
        warning = unregistered._onchange_lot_owner_warning()["warning"]
        self.assertIn("never delivered or registered", warning["message"])
        self.assertEqual(warning["type"], "notification", "pointed out without stopping the call")

    def test_representative_cannot_save_another_customers_serial(self):
        Ticket = self.env["aftersales.ticket"]
        before = Ticket.search_count([])
        # Odoo's assertRaises rolls back to a savepoint: nothing is left behind.
        with self.assertRaises(ValidationError) as refused:
            self._ticket(lot_id=self.other_customer_lot.id)
        self.assertIn("ask a manager", str(refused.exception))
        self.assertEqual(Ticket.search_count([]), before)
        ticket = self._ticket()
        with self.assertRaises(ValidationError) as refused:
            ticket.with_user(self.rep_user).write({"lot_id": self.other_customer_lot.id})
        self.assertIn("registered to Other Co", str(refused.exception))
        self.assertEqual(ticket.lot_id, self.lot)

    def test_manager_confirms_another_customers_serial(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.manager_user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "lot_id": self.other_customer_lot.id,
                    "description": "<p>Bought it second-hand.</p>",
                }
            )
        )
        self.assertEqual(ticket.lot_id, self.other_customer_lot)
        note = ticket.message_ids.filtered(lambda m: "confirmed serial number TC-0002" in m.body)
        self.assertTrue(note, "the manager's confirmation is on the ticket")

    def test_serial_picker_offers_the_customers_serials_first_without_create(self):
        own_second = self.env["stock.lot"].create(
            {"name": "TC-9999", "product_id": self.product.id}
        )
        self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": own_second.id,
                "date_start": "2026-01-01",
            }
        )
        Lot = self.env["stock.lot"].with_user(self.rep_user)
        names = [
            name
            for _id, name in Lot.with_context(
                aftersales_lot_owner_id=self.customer_contact.id
            ).name_search("TC-", args=[("product_id", "=", self.product.id)])
        ]
        self.assertEqual(set(names[:2]), {"TC-0001", "TC-9999"})
        self.assertIn("TC-0002", names[2:])
        arch = (
            self.env["aftersales.ticket"]
            .with_user(self.rep_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertRegex(arch, r"name=\"lot_id\"[^>]*no_create")
        self.assertIn("aftersales_lot_owner_id", arch)


@tagged("post_install", "-at_install")
class TestDuplicateTickets(IntakeCommon):
    """Item 6: an open ticket of the same serial is shown and warned about."""

    def test_open_ticket_of_the_serial_is_warned_and_shown(self):
        first = self._ticket()
        second = self._ticket()
        self.assertEqual(second.with_user(self.rep_user).duplicate_ticket_ids, first)
        self.assertEqual(first.duplicate_ticket_ids, second)
        draft = (
            self.env["aftersales.ticket"]
            .with_user(self.rep_user)
            .new({"partner_id": self.customer.id, "lot_id": self.lot.id})
        )
        warning = draft._onchange_lot_duplicate_warning()["warning"]
        self.assertIn(first.name, warning["message"])
        self.assertIn(second.name, warning["message"])
        second.with_user(self.rep_user).action_cancel("Duplicate of the first call")
        (first | second).invalidate_recordset(["duplicate_ticket_ids"])
        self.assertFalse(first.duplicate_ticket_ids)
        self.assertFalse(second.duplicate_ticket_ids, "a cancelled ticket shows no banner")
        arch = self.env["aftersales.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("o_aftersales_duplicate_alert", arch)


@tagged("post_install", "-at_install")
class TestPhoneSearch(AftersalesCommon):
    """Item 9: the customer field finds a caller by phone number."""

    def test_customer_field_finds_callers_by_phone(self):
        caller = self.env["res.partner"].create(
            {"name": "Wang Wei", "phone": "+86 138-0013-8000", "mobile": "(021) 6555 1234"}
        )
        Partner = self.env["res.partner"].with_user(self.rep_user)
        search = Partner.with_context(aftersales_phone_search=True)
        for typed in (
            "13800138000",
            "138 0013 8000",
            "+86 138 0013 8000",
            "0086 13800138000",
            "6555-1234",
        ):
            ids = [pid for pid, _name in search.name_search(typed)]
            self.assertIn(caller.id, ids, typed)
        self.assertIn(caller.id, [pid for pid, _name in search.name_search("Wang")])
        self.assertNotIn(caller.id, [pid for pid, _name in Partner.name_search("13800138000")])
        arch = self.env["aftersales.ticket"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("aftersales_phone_search", arch)


@tagged("post_install", "-at_install")
class TestAcknowledgementDeadline(AftersalesCommon):
    """Item 10: the acknowledgement quotes the ticket's own response deadline."""

    def test_acknowledgement_quotes_the_sla_response_deadline(self):
        self.env["aftersales.sla.policy"].search([]).active = False
        calendar = self._calendar("Around the clock", "Asia/Shanghai", hours=((0, 24),), days=7)
        self.env["aftersales.sla.policy"].create(
            {
                "name": "Gold",
                "calendar_id": calendar.id,
                "response_hours": 2,
                "resolution_hours": 24,
                "sequence": 1,
            }
        )
        self.customer.write({"tz": "Asia/Shanghai", "lang": "en_US"})
        with self._at("2026-03-06 09:00:00"):
            ticket = self._ticket().with_context(aftersales_no_customer_mail=False)
            ticket.with_user(self.rep_user)._send_customer_mail(
                "aftersales_service.mail_template_ticket_received"
            )
        self.assertEqual(ticket.deadline_response, datetime(2026, 3, 6, 11, 0))
        mail = ticket.message_ids.filtered(lambda m: "we received" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        local = format_datetime(
            self.env, ticket.deadline_response, tz="Asia/Shanghai", dt_format="medium"
        )
        self.assertIn("7:00:00", local, "19:00 in Shanghai")
        self.assertIn(local, mail.body)
        self.assertNotIn("24 hours", mail.body)


@tagged("post_install", "-at_install")
class TestRatingBounds(AftersalesCommon):
    """Item 19: ratings outside 1-5 are refused and never averaged; portal labels translate."""

    def test_rating_outside_the_scale_is_refused(self):
        ticket = self._resolved_ticket()
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
                "res_id": ticket.id,
                "partner_id": self.customer.id,
            }
        )
        with self.assertRaises(ValidationError) as refused:
            rating.write({"rating": 0.5, "consumed": True})
        self.assertIn("between 1 and 5", str(refused.exception))
        self.assertFalse(rating.consumed)
        rating.write({"rating": 4, "consumed": True})
        self.assertEqual(ticket.rating_last_value, 4)
        with self.assertRaises(ValidationError):
            ticket.sudo().write({"rating_last_value": 99})
        self.assertEqual(ticket.rating_last_value, 4)

    def test_kpis_average_only_the_1_to_5_scale(self):
        rated, forced = self._resolved_ticket(), self._resolved_ticket()
        self.env.flush_all()
        # A value forced into the database (an old import) must not skew the average.
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET rating_last_value = CASE id WHEN %s THEN 5 ELSE 99 END"
            " WHERE id IN %s",
            (rated.id, (rated.id, forced.id)),
        )
        self.env.invalidate_all()
        [[average]] = self.env["aftersales.kpi.report"]._read_group(
            [("ticket_id", "in", (rated | forced).ids)], [], ["rating:avg"]
        )
        self.assertEqual(average, 5.0)

    def test_portal_rating_labels_are_translatable(self):
        view = self.env.ref("aftersales_service.portal_my_aftersales_ticket")
        terms = view._fields["arch_db"].get_trans_terms(view.with_context(lang="en_US").arch_db)
        for label in ("Satisfied", "Okay", "Dissatisfied"):
            self.assertIn(label, terms)


@tagged("post_install", "-at_install")
class TestQualityLiability(AftersalesCommon):
    """Item 24: a quality problem is resolved with its liability."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["aftersales.category"].create(
            {"name": "Test Quality Problem", "quality_problem": True}
        )

    def test_resolving_a_quality_problem_asks_for_the_liability(self):
        ticket = self._in_progress_ticket(category_id=self.quality.id)
        tech_ticket = ticket.with_user(self.tech_user)
        tech_ticket.write(
            {"resolution_cause": "Porous casting", "resolution_note": "<p>Replaced body.</p>"}
        )
        with self.assertRaisesRegex(UserError, "Liability"):
            tech_ticket.action_resolve()
        self.assertEqual(ticket.state, "in_progress")
        # The technician who found the cause records who is liable.
        tech_ticket.write({"liability": "supplier"})
        tech_ticket.action_resolve()
        self.assertEqual(ticket.state, "resolved")
        self.env.flush_all()
        row = self.env["aftersales.quality.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(row.liability, "supplier")

    def test_other_categories_resolve_without_liability(self):
        ticket = self._resolved_ticket()
        self.assertEqual(ticket.state, "resolved")
        self.assertFalse(ticket.liability)

    def test_other_technicians_cannot_set_the_liability(self):
        ticket = self._in_progress_ticket(category_id=self.quality.id)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech2_user).write({"liability": "production"})


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase):
    """Items 5, 6 and 9 on the screen: customer service takes a call in the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        env = cls.env
        cls.rep_user = new_test_user(
            env,
            "intake_tour_rep",
            groups="base.group_user,aftersales_service.group_aftersales_user",
        )
        Partner = env["res.partner"]
        cls.caller = Partner.create(
            {"name": "Intake Caller Co", "is_company": True, "phone": "+86 138-0013-8000"}
        )
        other = Partner.create({"name": "Intake Other Co", "is_company": True})
        product = env["product.product"].create(
            {"name": "Intake Compressor", "is_storable": True, "tracking": "serial"}
        )
        Lot = env["stock.lot"]
        # The other customer's serial sorts first by name: the caller's must still lead.
        cls.other_lot = Lot.create({"name": "INTAKE-SN-0", "product_id": product.id})
        cls.own_lot = Lot.create({"name": "INTAKE-SN-1", "product_id": product.id})
        env["aftersales.warranty"].create(
            [
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "date_start": "2026-01-01",
                }
                for partner, lot in ((cls.caller, cls.own_lot), (other, cls.other_lot))
            ]
        )
        cls.open_ticket = env["aftersales.ticket"].create(
            {"partner_id": cls.caller.id, "lot_id": cls.own_lot.id, "product_id": product.id}
        )

    def test_rep_finds_the_caller_and_sees_the_open_ticket(self):
        self.start_tour(
            "/odoo/action-aftersales_service.action_aftersales_ticket/new",
            "aftersales_intake_call",
            login="intake_tour_rep",
        )
        self.assertEqual(
            self.env["aftersales.ticket"].search_count([("lot_id", "=", self.own_lot.id)]),
            1,
            "the representative discarded the duplicate",
        )
