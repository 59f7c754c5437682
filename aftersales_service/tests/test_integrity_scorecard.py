from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_kpi import KpiCommon

# Tech One on 20 March 2026, from KpiCommon's week (tickets A and B are his; C is Tech
# Two's, D is cancelled). March is in the first quarter: both periods hold the same week.
TECH_ONE_MARCH = {
    "ticket_count": 2,  # A and B
    "on_time": 1.0,  # both arrived within the 8 working hours
    "resolution_hours": 48.75,  # (70 + 27.5) / 2
    "first_time_fix": 0.5,  # A needed one visit, B two
    "repeat_repair": 0.5,  # B repeats A on the same serial
    "satisfaction": 3.0,  # rated 5 and 1
    "net_points": 1.0,  # penalty 2 points - reward 1 point
}
EXPECTED = {
    f"aftersales_{period}_{kpi}": value
    for period in ("month", "quarter")
    for kpi, value in TECH_ONE_MARCH.items()
}


@tagged("post_install", "-at_install")
class TestPublicScorecard(KpiCommon):
    """Analysts and managers without HR rights get employees as hr.employee.public: the
    scorecard the README gives them is there, with the figures HR sees."""

    def setUp(self):
        super().setUp()
        self._build_week()
        self.hr_user = new_test_user(
            self.env, "t_hr_officer", groups="base.group_user,hr.group_hr_user"
        )

    def _public(self, user, employee):
        return self.env["hr.employee.public"].with_user(user).browse(employee.id)

    def test_manager_and_analyst_read_the_scorecard_hr_sees(self):
        with self._at("2026-03-20 10:00:00"):
            hr_values = (
                self.env["hr.employee"]
                .with_user(self.hr_user)
                .browse(self.tech.id)
                .read(list(EXPECTED))[0]
            )
            self.assertEqual({fname: hr_values[fname] for fname in EXPECTED}, EXPECTED)
            for user in (self.manager_user, self.analyst_user):
                with self.subTest(user=user.login):
                    self.assertFalse(user.has_group("hr.group_hr_user"))
                    values = self._public(user, self.tech).read(list(EXPECTED))[0]
                    self.assertEqual({fname: values[fname] for fname in EXPECTED}, EXPECTED)
                    # Tech Two: ticket C only, accepted, not resolved.
                    other = self._public(user, self.tech2).read(
                        ["aftersales_month_ticket_count", "aftersales_scorecard_visible"]
                    )[0]
                    self.assertEqual(other["aftersales_month_ticket_count"], 1)
                    self.assertTrue(other["aftersales_scorecard_visible"])
                    action = self._public(user, self.tech).action_view_aftersales_kpis()
                    self.assertEqual(action["res_model"], "aftersales.kpi.report")
                    self.assertEqual(action["domain"], [("technician_id", "=", self.tech.id)])

    def test_technician_sees_his_own_scorecard_only(self):
        with self._at("2026-03-20 10:00:00"):
            own = self._public(self.tech_user, self.tech).read(
                [*EXPECTED, "aftersales_scorecard_visible"]
            )[0]
            self.assertEqual({fname: own[fname] for fname in EXPECTED}, EXPECTED)
            self.assertTrue(own["aftersales_scorecard_visible"])
            # A colleague's figures (Tech Two has ticket C) read as empty for him.
            colleague = self._public(self.tech_user, self.tech2).read(
                [*EXPECTED, "aftersales_scorecard_visible"]
            )[0]
            self.assertFalse(colleague["aftersales_scorecard_visible"])
            self.assertFalse(any(colleague[fname] for fname in EXPECTED))
            # An employee without any After-Sales group does not read them at all.
            with self.assertRaises(AccessError):
                self._public(self.internal_user, self.tech).read(["aftersales_month_on_time"])

    def test_public_form_shows_the_scorecard_to_after_sales_roles(self):
        for user, shown in (
            (self.manager_user, True),
            (self.analyst_user, True),
            (self.tech_user, True),
            (self.internal_user, False),
        ):
            with self.subTest(user=user.login):
                views = self.env["hr.employee.public"].with_user(user).get_views([(False, "form")])
                arch = views["views"]["form"]["arch"]
                self.assertEqual('name="aftersales_scorecard"' in arch, shown)
                self.assertEqual('name="action_view_aftersales_kpis"' in arch, shown)
                fields = views["models"]["hr.employee.public"]["fields"]
                self.assertEqual("aftersales_quarter_net_points" in fields, shown)
