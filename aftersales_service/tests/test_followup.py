from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AftersalesCommon

EMAIL = """Return-Path: <buyer@acme.example.com>
To: service-east@example.com
From: "Acme Buyer" <buyer@acme.example.com>
Subject: Compressor alarm E42
Message-ID: <{message_id}@acme.example.com>
Date: Mon, 9 Mar 2026 10:00:00 +0800
Content-Type: text/plain; charset=utf-8

The compressor shows alarm E42 since this morning.
"""


@tagged("post_install", "-at_install")
class TestFollowup(AftersalesCommon):
    def _resolved_on(self, moment, **vals):
        ticket = self._in_progress_ticket(**vals)
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Dust", "resolution_note": "<p>Cleaned</p>"}
        )
        saved = self.env.cr._now
        ticket.with_user(self.tech_user).action_resolve()
        ticket.sudo().write({"date_resolved": moment})
        self.env.cr._now = saved
        return ticket

    def _created_on(self, moment, **vals):
        saved, self.env.cr._now = self.env.cr._now, datetime.fromisoformat(moment)
        try:
            return self._ticket(**vals)
        finally:
            self.env.cr._now = saved

    def test_repeat_repair_window_boundaries(self):
        self.company.aftersales_repeat_repair_days = 90
        first = self._resolved_on("2026-01-01 10:00:00")
        inside = self._created_on("2026-03-31 09:00:00")  # 89 days later
        edge = self._created_on("2026-04-01 10:00:00")  # 90 days
        outside = self._created_on("2026-04-02 10:00:00")  # 91 days
        self.assertTrue(inside.is_repeat_repair)
        self.assertEqual(inside.repeat_of_ticket_id, first)
        self.assertTrue(edge.is_repeat_repair)
        self.assertFalse(outside.is_repeat_repair)
        other_serial = self._created_on(
            "2026-01-10 10:00:00", product_id=self.other_product.id, lot_id=self.other_lot.id
        )
        self.assertFalse(other_serial.is_repeat_repair)

    def test_reopened_ticket_is_a_repeat_repair(self):
        ticket = self._resolved_on("2026-01-01 10:00:00")
        self.assertFalse(ticket.is_repeat_repair)
        ticket.with_user(self.rep_user).action_reopen("Again")
        self.assertTrue(ticket.is_repeat_repair)

    def test_auto_close_is_idempotent(self):
        self.company.aftersales_auto_close_days = 7
        old = self._resolved_on("2020-01-01 10:00:00")
        recent = self._resolved_on(datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        closed = self.env["aftersales.ticket"]._cron_auto_close()
        self.assertEqual(closed & (old | recent), old)
        self.assertEqual(old.state, "closed")
        self.assertIn("Closed automatically", old.message_ids[0].body)
        self.assertEqual(recent.state, "resolved")
        self.assertFalse(self.env["aftersales.ticket"]._cron_auto_close() & (old | recent))
        self.assertEqual(
            len(old.message_ids.filtered(lambda m: "Closed automatically" in (m.body or ""))), 1
        )

    def test_return_visit_schedules_and_reopens(self):
        ticket = self._resolved_on("2026-01-01 10:00:00")
        ticket.with_user(self.rep_user).action_customer_confirm()
        ticket.with_user(self.rep_user).action_close()
        followup = self.env.ref("aftersales_service.mail_activity_ticket_followup")
        activity = ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        self.assertEqual(activity.user_id, self.rep_user)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_user).action_record_followup("satisfied")
        with self.assertRaises(UserError):
            ticket.with_user(self.rep_user).action_record_followup("maybe")
        ticket.with_user(self.rep_user).action_record_followup("not_satisfied", "Still trips")
        self.assertEqual(ticket.followup_outcome, "not_satisfied")
        self.assertEqual(ticket.state, "in_progress")
        self.assertTrue(ticket.is_repeat_repair)
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup))

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_creates_a_ticket_and_replies_thread(self):
        self.team.alias_name = "service-east"
        self.assertEqual(self.team.alias_id.alias_model_id.model, "aftersales.ticket")
        Thread = self.env["mail.thread"]
        ticket_id = Thread.message_process(
            "aftersales.ticket",
            EMAIL.format(message_id="first"),
            custom_values={"team_id": self.team.id},
        )
        ticket = self.env["aftersales.ticket"].browse(ticket_id)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.team_id, self.team)
        self.assertIn("Compressor alarm E42", ticket.description)
        self.assertIn(self.customer_contact, ticket.message_partner_ids)
        reply = EMAIL.format(message_id="second").replace(
            "Subject: Compressor alarm E42",
            "Subject: Re: Compressor alarm E42\nIn-Reply-To: <first@acme.example.com>",
        )
        again = Thread.message_process("aftersales.ticket", reply)
        self.assertEqual(again, ticket.id, "a reply lands on the same ticket")
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: m.message_type == "email")), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_email_from_unknown_sender_creates_a_contact(self):
        email = EMAIL.format(message_id="stranger").replace(
            '"Acme Buyer" <buyer@acme.example.com>', '"New Person" <new.person@example.org>'
        )
        ticket = self.env["aftersales.ticket"].browse(
            self.env["mail.thread"].message_process("aftersales.ticket", email)
        )
        self.assertEqual(ticket.partner_id.email, "new.person@example.org")
        self.assertEqual(ticket.partner_id.name, "New Person")

    def test_resolution_mail_asks_for_a_rating_of_the_technician(self):
        ticket = self._in_progress_ticket()
        ticket = ticket.with_context(aftersales_no_customer_mail=False)
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Dust", "resolution_note": "<p>Cleaned</p>"}
        )
        ticket.with_user(self.tech_user).action_resolve()
        mail = ticket.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        self.assertIn("/rate/", mail.body)
        rating = ticket.rating_ids
        self.assertEqual(rating.partner_id, self.customer)
        self.assertEqual(rating.rated_partner_id, self.tech_user.partner_id)
        ticket.rating_apply(5, token=rating.access_token, feedback="Great job")
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(rating.feedback, "Great job")
