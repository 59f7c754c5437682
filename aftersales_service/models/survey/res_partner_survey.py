from datetime import timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_aftersales_survey_campaign(self):
        """The periodic (quarterly) satisfaction survey of key customers: Odoo's own
        invitation wizard, with the selected customers and the company's questionnaire."""
        Ticket = self.env["aftersales.ticket"]
        Ticket._aftersales_check_role("manager", _("send satisfaction survey campaigns"))
        survey = self.env.company._aftersales_satisfaction_survey()
        if not survey or not survey.active:
            raise UserError(
                _(
                    "There is no active satisfaction survey. Choose one in Settings > "
                    "After-Sales > Satisfaction Survey."
                )
            )
        without_email = self.filtered(lambda partner: not partner.email)
        if without_email:
            raise UserError(
                _(
                    "These customers have no email address to receive the survey: %(names)s.",
                    names=", ".join(without_email.mapped("display_name")),
                )
            )
        action = survey.action_send_survey()
        action["name"] = _("Send Satisfaction Survey")
        action["context"] = {
            **action["context"],
            "default_partner_ids": self.ids,
            # Every campaign asks again: last quarter's answers stay as they were.
            "default_existing_mode": "new",
            "default_deadline": fields.Datetime.now() + timedelta(days=30),
        }
        return action
