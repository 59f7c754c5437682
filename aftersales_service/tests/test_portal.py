import base64

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """Customers see their own tickets and warranties, never another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        cls.acme = env["res.partner"].create({"name": "Acme Portal Co", "is_company": True})
        cls.acme_contact = env["res.partner"].create(
            {
                "name": "Acme Buyer",
                "parent_id": cls.acme.id,
                "email": "buyer@acme-portal.example.com",
            }
        )
        cls.rival = env["res.partner"].create({"name": "Rival Portal Co", "is_company": True})
        cls.portal_user = new_test_user(
            env, "portal_acme", groups="base.group_portal", partner_id=cls.acme_contact.id
        )
        cls.rival_user = new_test_user(env, "portal_rival", groups="base.group_portal")
        cls.rival_user.partner_id.parent_id = cls.rival
        product = env["product.product"].create(
            {"name": "Portal Compressor", "is_storable": True, "tracking": "serial"}
        )
        lots = env["stock.lot"].create(
            [{"name": f"PC-{i}", "product_id": product.id} for i in (1, 2)]
        )
        Ticket = env["aftersales.ticket"]
        cls.acme_ticket = Ticket.create(
            {
                "partner_id": cls.acme.id,
                "product_id": product.id,
                "lot_id": lots[0].id,
                "description": "<p>Acme compressor noise</p>",
            }
        )
        cls.rival_ticket = Ticket.create(
            {"partner_id": cls.rival.id, "description": "<p>Rival secret issue</p>"}
        )
        cls.technician = env["hr.employee"].create(
            {
                "name": "Portal Tech",
                "user_id": new_test_user(
                    env,
                    "portal_tech",
                    groups="base.group_user,aftersales_service.group_aftersales_technician",
                ).id,
            }
        )
        Visit = env["aftersales.visit"]
        cls.acme_visit, cls.rival_visit = Visit.create(
            [
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [(6, 0, cls.technician.ids)],
                    "scheduled_start": "2026-03-02 08:00:00",
                    "scheduled_end": "2026-03-02 10:00:00",
                    "state": "done",
                    "work_done": f"<p>{work}</p>",
                }
                for ticket, work in (
                    (cls.acme_ticket, "Acme bearing replaced"),
                    (cls.rival_ticket, "Rival valve replaced"),
                )
            ]
        )
        Attachment = env["ir.attachment"]
        cls.acme_file, cls.rival_file = Attachment.create(
            [
                {
                    "name": name,
                    "raw": content,
                    "res_model": "aftersales.ticket",
                    "res_id": ticket.id,
                }
                for ticket, name, content in (
                    (cls.acme_ticket, "acme.txt", b"acme photo"),
                    (cls.rival_ticket, "rival.txt", b"rival secret drawing"),
                )
            ]
        )
        cls.acme_file.generate_access_token()
        cls.rival_file.generate_access_token()
        rule = env["aftersales.warranty.rule"].create(
            {
                "name": "Portal rule",
                "applies_to": "product",
                "duration": 12,
                "product_tmpl_id": product.product_tmpl_id.id,
                "sequence": 77,
            }
        )
        Warranty = env["aftersales.warranty"]
        cls.acme_warranty = Warranty.create(
            {
                "partner_id": cls.acme.id,
                "product_id": product.id,
                "lot_id": lots[0].id,
                "rule_id": rule.id,
                "date_start": "2026-01-01",
            }
        )
        cls.rival_warranty = Warranty.create(
            {
                "partner_id": cls.rival.id,
                "product_id": product.id,
                "lot_id": lots[1].id,
                "rule_id": rule.id,
                "date_start": "2026-01-01",
            }
        )

    def test_customer_lists_only_own_tickets(self):
        self.authenticate("portal_acme", "portal_acme")
        response = self.url_open("/my/aftersales")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.acme_ticket.name, response.text)
        self.assertNotIn(self.rival_ticket.name, response.text)

    def test_list_search_filter_and_sort(self):
        self.authenticate("portal_acme", "portal_acme")
        by_serial = self.url_open("/my/aftersales?search=PC-1&search_in=serial")
        self.assertIn(self.acme_ticket.name, by_serial.text)
        nothing = self.url_open("/my/aftersales?search=PC-9&search_in=all")
        self.assertNotIn(self.acme_ticket.name, nothing.text)
        self.assertIn("There is no service request yet.", nothing.text)
        waiting = self.url_open("/my/aftersales?filterby=answer")
        self.assertNotIn(self.acme_ticket.name, waiting.text, "a new ticket needs no answer")
        self.assertIn(self.acme_ticket.name, self.url_open("/my/aftersales?filterby=open").text)
        sorted_page = self.url_open("/my/aftersales?sortby=state&filterby=bogus")
        self.assertEqual(sorted_page.status_code, 200)
        self.assertIn(self.acme_ticket.name, sorted_page.text)

    def test_customer_opens_own_ticket_not_another(self):
        self.authenticate("portal_acme", "portal_acme")
        own = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Acme compressor noise", own.text)
        other = self.url_open(f"/my/aftersales/{self.rival_ticket.id}")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn("Rival secret issue", other.text)
        missing = self.url_open("/my/aftersales/999999999")
        self.assertEqual(missing.status_code, 404)

    def test_access_token_of_another_record_is_refused(self):
        self.authenticate("portal_rival", "portal_rival")
        token = self.acme_ticket._portal_ensure_token()
        wrong = self.url_open(f"/my/aftersales/{self.acme_ticket.id}?access_token=not-{token}")
        self.assertEqual(wrong.status_code, 404)
        self.assertNotIn("Acme compressor noise", wrong.text)
        own_token = self.rival_ticket._portal_ensure_token()
        swapped = self.url_open(f"/my/aftersales/{self.acme_ticket.id}?access_token={own_token}")
        self.assertEqual(swapped.status_code, 404, "a token opens only its own ticket")
        right = self.url_open(f"/my/aftersales/{self.acme_ticket.id}?access_token={token}")
        self.assertIn("Acme compressor noise", right.text, "a shared link works, like Odoo's")

    def test_warranties_and_certificates(self):
        self.authenticate("portal_acme", "portal_acme")
        listing = self.url_open("/my/warranties")
        self.assertIn("PC-1", listing.text)
        self.assertNotIn("PC-2", listing.text)
        certificate = self.url_open(f"/my/warranties/{self.acme_warranty.id}/certificate")
        self.assertEqual(certificate.status_code, 200)
        self.assertIn("PC-1", certificate.text)  # test mode renders the report as HTML
        other = self.url_open(f"/my/warranties/{self.rival_warranty.id}/certificate")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn("PC-2", other.text)

    def test_rpc_cannot_read_another_customers_records(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.portal_user)
        self.assertEqual(Ticket.search([]), self.acme_ticket)
        self.assertEqual(
            self.env["aftersales.warranty"].with_user(self.portal_user).search([]),
            self.acme_warranty,
        )
        with self.assertRaises(AccessError):
            self.rival_ticket.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            Ticket.create({"partner_id": self.acme.id})

    def test_home_counts(self):
        self.authenticate("portal_acme", "portal_acme")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_ticket_count", "aftersales_warranty_count"]}
        )
        self.assertEqual(response["aftersales_ticket_count"], 1)
        self.assertEqual(response["aftersales_warranty_count"], 1)

    # ------------------------------------------------------------------
    # Reports, attachments
    # ------------------------------------------------------------------

    def test_service_reports_download_only_for_own_tickets(self):
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertIn(self.acme_visit.name, page.text)
        visit_report = self.url_open(
            f"/my/aftersales/{self.acme_ticket.id}/visit/{self.acme_visit.id}/report"
        )
        self.assertEqual(visit_report.status_code, 200)
        self.assertIn("Acme bearing replaced", visit_report.text)
        ticket_report = self.url_open(f"/my/aftersales/{self.acme_ticket.id}/report")
        self.assertEqual(ticket_report.status_code, 200)
        self.assertIn(self.acme_ticket.name, ticket_report.text)
        for url in (
            f"/my/aftersales/{self.rival_ticket.id}/report",
            f"/my/aftersales/{self.rival_ticket.id}/visit/{self.rival_visit.id}/report",
            # Own ticket, another customer's visit.
            f"/my/aftersales/{self.acme_ticket.id}/visit/{self.rival_visit.id}/report",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Rival valve replaced", response.text)

    def test_attachments_of_another_customer_are_not_served(self):
        self.authenticate("portal_acme", "portal_acme")
        own = self.url_open(
            f"/web/content/{self.acme_file.id}?access_token={self.acme_file.access_token}"
        )
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own.content, b"acme photo")
        for url in (
            f"/web/content/{self.rival_file.id}",
            f"/web/content/{self.rival_file.id}?access_token={self.acme_file.access_token}",
            f"/web/content/{self.rival_file.id}?download=true",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn(b"rival secret drawing", response.content)
        with self.assertRaises(AccessError):
            self.rival_file.with_user(self.portal_user).read(["raw"])

    # ------------------------------------------------------------------
    # Requests, answers, rating, signature
    # ------------------------------------------------------------------

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def _resolve(self, ticket):
        ticket.action_assign(self.technician)
        ticket.action_accept()
        ticket.write({"resolution_cause": "Dry bearing", "resolution_note": "<p>Greased.</p>"})
        ticket.action_resolve()
        return ticket

    def test_submit_request(self):
        Ticket = self.env["aftersales.ticket"]
        self.authenticate("portal_acme", "portal_acme")
        form = self.url_open("/my/aftersales/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn("PC-1", form.text, "the customer's own serials are offered")
        self.assertNotIn("PC-2", form.text)
        before = Ticket.search_count([])
        for data, message in (
            ({"serial": "PC-2", "description": "Broken"}, "not one of the products delivered"),
            ({"serial": "ZZ-404", "description": "Broken"}, "not one of the products delivered"),
            ({"serial": "PC-1", "description": " "}, "Describe the problem"),
        ):
            with self.subTest(data=data):
                response = self._post("/my/aftersales/new", **data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn("o_aftersales_request_error", response.text)
        self.assertEqual(Ticket.search_count([]), before, "nothing created")

        response = self.url_open(
            "/my/aftersales/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "serial": "pc-1",
                "description": "Grinding noise since Monday",
            },
            files={"attachments": ("noise.txt", b"grrr", "text/plain")},
        )
        ticket = Ticket.search([("description", "ilike", "Grinding noise")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.partner_id, self.acme_contact)
        self.assertEqual(ticket.lot_id.name, "PC-1")
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(files.name, "noise.txt")
        self.assertEqual(ticket.message_ids.attachment_ids, files)
        self.assertEqual(files.mimetype, "text/plain")
        self.assertTrue(files.access_token, "the customer downloads it with its token")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/aftersales/{ticket.id}", response.url)
        self.assertIn("your request is registered", response.text)

    def test_confirm_from_portal(self):
        ticket = self._resolve(self.acme_ticket)
        self.authenticate("portal_rival", "portal_rival")
        refused = self._post(f"/my/aftersales/{ticket.id}/confirm")
        self.assertEqual(refused.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(ticket.customer_confirmed)

        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open(f"/my/aftersales/{ticket.id}")
        self.assertIn("Is the problem solved?", page.text)
        response = self._post(f"/my/aftersales/{ticket.id}/confirm")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for confirming", response.text)
        self.env.invalidate_all()
        self.assertTrue(ticket.customer_confirmed)
        self.assertNotIn("Is the problem solved?", response.text)

    def test_reject_from_portal_reopens(self):
        ticket = self._resolve(self.acme_ticket)
        self.authenticate("portal_acme", "portal_acme")
        empty = self._post(f"/my/aftersales/{ticket.id}/reject", reason="  ")
        self.assertIn("Tell us what is still wrong", empty.text)
        self.env.invalidate_all()
        self.assertEqual(ticket.state, "resolved")

        response = self._post(f"/my/aftersales/{ticket.id}/reject", reason="Still grinding")
        self.assertIn("back with the team", response.text)
        self.env.invalidate_all()
        self.assertEqual(ticket.state, "in_progress")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertTrue(ticket.is_repeat_repair)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: "Still grinding" in m.body and m.author_id == self.acme_contact
            ),
            "the reason is in the thread, in the customer's name",
        )

    def test_rating_from_portal_is_stored_for_the_technician(self):
        ticket = self._resolve(self.acme_ticket)
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open(f"/my/aftersales/{ticket.id}")
        token = ticket.rating_ids.access_token
        self.assertTrue(token)
        self.assertIn(f"/rate/{token}/5", page.text)
        self.assertEqual(self.url_open(f"/rate/{token}/5").status_code, 200)
        self._post(f"/rate/{token}/submit_feedback", rate=5, feedback="Fast and tidy")
        self.env.invalidate_all()
        self.assertEqual(ticket.rating_last_value, 5)
        rating = ticket.rating_ids
        self.assertEqual(rating.feedback, "Fast and tidy")
        self.assertEqual(rating.rated_partner_id, self.technician.user_id.partner_id)
        page = self.url_open(f"/my/aftersales/{ticket.id}")
        self.assertIn("Your rating", page.text)
        self.assertIn("Fast and tidy", page.text)

    def test_sign_service_report_from_portal(self):
        url = f"/my/aftersales/{self.acme_ticket.id}/visit/{self.acme_visit.id}/sign"
        signature = base64.b64encode(b"\x89PNG fake signature").decode()
        self.authenticate("portal_rival", "portal_rival")
        refused = self.make_jsonrpc_request(url, {"name": "Rival", "signature": signature})
        self.assertIn("error", refused)
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertIn("o_aftersales_sign", page.text)
        no_drawing = self.make_jsonrpc_request(url, {"name": "Acme Buyer", "signature": ""})
        self.assertIn("Draw or type your signature", no_drawing["error"])
        self.env.invalidate_all()
        self.assertFalse(self.acme_visit.customer_signature)

        signed = self.make_jsonrpc_request(url, {"name": "Acme Buyer", "signature": signature})
        self.assertTrue(signed.get("force_refresh"), signed)
        self.env.invalidate_all()
        self.assertEqual(self.acme_visit.signed_by, "Acme Buyer")
        self.assertTrue(self.acme_visit.signed_on)
        again = self.make_jsonrpc_request(url, {"name": "Acme Buyer", "signature": signature})
        self.assertIn("already signed", again["error"])
        page = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertIn("Signed by", page.text)
