import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AftersalesCommon

PIXEL = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
)


@tagged("post_install", "-at_install")
class TestQualification(AftersalesCommon):
    """Qualifications, training sessions, expiry reminders, roles and customer training."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.categ_compressors = Category.create({"name": "Test Compressors"})
        cls.categ_screw = Category.create(
            {"name": "Test Screw Compressors", "parent_id": cls.categ_compressors.id}
        )
        cls.product.categ_id = cls.categ_screw
        cls.tech.parent_id = cls.env["hr.employee"].create(
            {"name": "Service Manager", "user_id": cls.manager_user.id}
        )

    def _qualification(self, employee, **values):
        return (
            self.env["aftersales.qualification"]
            .with_user(self.manager_user)
            .create(
                {
                    "employee_id": employee.id,
                    "product_categ_id": self.categ_compressors.id,
                    "date_valid_until": fields.Date.today() + timedelta(days=365),
                    **values,
                }
            )
        )

    def _training(self, **values):
        return (
            self.env["aftersales.training"]
            .with_user(self.manager_user)
            .create(
                {
                    "name": "Compressor overhaul",
                    "product_categ_ids": [Command.set(self.categ_compressors.ids)],
                    "trainer_id": self.tech2.id,
                    "hours": 6,
                    "attendee_ids": [
                        Command.create({"employee_id": self.tech.id, "score": 80}),
                        Command.create({"employee_id": self.tech_west.id, "score": 40}),
                    ],
                    **values,
                }
            )
        )

    # ------------------------------------------------------------------
    # Qualifications
    # ------------------------------------------------------------------

    def test_category_qualification_covers_sub_categories(self):
        qualification = self._qualification(self.tech)
        self.assertTrue(qualification._covers(self.product))
        self.assertFalse(qualification._covers(self.other_product))
        self.assertEqual(qualification.state, "valid")
        found = self.env["aftersales.qualification"].search(
            qualification._domain_for_product(self.product)
        )
        self.assertEqual(found, qualification)

    def test_expired_is_not_valid(self):
        qualification = self._qualification(
            self.tech, date_valid_until=fields.Date.today() - timedelta(days=1)
        )
        self.assertEqual(qualification.state, "expired")
        Qualification = self.env["aftersales.qualification"]
        self.assertEqual(
            Qualification.search([("state", "=", "expired")]) & qualification, qualification
        )
        self.assertFalse(Qualification.search([("state", "=", "valid")]) & qualification)

    def test_product_or_category_not_both(self):
        with self.assertRaises(ValidationError):
            self._qualification(self.tech, product_id=self.product.id)
        with self.assertRaises(ValidationError):
            self._qualification(self.tech, product_categ_id=False)

    # ------------------------------------------------------------------
    # Training sessions
    # ------------------------------------------------------------------

    def test_passing_a_training_grants_then_extends_qualifications(self):
        training = self._training(date=fields.Date.today(), validity_months=12)
        training.with_user(self.manager_user).action_done()
        self.assertEqual(training.state, "done")
        granted = training.qualification_ids
        self.assertEqual(granted.employee_id, self.tech, "the failed attendee gets nothing")
        self.assertEqual(granted.level, "certified")
        self.assertEqual(granted.product_categ_id, self.categ_compressors)
        self.assertEqual(granted.date_valid_until, fields.Date.today() + timedelta(days=365))
        granted._aftersales_method_write({"date_reminded": fields.Date.today()})
        later = self._training(
            date=fields.Date.today() + timedelta(days=30), level="expert", validity_months=24
        )
        later.with_user(self.manager_user).action_done()
        self.assertEqual(
            self.env["aftersales.qualification"].search([("employee_id", "=", self.tech.id)]),
            granted,
            "extended, not duplicated",
        )
        self.assertEqual(granted.level, "expert")
        self.assertEqual(granted.training_id, later)
        self.assertFalse(granted.date_reminded, "a renewed qualification is reminded again")
        with self.assertRaises(UserError):
            later.with_user(self.manager_user).action_done()

    def test_only_managers_record_training_results(self):
        training = self._training()
        with self.assertRaises(AccessError):
            training.with_user(self.rep_user).action_done()
        with self.assertRaises(AccessError):
            self.env["aftersales.training"].with_user(self.rep_user).create({"name": "Rep session"})

    def test_done_training_is_locked(self):
        training = self._training()
        training.with_user(self.manager_user).action_done()
        with self.assertRaises(UserError):
            training.with_user(self.manager_user).hours = 10
        with self.assertRaises(UserError):
            training.attendee_ids[0].with_user(self.manager_user).score = 99

    def test_training_hours_per_quarter_on_the_scorecard(self):
        today = fields.Date.today()
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        self._training(date=quarter_start).with_user(self.manager_user).action_done()
        self._training(date=quarter_start - timedelta(days=1)).with_user(
            self.manager_user
        ).action_done()
        self._training(date=quarter_start)  # planned: not counted
        self.assertEqual(self.tech.aftersales_quarter_training_hours, 6)
        hours = (self.tech | self.tech_west)._aftersales_training_hours_by_quarter()
        self.assertEqual(len(hours), 4, "two quarters each for both attendees")
        evaluation = self.env["aftersales.evaluation"].create(
            {"employee_id": self.tech.id, "date_from": quarter_start, "date_to": today}
        )
        self.assertEqual(evaluation.training_hours, 6)
        public = self.env["hr.employee.public"].with_user(self.tech_user).browse(self.tech.id)
        self.assertEqual(public.aftersales_quarter_training_hours, 6)
        mate = self.env["hr.employee.public"].with_user(self.tech_user).browse(self.tech_west.id)
        self.assertEqual(mate.aftersales_quarter_training_hours, 0, "not another's figures")

    # ------------------------------------------------------------------
    # Expiry reminders
    # ------------------------------------------------------------------

    def test_expiry_reminder_sent_once(self):
        today = fields.Date.today()
        soon = self._qualification(self.tech, date_valid_until=today + timedelta(days=10))
        later = self._qualification(self.tech2, date_valid_until=today + timedelta(days=90))
        expired = self._qualification(self.tech_west, date_valid_until=today - timedelta(days=1))
        Qualification = self.env["aftersales.qualification"]
        Qualification._cron_send_expiry_reminders()
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(soon.activity_ids.user_id, self.manager_user, "the technician's manager")
        self.assertEqual(soon.date_reminded, today)
        self.assertFalse(later.activity_ids)
        self.assertFalse(expired.activity_ids)
        Qualification._cron_send_expiry_reminders()
        self.assertEqual(len(soon.activity_ids), 1, "once")
        soon.with_user(self.manager_user).date_valid_until = today + timedelta(days=20)
        self.assertFalse(soon.date_reminded, "renewed: reminded again before the new end")

    # ------------------------------------------------------------------
    # Roles
    # ------------------------------------------------------------------

    def test_technicians_read_only_their_own(self):
        own = self._qualification(self.tech)
        other = self._qualification(self.tech2)
        training = self._training()
        Qualification = self.env["aftersales.qualification"].with_user(self.tech_user)
        self.assertEqual(Qualification.search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.tech_user).read(["level"])
        with self.assertRaises(AccessError):
            own.with_user(self.tech_user).write({"level": "expert"})
        with self.assertRaises(AccessError):
            Qualification.create(
                {
                    "employee_id": self.tech.id,
                    "product_categ_id": self.categ_compressors.id,
                    "date_valid_until": fields.Date.today(),
                }
            )
        self.assertEqual(
            self.env["aftersales.training"].with_user(self.tech_user).search([]), training
        )
        self.assertEqual(
            self.env["aftersales.training.attendee"].with_user(self.tech_user).search([]),
            training.attendee_ids.filtered(lambda a: a.employee_id == self.tech),
        )
        self.assertFalse(
            self.env["aftersales.training"].with_user(self.tech2_user).search([]) - training
        )
        self.assertFalse(
            self.env["aftersales.qualification"].with_user(self.other_team_user).search([])
        )

    def test_customer_service_reads_all_but_maintains_nothing(self):
        qualification = self._qualification(self.tech)
        as_rep = qualification.with_user(self.rep_user)
        self.assertEqual(as_rep.level, "certified")
        with self.assertRaises(AccessError):
            as_rep.write({"date_valid_until": fields.Date.today()})
        with self.assertRaises(AccessError):
            self.env["aftersales.qualification"].with_user(self.analyst_user).create(
                {"employee_id": self.tech.id, "product_categ_id": self.categ_compressors.id}
            )

    def test_method_fields_are_refused(self):
        qualification = self._qualification(self.tech)
        training = self._training()
        for record, values in (
            (qualification, {"date_reminded": fields.Date.today()}),
            (qualification, {"training_id": training.id}),
            (training, {"state": "done"}),
            (self.team, {"dispatch_last_employee_id": self.tech.id}),
        ):
            with self.assertRaises(AccessError):
                record.with_user(self.manager_user).write(values)
        ticket = self._ticket()
        for values in (
            {"dispatched_unqualified": True},
            {"dispatch_override_reason": "typed"},
            {"dispatch_qualification_level": "expert"},
            {"dispatch_auto": True},
            {"dispatch_refused_ids": [Command.link(self.tech.id)]},
        ):
            with self.assertRaises(AccessError):
                ticket.with_user(self.manager_user).write(values)

    # ------------------------------------------------------------------
    # Customer training at handover
    # ------------------------------------------------------------------

    def test_customer_training_on_the_visit_report_and_partner(self):
        installation = self.env.ref("aftersales_service.category_installation")
        installation.customer_training = True
        ticket = self._ticket(category_id=installation.id)
        ticket.with_user(self.rep_user).action_assign(self.tech)
        visit = self.env["aftersales.visit"].create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [Command.set(self.tech.ids)],
                "scheduled_start": fields.Datetime.now() + timedelta(hours=1),
                "scheduled_end": fields.Datetime.now() + timedelta(hours=3),
            }
        )
        self.assertTrue(visit.customer_training)
        visit.with_user(self.tech_user).write(
            {
                "trainee_ids": [
                    Command.create(
                        {"name": "Operator Wu", "position": "Shift lead", "signature": PIXEL}
                    ),
                    Command.create({"name": "Operator Sun", "position": "Maintenance"}),
                ]
            }
        )
        self.assertEqual(len(visit.trainee_ids), 2)
        with self.assertRaises(AccessError):
            visit.trainee_ids[0].with_user(self.tech2_user).write({"name": "Someone else"})
        self.assertEqual(self.customer.aftersales_trainee_count, 2)
        self.assertEqual(self.customer_contact.aftersales_trainee_count, 2)
        action = self.customer.action_view_aftersales_trainees()
        self.assertEqual(
            self.env["aftersales.visit.trainee"].search(action["domain"]), visit.trainee_ids
        )
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.report_visit", visit.ids
        )
        html = html.decode()
        self.assertIn("Customer Training", html)
        self.assertIn("Operator Wu", html)
        self.assertIn("Not signed", html, "Operator Sun has not signed")
        technician_visit = visit.with_user(self.tech_user)
        technician_visit.action_check_in()
        technician_visit.action_sign(PIXEL, "Site manager")
        with self.assertRaises(UserError):
            technician_visit.write({"trainee_ids": [Command.create({"name": "Late"})]})
