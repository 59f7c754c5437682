import base64
from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

# A 1x1 PNG: a site photo and a drawn signature.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDw"
    "AEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestCenterPortal(HttpCase):
    """A centre's portal user works its jobs over HTTP; other centres and customers are
    kept out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        zone = env["aftersales.zone"].create({"name": "Portal Zone", "arrival_hours": 4})
        cls.customer = env["res.partner"].create(
            {
                "name": "Portal Plant Co",
                "is_company": True,
                "street": "1 Harbour Road",
                "city": "Tianjin",
                "phone": "+86 22 5555 0101",
                "aftersales_zone_id": zone.id,
            }
        )
        customer_contact = env["res.partner"].create(
            {"name": "Plant Buyer", "parent_id": cls.customer.id, "email": "b@plant.example.com"}
        )
        new_test_user(
            env, "plant_portal", groups="base.group_portal", partner_id=customer_contact.id
        )
        rep = new_test_user(
            env, "centre_rep", groups="base.group_user,aftersales_service.group_aftersales_user"
        )
        cls.centers, cls.jobs = [], []
        category = env.ref("aftersales_service.category_technical_fault")
        for name, login in (("Portal Centre A", "centre_a"), ("Portal Centre B", "centre_b")):
            center = env["res.partner"].create(
                {"name": name, "is_company": True, "aftersales_is_service_center": True}
            )
            env["aftersales.service.agreement"].create(
                {
                    "name": f"AG {name}",
                    "partner_id": center.id,
                    "date_start": "2026-01-01",
                    "date_end": "2099-12-31",
                    "zone_ids": [Command.set(zone.ids)],
                    "rate_ids": [Command.create({"category_id": category.id, "amount": 100})],
                }
            )
            person = env["res.partner"].create({"name": f"{name} user", "parent_id": center.id})
            new_test_user(env, login, groups="base.group_portal", partner_id=person.id)
            job = env["aftersales.ticket"].create(
                {
                    "partner_id": cls.customer.id,
                    "category_id": category.id,
                    "description": f"<p>Job for {name}: compressor stops</p>",
                }
            )
            job.with_user(rep).action_dispatch_to_center(center)
            cls.centers.append(center)
            cls.jobs.append(job)
        cls.job_a, cls.job_b = cls.jobs
        cls.part = env["product.product"].create(
            {"name": "Drive Belt", "default_code": "BELT-9", "type": "consu"}
        )

    def _post(self, url, **data):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **data})

    def test_list_shows_only_own_centre_jobs(self):
        self.authenticate("centre_a", "centre_a")
        page = self.url_open("/my/center/jobs")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.job_a.name, page.text)
        self.assertIn("Portal Plant Co", page.text)
        self.assertNotIn(self.job_b.name, page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_center_job_count", "aftersales_ticket_count"]}
        )
        self.assertEqual(counters["aftersales_center_job_count"], 1)
        self.assertEqual(counters["aftersales_ticket_count"], 0, "not the centre's own requests")
        # The customers' pages stay the customer's.
        self.assertEqual(self.url_open(f"/my/aftersales/{self.job_a.id}").status_code, 404)
        self.assertNotIn(self.job_a.name, self.url_open("/my/aftersales").text)

    def test_centre_cannot_complain_as_the_customer(self):
        self.authenticate("centre_a", "centre_a")
        form = self.url_open("/my/complaints/new")
        self.assertEqual(form.status_code, 200)
        self.assertNotIn(self.job_a.name, form.text, "a job is not one of the centre's tickets")
        centre_user = self.env["res.users"].search([("login", "=", "centre_a")])
        with self.assertRaisesRegex(UserError, "not one of yours"):
            self.env["aftersales.complaint"].with_user(centre_user)._portal_prepare(
                centre_user.partner_id, ticket_id=self.job_a.id, description="Late"
            )

    def test_other_centre_and_customers_get_not_found(self):
        self.authenticate("centre_b", "centre_b")
        other = self.url_open(f"/my/center/jobs/{self.job_a.id}")
        self.assertEqual(other.status_code, 404)
        self.assertNotIn("Job for Portal Centre A", other.text)
        refused = self._post(f"/my/center/jobs/{self.job_a.id}/accept")
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(self.job_a.state, "assigned")
        self.authenticate("plant_portal", "plant_portal")
        self.assertEqual(self.url_open("/my/center/jobs").status_code, 404)
        self.assertEqual(self.url_open(f"/my/center/jobs/{self.job_a.id}").status_code, 404)
        # The customer still follows their own request, and sees who serves it.
        own = self.url_open(f"/my/aftersales/{self.job_a.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Portal Centre A", own.text)

    def test_job_page_shows_what_is_needed_to_serve(self):
        self.authenticate("centre_a", "centre_a")
        page = self.url_open(f"/my/center/jobs/{self.job_a.id}")
        self.assertEqual(page.status_code, 200)
        for needed in ("Portal Plant Co", "1 Harbour Road", "+86 22 5555 0101", "compressor stops"):
            self.assertIn(needed, page.text)
        self.assertNotIn("b@plant.example.com", page.text)
        self.assertIn("o_aftersales_center_accept", page.text)

    def test_refuse_over_http_needs_a_reason(self):
        self.authenticate("centre_a", "centre_a")
        empty = self._post(f"/my/center/jobs/{self.job_a.id}/refuse", reason=" ")
        self.assertIn("Give a reason", empty.text)
        self.assertEqual(self.job_a.state, "assigned")
        done = self._post(f"/my/center/jobs/{self.job_a.id}/refuse", reason="Too far this week")
        self.assertIn("Job refused", done.text)
        self.env.invalidate_all()
        self.assertEqual(self.job_a.state, "new")
        self.assertFalse(self.job_a.service_center_id)
        self.assertEqual(self.url_open(f"/my/center/jobs/{self.job_a.id}").status_code, 404)

    def _photos(self, visit_url):
        """Upload a photo, and a text file that is refused; the photo's bytes."""
        png = base64.b64decode(PNG)
        photo = self.url_open(
            f"{visit_url}/photo",
            data={"csrf_token": http.Request.csrf_token(self)},
            files={"photos": ("site.png", png, "image/png")},
        )
        self.assertIn("Photos added", photo.text)
        not_photo = self.url_open(
            f"{visit_url}/photo",
            data={"csrf_token": http.Request.csrf_token(self)},
            files={"photos": ("notes.txt", b"hello", "text/plain")},
        )
        self.assertIn("is not a photo", not_photo.text)
        svg = self.url_open(
            f"{visit_url}/photo",
            data={"csrf_token": http.Request.csrf_token(self)},
            files={"photos": ("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")},
        )
        self.assertIn("is not a photo", svg.text, "no scripts served from the site's origin")
        return png

    def _sign(self, url, signature):
        """Another centre cannot sign; the job's centre collects the customer's signature."""
        self.authenticate("centre_b", "centre_b")
        refused = self.make_jsonrpc_request(url, {"name": "Plant Buyer", "signature": signature})
        self.assertIn("error", refused)
        self.authenticate("centre_a", "centre_a")
        signed = self.make_jsonrpc_request(url, {"name": "Plant Buyer", "signature": signature})
        self.assertTrue(signed.get("force_refresh"), signed)

    def test_full_job_over_http(self):
        self.authenticate("centre_a", "centre_a")
        base = f"/my/center/jobs/{self.job_a.id}"
        accepted = self._post(f"{base}/accept")
        self.assertIn("Job accepted", accepted.text)
        self.env.invalidate_all()
        self.assertEqual(self.job_a.state, "in_progress")
        self.assertTrue(self.job_a.date_accepted)

        bad = self._post(
            f"{base}/plan", scheduled_start="2030-05-02T10:00", scheduled_end="2030-05-02T09:00"
        )
        self.assertIn("must end after it starts", bad.text)
        self._post(
            f"{base}/plan", scheduled_start="2030-05-02T10:00", scheduled_end="2030-05-02T12:00"
        )
        self.env.invalidate_all()
        visit = self.job_a.visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.service_center_id, self.centers[0])
        # 10:00 on site (the company's zone when the customer has none).
        self.assertEqual(visit.scheduled_end - visit.scheduled_start, timedelta(hours=2))
        self.assertEqual(
            self._post(f"/my/center/jobs/{self.job_b.id}/visit/{visit.id}/check_in").status_code,
            404,
        )

        self._post(f"{base}/visit/{visit.id}/check_in", note="Gate 3")
        self.env.invalidate_all()
        self.assertEqual(visit.state, "on_site")
        self.assertEqual(self.job_a.date_arrival, visit.check_in)
        self._post(
            f"{base}/visit/{visit.id}/report",
            resolution_cause="Worn belt",
            work_done="Replaced the drive belt.",
            customer_opinion="Quick and clean",
        )
        unknown = self._post(f"{base}/visit/{visit.id}/part", part_code="NOPE", quantity="1")
        self.assertIn("No part has the reference", unknown.text)
        self._post(f"{base}/visit/{visit.id}/part", part_code="belt-9", quantity="2")
        png = self._photos(f"{base}/visit/{visit.id}")
        self._sign(f"{base}/visit/{visit.id}/sign", base64.b64encode(png).decode())
        self._post(f"{base}/visit/{visit.id}/check_out")
        resolved = self._post(f"{base}/resolve")
        self.assertIn("Job resolved", resolved.text)

        self.env.invalidate_all()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.signed_by, "Plant Buyer")
        self.assertEqual(self.job_a.resolution_cause, "Worn belt")
        self.assertIn("Replaced the drive belt.", visit.work_done)
        self.assertEqual(visit.part_ids.product_id, self.part)
        self.assertEqual(visit.part_ids.quantity, 2)
        self.assertFalse(visit.is_report_incomplete)
        self.assertEqual(self.job_a.state, "resolved")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.visit"), ("res_id", "=", visit.id)]
        )
        self.assertEqual(attachment.name, "site.png")
        shown = self.url_open(f"{base}/visit/{visit.id}/photo/{attachment.id}")
        self.assertEqual(shown.content, png)
        self.authenticate("centre_b", "centre_b")
        self.assertEqual(
            self.url_open(f"{base}/visit/{visit.id}/photo/{attachment.id}").status_code, 404
        )
        self.assertFalse(
            self.env["aftersales.penalty"].search([("ticket_id", "=", self.job_a.id)]),
            "a complete report is not penalised",
        )

    def test_list_paging(self):
        for _i in range(21):
            job = self.env["aftersales.ticket"].create(
                {"partner_id": self.customer.id, "description": "<p>More</p>"}
            )
            job.sudo()._transition(
                {
                    "state": "assigned",
                    "service_center_id": self.centers[0].id,
                    "date_assigned": fields.Datetime.now(),
                }
            )
        self.authenticate("centre_a", "centre_a")
        first = self.url_open("/my/center/jobs?filterby=all")
        self.assertIn("/my/center/jobs/page/2", first.text)
        second = self.url_open("/my/center/jobs/page/2?filterby=all")
        self.assertEqual(second.status_code, 200)
        self.assertIn(self.job_a.name, second.text, "the oldest dispatch is on the last page")


