from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    aftersales_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        domain=[("access_mode", "=", "token")],
        default=lambda self: self.env.ref(
            "aftersales_service.survey_aftersales_satisfaction", raise_if_not_found=False
        ),
        help="Questionnaire sent to the customer with the resolution mail of every ticket. "
        "Empty: the After-Sales Satisfaction survey.",
    )

    def _aftersales_satisfaction_survey(self):
        self.ensure_one()
        return self.aftersales_survey_id or self.env.ref(
            "aftersales_service.survey_aftersales_satisfaction", raise_if_not_found=False
        )

    @api.model
    def _aftersales_set_default_survey(self):
        """Companies created before the questionnaire existed get it (install, update)."""
        survey = self.env.ref(
            "aftersales_service.survey_aftersales_satisfaction", raise_if_not_found=False
        )
        if survey:
            self.search([("aftersales_survey_id", "=", False)]).aftersales_survey_id = survey
