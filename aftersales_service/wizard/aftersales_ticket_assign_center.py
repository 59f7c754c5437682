from odoo import api, fields, models


class AftersalesTicketAssignCenter(models.TransientModel):
    """The dispatch dialog can send the tickets to a service centre instead."""

    _inherit = "aftersales.ticket.assign"

    dispatch_target = fields.Selection(
        [("technician", "Technician"), ("center", "Service Centre")],
        string="Dispatch To",
        default="technician",
        required=True,
    )
    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        domain="[('id', 'in', allowed_center_ids)]",
    )
    allowed_center_ids = fields.Many2many("res.partner", compute="_compute_allowed_center_ids")

    @api.depends("company_id")
    def _compute_allowed_center_ids(self):
        for wizard in self:
            centers = (
                self.env["res.partner"]
                .with_company(wizard.company_id)
                .search([("aftersales_is_service_center", "=", True)])
            )
            # The centres with an agreement in force; the checks at dispatch say the rest.
            wizard.allowed_center_ids = centers.sudo().filtered("aftersales_agreement_id")

    def action_assign(self):
        self.ensure_one()
        if self.dispatch_target != "center":
            return super().action_assign()
        self.ticket_ids.action_dispatch_to_center(
            self.service_center_id, deadline=self.date_deadline
        )
        return {"type": "ir.actions.act_window_close"}
