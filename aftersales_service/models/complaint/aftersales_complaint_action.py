from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AftersalesComplaintAction(models.Model):
    _name = "aftersales.complaint.action"
    _description = "Complaint Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_due, id"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "aftersales.complaint",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="complaint_id.company_id", store=True, index=True, string="Company"
    )
    name = fields.Char(string="What Will Change", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date_due = fields.Date(string="Due Date", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    effectiveness = fields.Selection(
        [("effective", "Effective"), ("not_effective", "Not Effective")],
        readonly=True,
        copy=False,
        tracking=True,
        help="Checked by a manager once the action is done: did the problem stop?",
    )
    effectiveness_note = fields.Text(readonly=True, copy=False)
    date_checked = fields.Datetime(string="Checked On", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions.sudo():
            if action.complaint_id.state in ("answered", "closed", "cancelled"):
                raise UserError(
                    _(
                        "Complaint %s is already answered: reopen it to add a corrective action.",
                        action.complaint_id.name,
                    )
                )
            action._aftersales_schedule_activity(
                "mail.mail_activity_data_todo",
                action.user_id,
                summary=lambda env, a=action: env._("Corrective action: %s", a.name),
                date_deadline=action.date_due,
            )
            action.complaint_id.message_post(
                body=_(
                    "Corrective action planned: %(action)s (%(owner)s, by %(date)s).",
                    action=action.name,
                    owner=action.user_id.name,
                    date=action.date_due,
                )
            )
        return actions

    def action_done(self):
        """The owner, or customer service, reports the change made."""
        self.check_access("read")
        for action in self:
            if not (self._aftersales_has_role("user") or action.sudo().user_id == self.env.user):
                raise AccessError(
                    _("Only the owner of %s or customer service may mark it done.", action.name)
                )
            if action.state != "open":
                raise UserError(_("%s is already done.", action.name))
        self.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        self.sudo().activity_ids.action_feedback(feedback=_("Done"))
        return True

    def action_check(self, effective, note):
        """A manager checks, some time after, whether the change worked."""
        self._aftersales_check_role("manager", _("check corrective actions"))
        note = self._aftersales_require_reason(note, _("checking a corrective action"))
        for action in self:
            if action.state != "done":
                raise UserError(
                    _("%s is not done yet: its effectiveness is checked afterwards.", action.name)
                )
        self._aftersales_method_write(
            {
                "effectiveness": "effective" if effective else "not_effective",
                "effectiveness_note": note,
                "date_checked": fields.Datetime.now(),
            }
        )
        for action in self:
            action.complaint_id.sudo().message_post(
                body=_(
                    "Corrective action %(action)s checked: %(result)s. %(note)s",
                    action=action.name,
                    result=_("effective") if effective else _("not effective"),
                    note=note,
                )
            )
        return True

    def action_check_effective(self):
        return self.action_check(True, self.env.context.get("check_note") or _("Checked."))

    def action_check_not_effective(self):
        return self.action_check(False, self.env.context.get("check_note") or _("Checked."))

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "state",
            "date_done",
            "effectiveness",
            "effectiveness_note",
            "date_checked",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"complaint_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"name", "user_id", "date_due"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state == "done"
