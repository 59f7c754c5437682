from odoo import api, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    # Customer service looks a ticket up by its reference or by the customer's name.
    _rec_names_search = ["name", "partner_id"]

    @api.depends("name", "commercial_partner_id.name")
    @api.depends_context("aftersales_show_partner")
    def _compute_display_name(self):
        """With ``aftersales_show_partner`` in the context (fields where tickets are
        picked), the customer follows the reference."""
        super()._compute_display_name()
        if not self.env.context.get("aftersales_show_partner"):
            return
        for ticket in self.filtered("commercial_partner_id"):
            ticket.display_name = f"{ticket.name} - {ticket.commercial_partner_id.name}"

    def action_request_fee_waiver(self):
        self.ensure_one()
        return self.env["aftersales.fee.waiver"]._action_request(self)
