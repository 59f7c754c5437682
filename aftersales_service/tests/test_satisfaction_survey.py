import ast
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import AftersalesCommon

DIMENSIONS = ("timeliness", "attitude", "skill", "result")


class SurveyCommon(AftersalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("aftersales_service.survey_aftersales_satisfaction")
        cls.questions = {
            dimension: cls.env.ref(f"aftersales_service.survey_question_{dimension}")
            for dimension in DIMENSIONS
        }
        cls.comments = cls.env.ref("aftersales_service.survey_question_comments")

    def _resolve_with_mail(self, **vals):
        ticket = self._in_progress_ticket(**vals).with_context(aftersales_no_customer_mail=False)
        ticket.with_user(self.tech_user).write(
            {"resolution_cause": "Worn contactor", "resolution_note": "<p>Replaced it.</p>"}
        )
        ticket.with_user(self.tech_user).action_resolve()
        return ticket

    def _answer(self, user_input, scores, comment="Quick and clean work."):
        """What the survey's own page saves, then its submission (as the public user's
        controller does, with sudo)."""
        user_input = user_input.sudo()
        for dimension, score in scores.items():
            question = self.questions[dimension]
            answer = question.suggested_answer_ids.filtered(lambda a, s=score: a.answer_score == s)
            user_input._save_lines(question, answer.id)
        if comment:
            user_input._save_lines(self.comments, comment)
        user_input._mark_done()


@tagged("post_install", "-at_install")
class TestSatisfactionSurvey(SurveyCommon):
    """Item 26: a short questionnaire after every finished job, its figures in the KPI
    report and evaluations, and a quarterly campaign to key customers."""

    def test_questionnaire_scores_four_questions_one_to_five(self):
        self.assertEqual(self.company.aftersales_survey_id, self.survey)
        self.assertEqual(self.survey.access_mode, "token")
        self.assertFalse(self.survey.users_login_required)
        for question in self.questions.values():
            self.assertEqual(question.question_type, "simple_choice")
            self.assertEqual(
                question.suggested_answer_ids.sorted("sequence").mapped("answer_score"),
                [1, 2, 3, 4, 5],
            )
        self.assertEqual(self.comments.question_type, "text_box")
        self.assertFalse(self.comments.aftersales_dimension)

    def test_resolution_gives_the_customer_a_questionnaire_in_the_mail(self):
        ticket = self._resolve_with_mail()
        user_input = ticket.sudo().survey_user_input_id
        self.assertEqual(user_input.survey_id, self.survey)
        self.assertEqual(user_input.partner_id, self.customer)
        self.assertEqual(user_input.email, self.customer.email)
        self.assertEqual(user_input.aftersales_ticket_id, ticket)
        self.assertEqual(user_input.state, "new")
        mail = ticket.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn(f"answer_token={user_input.access_token}", mail.body)
        self.assertIn(self.survey.get_start_url(), mail.body)
        self.assertEqual(
            ticket._aftersales_survey_url(),
            f"{ticket.get_base_url()}{user_input.get_start_url()}",
        )

    def test_reopened_ticket_keeps_its_questionnaire(self):
        ticket = self._resolve_with_mail()
        first = ticket.sudo().survey_user_input_id
        ticket.with_user(self.rep_user).action_reopen(reason="Tripped again")
        ticket.with_user(self.tech_user).action_resolve()
        self.assertEqual(ticket.sudo().survey_user_input_id, first)
        self.assertEqual(
            self.env["survey.user_input"].search_count([("aftersales_ticket_id", "=", ticket.id)]),
            1,
        )

    def test_answers_become_the_tickets_scores_and_kpis(self):
        ticket = self._resolve_with_mail()
        user_input = ticket.sudo().survey_user_input_id
        # Started but not submitted: no figure yet.
        user_input._save_lines(self.questions["timeliness"], self._score_answer("timeliness", 2))
        self.assertFalse(ticket.survey_done)
        self.assertFalse(ticket.survey_score)
        self._answer(user_input, {"timeliness": 5, "attitude": 4, "skill": 4, "result": 3})
        self.assertTrue(ticket.survey_done)
        self.assertEqual(
            [ticket[f"survey_{dimension}"] for dimension in DIMENSIONS], [5.0, 4.0, 4.0, 3.0]
        )
        self.assertEqual(ticket.survey_score, 4.0)
        self.assertIn("satisfaction survey: 4.0 / 5", ticket.message_ids[0].body)
        # The technician reads the figures of their own ticket.
        own = ticket.with_user(self.tech_user)
        self.assertEqual(own.read(["survey_score", "survey_skill"])[0]["survey_score"], 4.0)

        Report = self.env["aftersales.kpi.report"]
        row = Report.search([("ticket_id", "=", ticket.id)])
        self.assertEqual(row.survey_score, 4.0)
        self.assertEqual(row.survey_timeliness, 5.0)
        self.assertEqual(row.survey_result, 3.0)
        # An unanswered ticket is left out of the average, not counted as 0.
        other = self._resolve_with_mail()
        groups = Report._read_group(
            [("ticket_id", "in", (ticket | other).ids)], [], ["survey_score:avg"]
        )
        self.assertEqual(groups[0][0], 4.0)

    def test_evaluation_shows_the_survey_average_without_changing_the_score(self):
        with self._at("2026-11-10 03:00:00"):
            answered = self._resolve_with_mail()
            self._answer(
                answered.sudo().survey_user_input_id,
                {"timeliness": 5, "attitude": 5, "skill": 4, "result": 4},
            )
            self._resolve_with_mail()  # not answered: not in the average
        Report = self.env["aftersales.kpi.report"]
        kpis = Report._kpi_values("technician_id", date(2026, 11, 1), date(2026, 11, 30), tz="UTC")[
            self.tech
        ]
        self.assertEqual(kpis["survey_score"], 4.5)
        self.assertEqual(kpis["survey_count"], 1)
        wizard = (
            self.env["aftersales.evaluation.generate"]
            .with_user(self.manager_user)
            .create(
                {
                    "date_reference": date(2026, 11, 15),
                    "evaluated": "employee",
                    "employee_ids": [Command.set(self.tech.ids)],
                }
            )
        )
        evaluation = self.env["aftersales.evaluation"].search(wizard.action_generate()["domain"])
        self.assertEqual(evaluation.survey_score, 4.5)
        self.assertEqual(evaluation.survey_count, 1)
        # The weights of the score are the five of the settings: the survey is informative.
        without_survey = {k: v for k, v in kpis.items() if not k.startswith("survey_")}
        expected = self.env["aftersales.evaluation"]._score_values(
            {**without_survey, **self._penalties_of(evaluation)}, self.company
        )
        self.assertEqual(evaluation.score, expected["score"])

    def test_survey_fields_are_only_set_by_the_resolution(self):
        ticket = self._resolve_with_mail()
        other_input = self.survey.sudo()._create_answer(partner=self.other_customer)
        for user in (self.tech_user, self.rep_user, self.manager_user):
            for vals in (
                {"survey_user_input_id": other_input.id},
                {"survey_score": 5.0},
                {"survey_timeliness": 5.0},
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"):
                    ticket.with_user(user).write(vals)
        self.assertNotEqual(ticket.survey_user_input_id, other_input)
        # Customers answer through the survey's token only: no access to others' answers.
        with self.assertRaises(AccessError):
            ticket.survey_user_input_id.with_user(self.tech_user).read(["access_token"])

    def test_manager_campaign_opens_odoos_invitation_with_the_customers(self):
        key_customers = self.customer | self.customer_contact
        action = key_customers.with_user(self.manager_user).action_aftersales_survey_campaign()
        self.assertEqual(action["res_model"], "survey.invite")
        invite_form = Form(
            self.env["survey.invite"].with_user(self.manager_user).with_context(**action["context"])
        )
        self.assertEqual(invite_form.survey_id, self.survey)
        self.assertEqual(set(invite_form.partner_ids.ids), set(key_customers.ids))
        invite = invite_form.save()
        invite.action_invite()
        answers = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id), ("partner_id", "in", key_customers.ids)]
        )
        self.assertEqual(answers.partner_id, key_customers)
        self.assertFalse(answers.aftersales_ticket_id, "a campaign answer is about no ticket")
        self.assertTrue(all(answers.mapped("deadline")))

        with self.assertRaises(AccessError):
            key_customers.with_user(self.rep_user).action_aftersales_survey_campaign()
        with self.assertRaisesRegex(UserError, "Other Co"):
            self.other_customer.with_user(self.manager_user).action_aftersales_survey_campaign()

    def test_results_report_lists_answered_after_sales_questions(self):
        ticket = self._resolve_with_mail()
        self._answer(
            ticket.sudo().survey_user_input_id,
            {"timeliness": 2, "attitude": 4, "skill": 4, "result": 2},
        )
        action = self.env.ref("aftersales_service.action_aftersales_survey_results")
        menu = self.env.ref("aftersales_service.menu_aftersales_survey_results")
        self.assertIn(self.env.ref("aftersales_service.group_aftersales_analyst"), menu.groups_id)
        Line = self.env["survey.user_input.line"].with_user(self.analyst_user)
        groups = Line._read_group(
            [*ast.literal_eval(action.domain), ("aftersales_partner_id", "=", self.customer.id)],
            ["question_id"],
            ["aftersales_score:avg"],
        )
        self.assertEqual(
            dict(groups),
            {
                self.questions["timeliness"]: 2.0,
                self.questions["attitude"]: 4.0,
                self.questions["skill"]: 4.0,
                self.questions["result"]: 2.0,
            },
            "the comment is no score",
        )
        # Analysts read the after-sales answers, not the company's other surveys.
        other_survey = self.env["survey.survey"].create(
            {"title": "Recruitment interview", "access_mode": "token"}
        )
        other_input = other_survey._create_answer(partner=self.customer)
        Input = self.env["survey.user_input"].with_user(self.analyst_user)
        self.assertIn(ticket.survey_user_input_id, Input.search([]))
        self.assertNotIn(other_input, Input.search([]))
        with self.assertRaises(AccessError):
            ticket.survey_user_input_id.with_user(self.analyst_user).write({"deadline": False})

    # ------------------------------------------------------------------

    def _score_answer(self, dimension, score):
        return (
            self.questions[dimension]
            .suggested_answer_ids.filtered(lambda a: a.answer_score == score)
            .id
        )

    def _penalties_of(self, evaluation):
        return {
            name: evaluation[name]
            for name in ("penalty_amount", "reward_amount", "penalty_points", "reward_points")
        }


@tagged("post_install", "-at_install")
class TestSatisfactionSurveyPortal(SurveyCommon, HttpCase):
    def test_portal_page_offers_the_questionnaire_until_answered(self):
        portal_user = new_test_user(
            self.env, "t_survey_portal", groups="base.group_portal", partner_id=self.customer.id
        )
        ticket = self._resolve_with_mail()
        user_input = ticket.sudo().survey_user_input_id
        self.authenticate(portal_user.login, portal_user.login)
        page = self.url_open(f"/my/aftersales/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tell us how we did", page.text)
        self.assertIn(f"answer_token={user_input.access_token}", page.text)
        # The link opens the customer's own questionnaire through its token.
        start = self.url_open(user_input.get_start_url())
        self.assertEqual(start.status_code, 200)
        self.assertIn("After-Sales Satisfaction", start.text)
        self.assertIn(f'data-answer-token="{user_input.access_token}"', start.text)

        self._answer(user_input, {"timeliness": 4, "attitude": 4, "skill": 4, "result": 4})
        page = self.url_open(f"/my/aftersales/{ticket.id}")
        self.assertNotIn("Tell us how we did", page.text)
