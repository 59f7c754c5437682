from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    aftersales_trainee_count = fields.Integer(
        string="Trained Operators",
        compute="_compute_aftersales_trainee_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    def _compute_aftersales_trainee_count(self):
        counts = dict(
            self.env["aftersales.visit.trainee"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.aftersales_trainee_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_trainees(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_visit_trainee"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action