@tagged("post_install", "-at_install")
class TestCenterPortalTour(HttpCase):
    """A centre's user does a full job in a real browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, aftersales_no_customer_mail=True))
        zone = env["aftersales.zone"].create({"name": "Tour Zone", "arrival_hours": 4})
        customer = env["res.partner"].create(
            {"name": "Tour Site Co", "is_company": True, "aftersales_zone_id": zone.id}
        )
        cls.center = env["res.partner"].create(
            {
                "name": "Tour Service Centre",
                "is_company": True,
                "aftersales_is_service_center": True,
            }
        )
        env["aftersales.service.agreement"].create(
            {
                "name": "AG Tour",
                "partner_id": cls.center.id,
                "date_start": "2026-01-01",
                "date_end": "2099-12-31",
                "zone_ids": [Command.set(zone.ids)],
            }
        )
        person = env["res.partner"].create({"name": "Tour Fitter", "parent_id": cls.center.id})
        new_test_user(env, "centre_tour", groups="base.group_portal", partner_id=person.id)
        cls.job = env["aftersales.ticket"].create(
            {
                "partner_id": customer.id,
                "category_id": env.ref("aftersales_service.category_technical_fault").id,
                "description": "<p>Tour job: the chiller is noisy</p>",
            }
        )
        cls.job.action_dispatch_to_center(cls.center)
        cls.job.name = "TOURJOB-1"

    def test_centre_full_job_tour(self):
        self.start_tour("/my/center/jobs", "aftersales_center_job", login="centre_tour")
        self.env.invalidate_all()
        visit = self.job.visit_ids
        self.assertEqual(self.job.state, "in_progress")
        self.assertTrue(self.job.date_accepted)
        self.assertEqual(visit.service_center_id, self.center)
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.check_in and visit.check_out)
        self.assertEqual(self.job.resolution_cause, "Loose fan blade")
        self.assertEqual(visit.customer_opinion, "Quiet again")
        self.assertTrue(visit.no_parts_used)
        self.assertEqual(visit.signed_by, "Site Manager")
        self.assertFalse(visit.is_report_incomplete)
