from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    """Customers complain about their own service, follow and rate it; never another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        cls.env = env
        Partner = env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Complaint Co", "is_company": True})
        cls.acme_contact = Partner.create(
            {"name": "Acme Complainer", "parent_id": cls.acme.id, "email": "c@acme.example.com"}
        )
        cls.rival = Partner.create({"name": "Rival Complaint Co", "is_company": True})
        cls.portal_user = new_test_user(
            env, "t_complaint_acme", groups="base.group_portal", partner_id=cls.acme_contact.id
        )
        cls.rival_user = new_test_user(env, "t_complaint_rival", groups="base.group_portal")
        cls.rival_user.partner_id.parent_id = cls.rival
        Ticket = env["aftersales.ticket"]
        cls.acme_ticket = Ticket.create(
            {"partner_id": cls.acme.id, "description": "<p>Acme chiller leaks</p>"}
        )
        cls.rival_ticket = Ticket.create(
            {"partner_id": cls.rival.id, "description": "<p>Rival secret issue</p>"}
        )
        cls.type_fees = env.ref("aftersales_service.complaint_type_fees")
        cls.rival_complaint = env["aftersales.complaint"].create(
            {
                "partner_id": cls.rival.id,
                "ticket_id": cls.rival_ticket.id,
                "type_id": cls.type_fees.id,
                "description": "<p>Rival overcharged secretly</p>",
            }
        )

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def test_make_follow_and_rate_a_complaint(self):
        Complaint = self.env["aftersales.complaint"]
        self.authenticate("t_complaint_acme", "t_complaint_acme")
        home = self.url_open("/my")
        self.assertIn("/my/complaints/new", home.text)
        ticket_page = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertIn(f"/my/complaints/new?ticket_id={self.acme_ticket.id}", ticket_page.text)
        form = self.url_open(f"/my/complaints/new?ticket_id={self.acme_ticket.id}")
        self.assertEqual(form.status_code, 200)
        self.assertNotIn(self.rival_ticket.name, form.text)
        response = self._post(
            "/my/complaints/new",
            ticket_id=self.acme_ticket.id,
            type_id=self.type_fees.id,
            description="Charged twice for the visit.",
        )
        self.assertEqual(response.status_code, 200)
        complaint = Complaint.search([("ticket_id", "=", self.acme_ticket.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.partner_id, self.acme_contact)
        self.assertEqual(complaint.type_id, self.type_fees)
        self.assertIn("your complaint is registered", response.text)
        self.assertIn(complaint.name, self.url_open("/my/complaints").text)
        self.assertIn(complaint.name, self.url_open(f"/my/aftersales/{self.acme_ticket.id}").text)
        # Rating before the answer is refused in words.
        page = self._post(f"/my/complaints/{complaint.id}/rate", rating="5")
        self.assertIn("once we have answered you", page.text)
        self.assertFalse(complaint.customer_rating)
        # Answered by the department: the customer reads the answer and rates.
        manager = self.env.ref("base.user_admin")
        complaint.with_user(manager).action_acknowledge()
        complaint.with_user(manager).action_investigate()
        complaint.with_user(manager).action_verify("unfounded", "Second charge was a deposit.")
        complaint.with_user(manager).action_answer("The second charge is a refundable deposit.")
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertIn("refundable deposit", page.text)
        self.assertNotIn("Second charge was a deposit", page.text, "internal findings stay inside")
        self._post(f"/my/complaints/{complaint.id}/rate", rating="4", feedback="Clear answer")
        self.env.invalidate_all()
        self.assertEqual(complaint.customer_rating, "4")
        self.assertEqual(complaint.customer_feedback, "Clear answer")

    def test_another_customers_complaint_and_ticket_are_out_of_reach(self):
        Complaint = self.env["aftersales.complaint"]
        self.authenticate("t_complaint_acme", "t_complaint_acme")
        page = self.url_open(f"/my/complaints/{self.rival_complaint.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Rival overcharged", page.text)
        self.assertNotIn(self.rival_complaint.name, self.url_open("/my/complaints").text)
        rate = self._post(f"/my/complaints/{self.rival_complaint.id}/rate", rating="1")
        self.assertEqual(rate.status_code, 404)
        before = Complaint.search_count([])
        response = self._post(
            "/my/complaints/new",
            ticket_id=self.rival_ticket.id,
            type_id=self.type_fees.id,
            description="Complaining about someone else's ticket.",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("This ticket is not one of yours", response.text)
        self.assertEqual(Complaint.search_count([]), before, "nothing created")
        empty = self._post("/my/complaints/new", ticket_id=self.acme_ticket.id, description=" ")
        self.assertIn("Tell us what went wrong", empty.text)
        self.assertEqual(Complaint.search_count([]), before, "nothing created")

    def test_internal_findings_are_not_readable_by_the_customer(self):
        complaint = self.env["aftersales.complaint"].create(
            {
                "partner_id": self.acme.id,
                "ticket_id": self.acme_ticket.id,
                "type_id": self.type_fees.id,
            }
        )
        mine = complaint.with_user(self.portal_user)
        self.assertEqual(mine.read(["name"])[0]["name"], complaint.name)
        for fname in ("findings", "responsible_ids", "employee_ids", "statement_ids"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                mine.read([fname])
        with self.assertRaises(AccessError):
            self.rival_complaint.with_user(self.portal_user).read(["name"])
