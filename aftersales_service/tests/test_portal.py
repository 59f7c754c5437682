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

    def test_customer_opens_own_ticket_not_another(self):
        self.authenticate("portal_acme", "portal_acme")
        own = self.url_open(f"/my/aftersales/{self.acme_ticket.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Acme compressor noise", own.text)
        other = self.url_open(f"/my/aftersales/{self.rival_ticket.id}")
        self.assertNotIn("Rival secret issue", other.text)
        self.assertTrue(other.url.endswith("/my"), "redirected away")

    def test_access_token_of_another_record_is_refused(self):
        self.authenticate("portal_rival", "portal_rival")
        token = self.acme_ticket._portal_ensure_token()
        wrong = self.url_open(f"/my/aftersales/{self.acme_ticket.id}?access_token=not-{token}")
        self.assertNotIn("Acme compressor noise", wrong.text)
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
