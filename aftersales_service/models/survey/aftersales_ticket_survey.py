from werkzeug.urls import url_join

from odoo import api, fields, models

from .survey_question import SURVEY_DIMENSIONS


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Satisfaction Survey",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The questionnaire the customer received with the resolution mail.",
    )
    survey_done = fields.Boolean(
        string="Survey Answered", compute="_compute_survey_scores", store=True, readonly=True
    )
    survey_timeliness = fields.Float(
        string="Timeliness (1-5)", compute="_compute_survey_scores", store=True, readonly=True
    )
    survey_attitude = fields.Float(
        string="Attitude (1-5)", compute="_compute_survey_scores", store=True, readonly=True
    )
    survey_skill = fields.Float(
        string="Skill (1-5)", compute="_compute_survey_scores", store=True, readonly=True
    )
    survey_result = fields.Float(
        string="Result (1-5)", compute="_compute_survey_scores", store=True, readonly=True
    )
    survey_score = fields.Float(
        string="Survey Score (1-5)",
        compute="_compute_survey_scores",
        store=True,
        readonly=True,
        help="Average of the questions the customer scored.",
    )

    @api.depends(
        "survey_user_input_id.state",
        "survey_user_input_id.user_input_line_ids.suggested_answer_id",
    )
    def _compute_survey_scores(self):
        for ticket in self:
            # Figures only: the ticket's readers see them without access to the answers.
            user_input = ticket.sudo().survey_user_input_id
            scores = {}
            if user_input.state == "done":
                for line in user_input.user_input_line_ids:
                    dimension = line.question_id.aftersales_dimension
                    score = line.suggested_answer_id.answer_score
                    if dimension and 1 <= score <= 5:
                        scores[dimension] = score
            ticket.survey_done = user_input.state == "done"
            for dimension, _label in SURVEY_DIMENSIONS:
                # Not answered stays empty (NULL), not 0: averages leave it out.
                ticket[f"survey_{dimension}"] = scores.get(dimension, False)
            ticket.survey_score = sum(scores.values()) / len(scores) if scores else False

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # The questionnaire is created when the ticket is resolved, never chosen by hand.
        return super()._aftersales_method_fields() | {"survey_user_input_id"}

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _aftersales_create_survey_answers(self):
        """Give each resolved ticket's customer a questionnaire of their own (called by
        action_resolve, which checked the caller, before the resolution mail is sent).

        A ticket resolved again after a reopening keeps the questionnaire it had: an
        unanswered one is still valid, an answered one already speaks for the job."""
        for ticket in self.filtered(lambda t: not t.survey_user_input_id and t.partner_id):
            # Technicians and representatives have no access to surveys: the resolution
            # (checked by the caller) is what entitles the customer to a questionnaire.
            survey = ticket.company_id._aftersales_satisfaction_survey().sudo()
            if not survey.active:
                continue
            user_input = survey._create_answer(
                partner=ticket.partner_id,
                check_attempts=False,
                aftersales_ticket_id=ticket.id,
            )
            ticket._aftersales_method_write({"survey_user_input_id": user_input.id})

    def _aftersales_survey_url(self):
        """The customer's link to their questionnaire, while it is not answered."""
        self.ensure_one()
        user_input = self.sudo().survey_user_input_id
        if not user_input or user_input.state == "done":
            return False
        # Absolute: the link travels in the resolution mail.
        return url_join(self.get_base_url(), user_input.get_start_url())
