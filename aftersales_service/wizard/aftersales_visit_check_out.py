from odoo import api, fields, models


class AftersalesVisitCheckOut(models.TransientModel):
    """Check out with an incomplete service report: the technician sees what is missing
    (and that it costs a penalty) before confirming."""

    _name = "aftersales.visit.check.out"
    _description = "Confirm Check-Out With an Incomplete Report"

    visit_id = fields.Many2one("aftersales.visit", required=True, ondelete="cascade")
    missing_items = fields.Text(compute="_compute_missing_items", string="Missing")

    @api.depends("visit_id")
    def _compute_missing_items(self):
        for wizard in self:
            items = wizard.visit_id._report_missing_items() if wizard.visit_id else []
            wizard.missing_items = "\n".join(f"• {item}" for item in items)

    def action_confirm(self):
        self.ensure_one()
        self.visit_id.action_check_out()
        return {"type": "ir.actions.act_window_close"}
