from odoo import _, api, fields, models

SLA_TARGETS = ("response", "arrival", "resolution")
TARGET_STATES = [
    ("none", "No Target"),
    ("pending", "Pending"),
    ("met", "Met"),
    ("failed", "Failed"),
]


# The ticket is large: service levels and follow-up live in files of their own.
class AftersalesTicketSla(models.Model):
    """Service levels of a ticket: deadlines on the policy's working calendar."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    # Internal: portal customers do not read service levels, escalations and their flags.
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        groups="base.group_user",
    )
    deadline_response = fields.Datetime(
        string="Response Due",
        compute="_compute_sla_deadlines",
        store=True,
        groups="base.group_user",
    )
    deadline_arrival = fields.Datetime(
        string="Arrival Due", compute="_compute_sla_deadlines", store=True, groups="base.group_user"
    )
    deadline_resolution = fields.Datetime(
        string="Resolution Due",
        compute="_compute_sla_deadlines",
        store=True,
        groups="base.group_user",
    )
    sla_warn_response = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, groups="base.group_user"
    )
    sla_warn_arrival = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, groups="base.group_user"
    )
    sla_warn_resolution = fields.Datetime(
        compute="_compute_sla_deadlines", store=True, groups="base.group_user"
    )
    sla_paused_hours_arrival = fields.Float(readonly=True, copy=False, groups="base.group_user")
    sla_paused_hours_resolution = fields.Float(
        string="SLA Paused (working hours)", readonly=True, copy=False, groups="base.group_user"
    )
    sla_waiting_since = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    sla_response_warned = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_arrival_warned = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_resolution_warned = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_response_escalated = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_arrival_escalated = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_resolution_escalated = fields.Boolean(readonly=True, copy=False, groups="base.group_user")
    sla_response_state = fields.Selection(
        TARGET_STATES, compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_arrival_state = fields.Selection(
        TARGET_STATES, compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_resolution_state = fields.Selection(
        TARGET_STATES, compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_response_late_hours = fields.Float(
        compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_arrival_late_hours = fields.Float(
        compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_resolution_late_hours = fields.Float(
        compute="_compute_sla_states", store=True, groups="base.group_user"
    )
    sla_status = fields.Selection(
        [
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        string="SLA Status",
        compute="_compute_sla_states",
        store=True,
        index=True,
        groups="base.group_user",
    )
    sla_deadline_next = fields.Datetime(
        string="Next SLA Deadline",
        compute="_compute_sla_states",
        store=True,
        groups="base.group_user",
    )
    sla_next_check = fields.Datetime(
        compute="_compute_sla_states",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
        help="When the escalation cron must look at this ticket again.",
    )

    def _aftersales_method_fields(self):
        # Deadlines, states and flags are computed; pauses and escalations are the
        # wait/resume buttons' and the escalation cron's.
        return super()._aftersales_method_fields() | {
            "sla_paused_hours_arrival",
            "sla_paused_hours_resolution",
            "sla_waiting_since",
            "sla_response_warned",
            "sla_arrival_warned",
            "sla_resolution_warned",
            "sla_response_escalated",
            "sla_arrival_escalated",
            "sla_resolution_escalated",
        }

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends(
        "team_id",
        "category_id",
        "priority",
        "partner_id.category_id",
        "partner_id.commercial_partner_id.aftersales_zone_id",
        "company_id",
    )
    def _compute_sla_policy_id(self):
        # Once accepted, the promise made to the customer does not change.
        to_match = self.filtered(lambda t: t.state in ("new", "assigned") or not t.sla_policy_id)
        policies = self.env["aftersales.sla.policy"]._find_for_tickets(to_match)
        for ticket in self:
            if ticket in to_match:
                ticket.sla_policy_id = policies[ticket]
            else:
                ticket.sla_policy_id = ticket.sla_policy_id

    @api.depends(
        "sla_policy_id",
        "create_date",
        "partner_id",
        "sla_paused_hours_arrival",
        "sla_paused_hours_resolution",
    )
    def _compute_sla_deadlines(self):
        for ticket in self:
            policy = ticket.sla_policy_id
            start = ticket.create_date or fields.Datetime.now()
            targets = ticket._sla_target_hours() if policy else {}
            paused = {
                "response": 0.0,
                "arrival": ticket.sla_paused_hours_arrival,
                "resolution": ticket.sla_paused_hours_resolution,
            }
            for target in SLA_TARGETS:
                hours = targets.get(target)
                deadline = warn = False
                if hours:
                    calendar, company = policy.calendar_id, ticket.company_id
                    deadline = calendar._aftersales_plan_hours(
                        hours + paused[target], start, company
                    ).replace(microsecond=0)
                    warn = calendar._aftersales_plan_hours(
                        hours * policy.warning_percent / 100.0 + paused[target], start, company
                    ).replace(microsecond=0)
                ticket[f"deadline_{target}"] = deadline
                ticket[f"sla_warn_{target}"] = warn

    @api.depends(
        "deadline_response",
        "deadline_arrival",
        "deadline_resolution",
        "date_accepted",
        "date_arrival",
        "date_resolved",
        "sla_response_warned",
        "sla_arrival_warned",
        "sla_resolution_warned",
        "sla_response_escalated",
        "sla_arrival_escalated",
        "sla_resolution_escalated",
        "state",
    )
    def _compute_sla_states(self):
        for ticket in self:
            checks, pending_deadlines, states = [], [], []
            for target in SLA_TARGETS:
                deadline = ticket[f"deadline_{target}"]
                reached = ticket._sla_reached_at(target)
                late = 0.0
                if not deadline:
                    state = "none"
                elif reached:
                    state = "met" if reached <= deadline else "failed"
                    if state == "failed":
                        late = ticket._sla_working_hours(deadline, reached)
                elif ticket[f"sla_{target}_escalated"] or ticket.state == "cancelled":
                    state = "failed" if ticket.state != "cancelled" else "none"
                else:
                    state = "pending"
                    pending_deadlines.append(deadline)
                    if not ticket[f"sla_{target}_warned"]:
                        checks.append(ticket[f"sla_warn_{target}"])
                    checks.append(deadline)
                ticket[f"sla_{target}_state"] = state
                ticket[f"sla_{target}_late_hours"] = late
                states.append(state)
            if "failed" in states:
                status = "breached"
            elif "pending" not in states and "met" in states:
                status = "met"
            elif any(
                ticket[f"sla_{t}_warned"]
                for t, s in zip(SLA_TARGETS, states, strict=True)
                if s == "pending"
            ):
                status = "at_risk"
            else:
                status = "on_track"
            ticket.sla_status = status if ticket.sla_policy_id else False
            ticket.sla_deadline_next = min(pending_deadlines) if pending_deadlines else False
            # Waiting tickets are paused: nothing to escalate until they resume.
            running = ticket.state in ("new", "assigned", "in_progress")
            ticket.sla_next_check = min(filter(None, checks), default=False) if running else False

    def _sla_target_hours(self):
        self.ensure_one()
        policy = self.sla_policy_id
        onsite = not self.category_id or self.category_id.onsite_service
        return {
            "response": policy.response_hours,
            "arrival": policy._arrival_hours_for(self.partner_id) if onsite else 0.0,
            "resolution": policy.resolution_hours,
        }

    def _sla_reached_at(self, target):
        return {
            "response": self.date_accepted,
            "arrival": self.date_arrival,
            "resolution": self.date_resolved,
        }[target]

    def _sla_working_hours(self, start, end):
        calendar = self.sla_policy_id.calendar_id
        if not calendar or end <= start:
            return 0.0
        return round(calendar.get_work_hours_count(start, end, compute_leaves=True), 2)

    # ------------------------------------------------------------------
    # Pause while waiting
    # ------------------------------------------------------------------

    def action_wait(self, reason=None):
        res = super().action_wait(reason)
        self.sudo().write({"sla_waiting_since": fields.Datetime.now()})
        return res

    def action_resume(self):
        res = super().action_resume()
        now = fields.Datetime.now()
        for ticket in self.filtered("sla_waiting_since"):
            paused = ticket._sla_working_hours(ticket.sla_waiting_since, now)
            values = {
                "sla_waiting_since": False,
                "sla_paused_hours_resolution": ticket.sla_paused_hours_resolution + paused,
            }
            if not ticket.date_arrival:
                values["sla_paused_hours_arrival"] = ticket.sla_paused_hours_arrival + paused
            ticket.sudo().write(values)
            if paused:
                ticket.message_post(
                    body=_("SLA paused for %s working hours while waiting.", round(paused, 2))
                )
        return res

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _cron_sla_escalate(self, limit=2000):
        """Warn and escalate the tickets whose warning point or deadline has passed.

        Only due tickets are read (indexed sla_next_check); rows are locked with SKIP LOCKED
        so a second cron worker takes other tickets and nothing is escalated twice."""
        now = fields.Datetime.now()
        tickets = self._aftersales_take_due("sla_next_check", self._OPEN_STATES, now, limit)
        tickets._sla_escalate(now)
        return len(tickets)

    def _sla_escalate(self, now):
        """Warnings and breaches due at ``now``, batched: flags are written, activities and
        chatter notes created in bulk, each target escalated once."""
        late_arrival_rules = self.env["aftersales.penalty.rule"].sudo()._auto_rules("late_arrival")
        # Translated and looked up once per run, not once per ticket.
        labels = {target: self._sla_target_label(target) for target in SLA_TARGETS}
        at_risk = {target: _("SLA at risk: %s", labels[target]) for target in SLA_TARGETS}
        breached = {target: _("SLA breached: %s", labels[target]) for target in SLA_TARGETS}
        note_text = _("SLA breached: the %(target)s deadline (%(deadline)s UTC) has passed.")
        late_text = _("Not on site by %s UTC.")
        managers = {}

        def manager_of(company):
            if company not in managers:
                managers[company] = company._aftersales_escalation_manager()
            return managers[company]

        activities, notes, flags = [], {}, {}
        Penalty = self.env["aftersales.penalty"].sudo()
        for ticket in self.sudo():
            ticket_flags = set()
            for target in SLA_TARGETS:
                if ticket[f"sla_{target}_state"] != "pending":
                    continue
                deadline = ticket[f"deadline_{target}"]
                if (
                    not ticket[f"sla_{target}_warned"]
                    and ticket[f"sla_warn_{target}"] <= now < deadline
                ):
                    ticket_flags.add(f"sla_{target}_warned")
                    leader = ticket.team_id.leader_id.user_id or manager_of(ticket.company_id)
                    if leader:
                        activities.append((ticket, leader, at_risk[target]))
                if not ticket[f"sla_{target}_escalated"] and deadline <= now:
                    ticket_flags |= {f"sla_{target}_warned", f"sla_{target}_escalated"}
                    manager = manager_of(ticket.company_id)
                    if manager:
                        activities.append((ticket, manager, breached[target]))
                    notes.setdefault(ticket.id, []).append(
                        note_text
                        % {
                            "target": labels[target],
                            "deadline": fields.Datetime.to_string(deadline),
                        }
                    )
                    if target == "arrival" and ticket.technician_id:
                        rule = late_arrival_rules.filtered(
                            lambda r, t=ticket: r.company_id == t.company_id
                        )[:1]
                        Penalty._raise_auto(
                            rule,
                            ticket.technician_id,
                            ticket,
                            reason=late_text % fields.Datetime.to_string(deadline),
                        )
            flags[ticket] = ticket_flags
        self._aftersales_apply_escalation(flags, activities, notes)

    def _sla_target_label(self, target):
        return {"response": _("response"), "arrival": _("arrival"), "resolution": _("resolution")}[
            target
        ]
