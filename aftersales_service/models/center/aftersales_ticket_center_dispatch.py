from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class AftersalesTicketCenterDispatch(models.Model):
    """Dispatch to an authorized service centre instead of a technician: the same
    assign → accept/refuse steps and timestamps, answered by the centre's portal users."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Who works on a centre's ticket
    # ------------------------------------------------------------------

    def _aftersales_assignee_users(self):
        users = super()._aftersales_assignee_users()
        centers = self.sudo().service_center_id
        return users | centers._aftersales_center_users() if centers else users

    def _center_check_user(self, user=None):
        """Raise AccessError unless ``user`` (by default the current one) works for the
        centre every ticket is dispatched to. The portal calls methods in sudo after it."""
        user = user or self.env.user
        center = user._aftersales_service_center()
        for ticket in self.sudo():
            if not center or ticket.service_center_id != center:
                raise AccessError(_("This job was not dispatched to your service centre."))
        return center

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------

    def action_dispatch_to_center(self, center, deadline=None):
        """Dispatch the tickets to the service centre ``center`` (res.partner or id).

        The centre's agreement must be in force, its required documents valid and the
        tickets within its zones and product categories. Dispatch is not acceptance: a
        portal user of the centre still accepts or refuses."""
        self._aftersales_check_role("user", _("dispatch tickets"))
        center = (
            self.env["res.partner"]
            .browse(center.id if isinstance(center, models.BaseModel) else center)
            .exists()
        )
        if not center:
            raise UserError(_("Choose the service centre to dispatch the ticket to."))
        self._check_state(["new", "assigned"], _("dispatched"))
        self._check_deadline_not_past(deadline)
        for ticket in self:
            center.sudo()._aftersales_check_center_dispatch(ticket)
        now = fields.Datetime.now()
        users = center.sudo()._aftersales_center_users()
        for ticket in self:
            ticket._close_accept_activity()
            ticket._transition(
                {
                    "state": "assigned",
                    "technician_id": False,
                    "service_center_id": center.id,
                    "date_assigned": now,
                    "date_accepted": False,
                    "date_deadline": deadline or ticket._default_deadline(now),
                }
            )
            ticket.sudo().message_post(
                body=_(
                    "Dispatched to service centre %(center)s: a centre user accepts or refuses "
                    "the job on the portal.",
                    center=center.display_name,
                ),
                partner_ids=users.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _dispatch_to_center(self, center, deadline=None):
        return self.action_dispatch_to_center(center, deadline=deadline)

    def action_assign(self, technician, deadline=None):
        res = super().action_assign(technician, deadline=deadline)
        # A technician takes over: the centre no longer has the job.
        self.filtered("service_center_id")._transition({"service_center_id": False})
        return res

    def action_refuse(self, reason):
        centers = self.filtered("service_center_id")
        res = super(AftersalesTicketCenterDispatch, self - centers).action_refuse(reason)
        if not centers:
            return res
        reason = self._aftersales_require_reason(reason, _("refusing a ticket"))
        centers._check_state(["assigned"], _("refused"))
        for ticket in centers:
            ticket._aftersales_check_assignee_or("manager", _("refuse it"))
            center = ticket.service_center_id
            ticket._close_accept_activity()
            ticket._transition(
                {
                    "state": "new",
                    "technician_id": False,
                    "service_center_id": False,
                    "date_assigned": False,
                    "date_deadline": False,
                }
            )
            ticket.message_post(
                body=_(
                    "Refused by service centre %(center)s (%(user)s): %(reason)s",
                    center=center.display_name,
                    user=self.env.user.name,
                    reason=reason,
                ),
            )
        return True

    # ------------------------------------------------------------------
    # SLA: a late arrival of a centre is the centre's penalty
    # ------------------------------------------------------------------

    def _sla_escalate(self, now):
        late = self.sudo().filtered(
            lambda t: (
                t.service_center_id
                and t.sla_arrival_state == "pending"
                and not t.sla_arrival_escalated
                and t.deadline_arrival
                and t.deadline_arrival <= now
            )
        )
        deadlines = {ticket: ticket.deadline_arrival for ticket in late}
        res = super()._sla_escalate(now)
        if not deadlines:
            return res
        rules = self.env["aftersales.penalty.rule"].sudo()._auto_rules("late_arrival")
        Penalty = self.env["aftersales.penalty"].sudo()
        for ticket, deadline in deadlines.items():
            rule = rules.filtered(lambda r, t=ticket: r.company_id == t.company_id)[:1]
            Penalty._raise_auto_center(
                rule,
                ticket.service_center_id,
                ticket,
                reason=_("Not on site by %s UTC.", fields.Datetime.to_string(deadline)),
            )
        return res

    @api.model
    def _center_job_domain(self, center):
        return [("service_center_id", "=", center.id)]
