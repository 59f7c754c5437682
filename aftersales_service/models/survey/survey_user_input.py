from odoo import _, fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The finished job this satisfaction questionnaire is about.",
    )

    def _mark_done(self):
        result = super()._mark_done()
        # The customer answers through the survey's token, without access to the ticket:
        # only inputs linked to a ticket tell it (its scores follow the input's state).
        tickets = self.filtered("aftersales_ticket_id").sudo().aftersales_ticket_id
        for ticket in tickets:
            if ticket.survey_score:
                ticket.message_post(
                    body=_(
                        "The customer answered the satisfaction survey: %(score)s / 5.",
                        score=f"{ticket.survey_score:.1f}",
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return result
