from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestServiceAgreement(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zone_north = cls.env["aftersales.zone"].create({"name": "North", "arrival_hours": 4})
        cls.zone_south = cls.env["aftersales.zone"].create({"name": "South", "arrival_hours": 6})
        cls.center = cls.env["res.partner"].create(
            {"name": "Centre North", "is_company": True, "aftersales_is_service_center": True}
        )
        cls.agreement = cls.env["aftersales.service.agreement"].create(
            {
                "name": "SC-N-1",
                "partner_id": cls.center.id,
                "date_start": "2026-01-01",
                "date_end": "2099-12-31",
                "zone_ids": [Command.set(cls.zone_north.ids)],
                "hourly_rate": 60,
                "rate_ids": [Command.create({"category_id": cls.category_fault.id, "amount": 120})],
                "travel_ids": [Command.create({"zone_id": cls.zone_north.id, "amount": 35})],
            }
        )

    def test_rates_and_allowances(self):
        self.assertEqual(self.agreement._job_rate(self.category_fault), 120)
        self.assertEqual(self.agreement._travel_allowance(self.zone_north), 35)
        self.assertEqual(self.agreement._travel_allowance(self.zone_south), 0)
        self.assertEqual(self.center.aftersales_agreement_id, self.agreement)

    def test_agreement_needs_a_service_centre_and_ordered_dates(self):
        customer = self.env["res.partner"].create({"name": "Plain customer"})
        with self.assertRaisesRegex(ValidationError, "is not a service centre"):
            self.env["aftersales.service.agreement"].create(
                {
                    "name": "X",
                    "partner_id": customer.id,
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                }
            )
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.agreement.date_end = "2025-12-31"

    def test_technicians_do_not_read_rates(self):
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.tech_user).read(["hourly_rate"])
        self.assertEqual(self.agreement.with_user(self.rep_user).hourly_rate, 60)
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.rep_user).write({"hourly_rate": 90})

    def test_centre_of_a_portal_user(self):
        person = self.env["res.partner"].create({"name": "Li Wei", "parent_id": self.center.id})
        center_user = self.env["res.users"].create(
            {
                "name": "Li Wei",
                "login": "li.wei.centre",
                "partner_id": person.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.assertEqual(center_user._aftersales_service_center(), self.center)
        self.assertFalse(self.rep_user._aftersales_service_center())
