from odoo import api, fields, models


class AftersalesComplaintStep(models.TransientModel):
    """One dialog for the complaint steps that need words: the verdict and its findings,
    the answer to the customer, the reason to reopen or cancel, an employee's statement."""

    _name = "aftersales.complaint.step"
    _description = "Complaint Step"

    complaint_id = fields.Many2one("aftersales.complaint", required=True)
    step = fields.Selection(
        [
            ("verify", "Verify"),
            ("answer", "Answer"),
            ("reopen", "Reopen"),
            ("cancel", "Cancel"),
            ("statement", "Statement"),
        ],
        required=True,
    )
    verdict = fields.Selection(
        [("substantiated", "Substantiated"), ("unfounded", "Not Substantiated")]
    )
    findings = fields.Text()
    responsible_ids = fields.Many2many("hr.employee", string="Held Responsible")
    complaint_subject = fields.Selection(related="complaint_id.subject")
    text = fields.Text()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        complaint = self.env["aftersales.complaint"].browse(res.get("complaint_id"))
        if res.get("step") == "verify" and complaint.exists():
            # The employees concerned are the first candidates for responsibility.
            res["responsible_ids"] = [fields.Command.set(complaint.employee_ids.ids)]
        return res

    def action_confirm(self):
        self.ensure_one()
        complaint = self.complaint_id
        if self.step == "verify":
            complaint.action_verify(self.verdict, self.findings, self.responsible_ids)
        elif self.step == "answer":
            complaint.action_answer(self.text)
        elif self.step == "reopen":
            complaint.action_reopen(self.text)
        elif self.step == "cancel":
            complaint.action_cancel(self.text)
        else:
            complaint.action_submit_statement(self.text)
        return {"type": "ir.actions.act_window_close"}
