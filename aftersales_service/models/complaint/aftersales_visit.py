from odoo import _, models


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    def action_file_complaint(self):
        """A new complaint about this visit and its technicians."""
        self.ensure_one()
        self._aftersales_check_role("user", _("file complaints"))
        ticket = self.ticket_id
        return {
            "type": "ir.actions.act_window",
            "name": _("File a Complaint"),
            "res_model": "aftersales.complaint",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": ticket.partner_id.id,
                "default_subject": "visit",
                "default_ticket_id": ticket.id,
                "default_visit_id": self.id,
                "default_employee_ids": self.technician_ids.ids,
                "default_team_id": ticket.team_id.id,
                "default_company_id": self.company_id.id,
            },
        }
