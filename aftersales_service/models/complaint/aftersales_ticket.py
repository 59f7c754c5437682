from odoo import _, api, fields, models


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    complaint_ids = fields.One2many(
        "aftersales.complaint",
        "ticket_id",
        string="Complaints",
        groups="aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        Complaint = self.env["aftersales.complaint"]
        counts = {}
        if Complaint.has_access("read"):
            counts = dict(
                Complaint._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
            )
        for ticket in self:
            ticket.complaint_count = counts.get(ticket, 0)

    def action_file_complaint(self):
        """A new complaint about this ticket, taken by customer service."""
        self.ensure_one()
        self._aftersales_check_role("user", _("file complaints"))
        return {
            "type": "ir.actions.act_window",
            "name": _("File a Complaint"),
            "res_model": "aftersales.complaint",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_subject": "ticket",
                "default_ticket_id": self.id,
                "default_team_id": self.team_id.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_complaint"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id, "default_partner_id": self.partner_id.id}
        return action

    @api.model
    def _cron_sla_escalate(self, limit=2000):
        """The same run escalates the complaints' acknowledgement and answer deadlines."""
        count = super()._cron_sla_escalate(limit=limit)
        self.env["aftersales.complaint"]._cron_escalate(limit=limit)
        return count

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"complaint_ids"}
