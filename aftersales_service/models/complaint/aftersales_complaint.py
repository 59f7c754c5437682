from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import email_split_and_format
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

COMPLAINT_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("investigating", "Investigating"),
    ("verified", "Verified"),
    ("corrective", "Corrective Action"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# Until the customer is told the outcome, the answer deadline runs.
OPEN_COMPLAINT_STATES = ("new", "acknowledged", "investigating", "verified", "corrective")
SEVERITIES = [("normal", "Normal"), ("serious", "Serious"), ("group", "Group Complaint")]
SUBJECTS = [
    ("ticket", "A Ticket"),
    ("visit", "A Visit"),
    ("employee", "Employees"),
    ("product", "A Product or Serial"),
    ("company", "The Company"),
]
# A substantiated complaint about these names nobody: the company or the product answers.
SUBJECTS_WITHOUT_RESPONSIBLE = ("product", "company")
COMPLAINT_TARGETS = ("acknowledge", "answer")
# Share of a deadline after which the handler is warned, like an SLA policy's default.
COMPLAINT_WARNING_SHARE = 0.8
RATINGS = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
# What the employee concerned must not read: the complainant's own contact details.
PRIVATE_GROUPS = (
    "aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst"
)


class AftersalesComplaint(models.Model):
    _name = "aftersales.complaint"
    _description = "Customer Complaint"
    _aftersales_state_noun = _lt("Complaint")
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.guard.mixin",
        "aftersales.escalation.mixin",
    ]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _primary_email = "email"

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE (company_id, name)",
            "Another complaint of this company already has this reference.",
        ),
    ]

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="Who complains: the customer, or the contact who spoke for them.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Entity",
        store=True,
        index=True,
    )
    contact_name = fields.Char(
        string="Contact",
        compute="_compute_contact",
        store=True,
        readonly=False,
        groups=PRIVATE_GROUPS,
    )
    phone = fields.Char(
        compute="_compute_contact", store=True, readonly=False, groups=PRIVATE_GROUPS
    )
    email = fields.Char(
        compute="_compute_contact", store=True, readonly=False, groups=PRIVATE_GROUPS
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("letter", "Letter"),
            ("in_person", "In Person"),
            ("email", "Email"),
            ("portal", "Portal"),
        ],
        required=True,
        default="phone",
        tracking=True,
    )
    subject = fields.Selection(
        SUBJECTS, string="About", required=True, default="ticket", tracking=True
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    visit_id = fields.Many2one(
        "aftersales.visit",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('ticket_id', '=', ticket_id)]",
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        "aftersales_complaint_employee_rel",
        "complaint_id",
        "employee_id",
        string="Employees Concerned",
        check_company=True,
        help="The technicians or customer service staff the customer complains about: "
        "they see the complaint and may give their statement.",
        groups="base.group_user",
    )
    product_id = fields.Many2one("product.product", index="btree_not_null", check_company=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    team_id = fields.Many2one(
        "aftersales.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
    )
    type_id = fields.Many2one(
        "aftersales.complaint.type",
        string="Complaint Type",
        required=True,
        tracking=True,
        check_company=True,
    )
    about_product = fields.Boolean(
        related="type_id.about_product", store=True, string="Product Quality"
    )
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", tracking=True, index=True
    )
    description = fields.Html(help="The complaint, in the customer's words.")
    date_received = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        tracking=True,
        default=lambda self: self._default_handler(),
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("aftersales_service.group_aftersales_user").id)
        ],
        help="Customer service: acknowledges, investigates and answers the customer.",
    )

    # Lifecycle
    state = fields.Selection(
        COMPLAINT_STATES,
        string="Status",
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    date_investigating = fields.Datetime(string="Investigated From", readonly=True, copy=False)
    date_verified = fields.Datetime(string="Verified On", readonly=True, copy=False)
    date_corrective = fields.Datetime(string="Corrective Action From", readonly=True, copy=False)
    date_answered = fields.Datetime(
        string="Answered On", readonly=True, copy=False, index="btree_not_null"
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    verdict = fields.Selection(
        [("substantiated", "Substantiated"), ("unfounded", "Not Substantiated")],
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    findings = fields.Text(groups="base.group_user", readonly=True, copy=False, tracking=True)
    responsible_ids = fields.Many2many(
        "hr.employee",
        "aftersales_complaint_responsible_rel",
        "complaint_id",
        "employee_id",
        string="Held Responsible",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    answer = fields.Text(string="Answer to the Customer", readonly=True, copy=False, tracking=True)
    cancel_reason = fields.Text(groups="base.group_user", readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False, tracking=True)

    # Deadlines on working hours (the SLA engine's calendars and escalation cron)
    deadline_acknowledge = fields.Datetime(
        string="Acknowledge By", compute="_compute_deadlines", store=True
    )
    deadline_answer = fields.Datetime(
        string="Answer By", compute="_compute_deadlines", store=True, index="btree_not_null"
    )
    warn_acknowledge = fields.Datetime(compute="_compute_deadlines", store=True)
    warn_answer = fields.Datetime(compute="_compute_deadlines", store=True)
    acknowledge_warned = fields.Boolean(groups="base.group_user", readonly=True, copy=False)
    acknowledge_escalated = fields.Boolean(groups="base.group_user", readonly=True, copy=False)
    answer_warned = fields.Boolean(groups="base.group_user", readonly=True, copy=False)
    answer_escalated = fields.Boolean(groups="base.group_user", readonly=True, copy=False)
    manager_escalated = fields.Boolean(
        groups="base.group_user",
        readonly=True,
        copy=False,
        help="A group complaint goes to the manager at once.",
    )
    next_check = fields.Datetime(
        compute="_compute_next_check",
        store=True,
        index="btree_not_null",
        help="When the escalation cron must look at this complaint again.",
    )
    acknowledged_on_time = fields.Boolean(compute="_compute_on_time", store=True)
    answered_on_time = fields.Boolean(compute="_compute_on_time", store=True)

    # Accountability and correction
    statement_ids = fields.One2many(
        "aftersales.complaint.statement",
        "complaint_id",
        string="Statements",
        groups="base.group_user",
    )
    corrective_action_ids = fields.One2many(
        "aftersales.complaint.action",
        "complaint_id",
        string="Corrective Actions",
        groups="base.group_user",
    )
    penalty_ids = fields.One2many(
        "aftersales.penalty",
        "complaint_id",
        string="Proposed Sanctions",
        groups="aftersales_service.group_aftersales_manager,aftersales_service.group_aftersales_analyst",
    )
    penalty_count = fields.Integer(compute="_compute_penalty_count")

    # The customer's rating of the handling, from the portal
    customer_rating = fields.Selection(RATINGS, readonly=True, copy=False, tracking=True)
    customer_feedback = fields.Text(readonly=True, copy=False)

    # groups="base.group_user" above: internal findings, names and flags the customer
    # does not read on the portal (the answer is what they are told).
    # What the current user may do, for the form's buttons
    user_is_concerned = fields.Boolean(
        groups="base.group_user", compute="_compute_user_is_concerned"
    )

    @api.model
    def _default_handler(self):
        """Whoever in customer service takes the complaint; nobody for the portal, the
        mail gateway or the system."""
        user = self.env.user
        if user._is_superuser() or not user.has_group("aftersales_service.group_aftersales_user"):
            return self.env["res.users"]
        return user

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.depends("partner_id")
    def _compute_contact(self):
        for complaint in self:
            partner = complaint.partner_id
            complaint.contact_name = partner.name or complaint.contact_name
            complaint.phone = partner.phone or partner.mobile or complaint.phone
            complaint.email = partner.email or complaint.email

    @api.depends("ticket_id")
    def _compute_team_id(self):
        for complaint in self:
            if complaint.ticket_id.team_id:
                complaint.team_id = complaint.ticket_id.team_id

    @api.depends("date_received", "severity", "company_id")
    def _compute_deadlines(self):
        for complaint in self:
            start = complaint.date_received or fields.Datetime.now()
            company = complaint.company_id or self.env.company
            calendar = company._aftersales_complaint_calendar()
            hours = {
                "acknowledge": company.aftersales_complaint_ack_hours,
                "answer": complaint._answer_days() * (calendar.hours_per_day or 8.0),
            }
            # The customer is never answered before being acknowledged: a group complaint
            # answered within a day is acknowledged within that day too.
            hours["acknowledge"] = min(hours["acknowledge"], hours["answer"])
            for target in COMPLAINT_TARGETS:
                complaint[f"deadline_{target}"] = complaint._plan(calendar, start, hours[target])
                complaint[f"warn_{target}"] = complaint._plan(
                    calendar, start, hours[target] * COMPLAINT_WARNING_SHARE
                )

    @api.model
    def _plan(self, calendar, start, hours):
        """``hours`` working hours of ``calendar`` after ``start``, its public holidays and
        leaves left out, as the SLA deadlines of tickets are planned."""
        if not hours:
            return False
        company = self.company_id or self.env.company
        planned = calendar._aftersales_plan_hours(hours, start, company)
        return (planned or start + timedelta(hours=hours)).replace(microsecond=0)

    def _answer_days(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return {
            "normal": company.aftersales_complaint_answer_days,
            "serious": company.aftersales_complaint_serious_answer_days,
            "group": company.aftersales_complaint_group_answer_days,
        }[self.severity or "normal"]

    @api.depends(
        "state",
        "deadline_acknowledge",
        "deadline_answer",
        "acknowledge_warned",
        "acknowledge_escalated",
        "answer_warned",
        "answer_escalated",
    )
    def _compute_next_check(self):
        for complaint in self:
            checks = []
            if complaint.state in OPEN_COMPLAINT_STATES:
                targets = ("acknowledge", "answer") if complaint.state == "new" else ("answer",)
                for target in targets:
                    if complaint[f"{target}_escalated"] or not complaint[f"deadline_{target}"]:
                        continue
                    if not complaint[f"{target}_warned"]:
                        checks.append(complaint[f"warn_{target}"])
                    checks.append(complaint[f"deadline_{target}"])
            complaint.next_check = min(filter(None, checks), default=False)

    @api.depends("date_acknowledged", "date_answered", "deadline_acknowledge", "deadline_answer")
    def _compute_on_time(self):
        for complaint in self:
            complaint.acknowledged_on_time = bool(
                complaint.date_acknowledged
                and complaint.deadline_acknowledge
                and complaint.date_acknowledged <= complaint.deadline_acknowledge
            )
            complaint.answered_on_time = bool(
                complaint.date_answered
                and complaint.deadline_answer
                and complaint.date_answered <= complaint.deadline_answer
            )

    def _compute_penalty_count(self):
        counts = dict(
            self.env["aftersales.penalty"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.penalty_count = counts.get(complaint, 0)

    @api.depends("employee_ids", "responsible_ids")
    @api.depends_context("uid")
    def _compute_user_is_concerned(self):
        for complaint in self:
            complaint.user_is_concerned = self.env.user in complaint.sudo()._concerned_users()

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in COMPLAINT_STATES]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("partner_id", "ticket_id", "visit_id")
    def _check_ticket_is_the_customers(self):
        for complaint in self:
            ticket = complaint.sudo().ticket_id
            customer = complaint.partner_id.commercial_partner_id
            if ticket and ticket.commercial_partner_id != customer:
                raise ValidationError(
                    _(
                        "Ticket %(ticket)s is not a ticket of %(customer)s: a complaint can "
                        "only be about the customer's own service.",
                        ticket=ticket.name,
                        customer=customer.display_name,
                    )
                )
            visit = complaint.sudo().visit_id
            if visit and visit.ticket_id != ticket:
                raise ValidationError(
                    _(
                        "Visit %(visit)s belongs to ticket %(ticket)s: choose that ticket too.",
                        visit=visit.display_name,
                        ticket=visit.ticket_id.name,
                    )
                )

    @api.constrains("subject", "ticket_id", "visit_id", "employee_ids", "product_id")
    def _check_subject_given(self):
        required = {
            "ticket": ("ticket_id", _("the ticket")),
            "visit": ("visit_id", _("the visit")),
            "employee": ("employee_ids", _("the employees concerned")),
            "product": ("product_id", _("the product")),
        }
        for complaint in self:
            if complaint.subject in required:
                name, what = required[complaint.subject]
                if not complaint.sudo()[name]:
                    raise ValidationError(
                        _(
                            "Complaint %(complaint)s is about %(what)s: say which.",
                            complaint=complaint.name,
                            what=what,
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = company._aftersales_next_reference("aftersales.complaint")
        complaints = super().create(vals_list)
        for complaint in complaints.sudo():
            complaint._fill_subject_from_links()
            partners = complaint._concerned_users().partner_id | complaint.user_id.partner_id
            if partners:
                complaint.message_subscribe(partner_ids=partners.ids)
        complaints.filtered(lambda c: c.severity == "group")._escalate_group_complaints()
        return complaints

    def write(self, vals):
        res = super().write(vals)
        if vals.get("severity") == "group":
            self.filtered(lambda c: not c.manager_escalated)._escalate_group_complaints()
        if "employee_ids" in vals or "user_id" in vals:
            for complaint in self.sudo():
                partners = complaint._concerned_users().partner_id | complaint.user_id.partner_id
                complaint.message_subscribe(partner_ids=partners.ids)
        return res

    def _fill_subject_from_links(self):
        """A complaint filed on a visit names its technicians; on a ticket, its product."""
        self.ensure_one()
        values = {}
        if self.visit_id and not self.employee_ids:
            values["employee_ids"] = [fields.Command.set(self.visit_id.technician_ids.ids)]
        elif self.ticket_id.technician_id and not self.employee_ids:
            values["employee_ids"] = [fields.Command.set(self.ticket_id.technician_id.ids)]
        if self.ticket_id and not self.product_id:
            values["product_id"] = self.ticket_id.product_id.id
            values["lot_id"] = self.ticket_id.lot_id.id
        if values:
            self.sudo().write(values)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new_or_cancelled(self):
        for complaint in self:
            if complaint.state not in ("new", "cancelled"):
                raise UserError(
                    _(
                        "Complaint %(complaint)s is %(state)s: only new or cancelled complaints "
                        "can be deleted. Cancel it first.",
                        complaint=complaint.name,
                        state=complaint._state_label(),
                    )
                )

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def action_acknowledge(self):
        """Customer service tells the customer the complaint is registered."""
        self._aftersales_check_role("user", _("acknowledge complaints"))
        self._check_state(["new"], _("acknowledged"))
        values = {"state": "acknowledged", "date_acknowledged": fields.Datetime.now()}
        for complaint in self:
            complaint._transition(dict(values, user_id=complaint.user_id.id or self.env.uid))
        return True

    def action_investigate(self):
        self._aftersales_check_role("user", _("investigate complaints"))
        self._check_state(["acknowledged"], _("investigated"))
        self._transition({"state": "investigating", "date_investigating": fields.Datetime.now()})
        return True

    def action_verify(self, verdict, findings, responsible=None):
        """The manager's verdict: substantiated or not, on findings; a substantiated one
        names who is responsible and proposes the sanctions of its type."""
        self._aftersales_check_role("manager", _("verify complaints"))
        self._check_state(["investigating"], _("verified"))
        if verdict not in ("substantiated", "unfounded"):
            raise ValidationError(
                _("Say whether the complaint is substantiated or not substantiated.")
            )
        findings = findings.strip() if isinstance(findings, str) else ""
        if not findings:
            raise UserError(
                _("Write the findings of the investigation: a verdict without them is not one.")
            )
        responsible = self.env["hr.employee"].browse(
            responsible.ids if isinstance(responsible, models.BaseModel) else responsible or []
        )
        if verdict == "unfounded":
            responsible = responsible.browse()
        for complaint in self:
            if (
                verdict == "substantiated"
                and not responsible
                and complaint.subject not in SUBJECTS_WITHOUT_RESPONSIBLE
            ):
                raise UserError(
                    _(
                        "Complaint %s is substantiated: name the employees responsible "
                        "(only a complaint about the company or the product names nobody).",
                        complaint.name,
                    )
                )
            other_company = responsible.filtered(
                lambda e, c=complaint: e.company_id != c.company_id
            )
            if other_company:
                raise ValidationError(
                    _(
                        "%(employees)s work for another company than complaint %(complaint)s.",
                        employees=", ".join(other_company.mapped("name")),
                        complaint=complaint.name,
                    )
                )
        self._transition(
            {
                "state": "verified",
                "date_verified": fields.Datetime.now(),
                "verdict": verdict,
                "findings": findings,
                "responsible_ids": [fields.Command.set(responsible.ids)],
            }
        )
        if verdict == "substantiated":
            self._propose_penalties()
        return True

    def action_start_corrective(self):
        """A substantiated complaint's corrective action is under way."""
        self._aftersales_check_role("user", _("start corrective actions"))
        self._check_state(["verified"], _("corrected"))
        for complaint in self:
            if complaint.verdict != "substantiated":
                raise UserError(
                    _(
                        "Complaint %s is not substantiated: there is nothing to correct; "
                        "answer the customer.",
                        complaint.name,
                    )
                )
            if not complaint.corrective_action_ids:
                raise UserError(
                    _(
                        "Add the corrective action of complaint %s first: what will change, "
                        "who owns it and by when.",
                        complaint.name,
                    )
                )
        self._transition({"state": "corrective", "date_corrective": fields.Datetime.now()})
        return True

    def action_answer(self, answer):
        """The customer is told the outcome."""
        self._aftersales_check_role("user", _("answer complaints"))
        for complaint in self:
            if complaint.state in ("new", "acknowledged", "investigating"):
                raise UserError(
                    _(
                        "Complaint %s is not verified yet: the customer is answered with the "
                        "verified outcome, not before.",
                        complaint.name,
                    )
                )
        self._check_state(["verified", "corrective"], _("answered"))
        answer = self._aftersales_require_reason(answer, _("answering the customer"))
        self._transition(
            {"state": "answered", "date_answered": fields.Datetime.now(), "answer": answer}
        )
        for complaint in self:
            complaint.message_post(
                body=Markup("%s<br/>%s") % (_("Our answer to your complaint:"), answer),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=complaint.partner_id.ids,
            )
        return True

    def action_close(self):
        self._aftersales_check_role("user", _("close complaints"))
        self._check_state(["answered"], _("closed"))
        if self.filtered(lambda c: c.severity != "normal"):
            self._aftersales_check_role("manager", _("close serious and group complaints"))
        self._transition({"state": "closed", "date_closed": fields.Datetime.now()})
        return True

    def action_reopen(self, reason):
        """The customer disagrees with the outcome: investigate again."""
        self._aftersales_check_role("user", _("reopen complaints"))
        self._check_state(["answered", "closed"], _("reopened"))
        reason = self._aftersales_require_reason(reason, _("reopening a complaint"))
        for complaint in self:
            complaint._transition(
                {
                    "state": "investigating",
                    "date_investigating": fields.Datetime.now(),
                    "date_closed": False,
                    "reopen_count": complaint.reopen_count + 1,
                }
            )
            complaint.message_post(
                body=Markup("%s<br/>%s") % (_("Reopened: the customer disagrees."), reason)
            )
        return True

    def action_cancel(self, reason):
        self._aftersales_check_role("user", _("cancel complaints"))
        self._check_state(list(OPEN_COMPLAINT_STATES), _("cancelled"))
        reason = self._aftersales_require_reason(reason, _("cancelling a complaint"))
        self._transition({"state": "cancelled", "cancel_reason": reason})
        return True

    def action_submit_statement(self, statement):
        """The employee concerned gives their side of the story before the verdict."""
        self.ensure_one()
        statement = self._aftersales_require_reason(statement, _("giving a statement"))
        self.check_access("read")
        employee = self.env.user.employee_ids.filtered(
            lambda e: e in (self.sudo().employee_ids | self.sudo().responsible_ids)
        )[:1]
        if not employee:
            raise UserError(
                _("Only the employees the complaint is about may give a statement on it.")
            )
        if self.state not in ("new", "acknowledged", "investigating"):
            raise UserError(
                _(
                    "Complaint %s is already verified: statements are given before the verdict.",
                    self.name,
                )
            )
        Statement = self.env["aftersales.complaint.statement"].sudo()
        existing = Statement.search(
            [("complaint_id", "=", self.id), ("employee_id", "=", employee.id)]
        )
        if existing:
            existing.write({"statement": statement, "date": fields.Datetime.now()})
        else:
            existing = Statement.create(
                {"complaint_id": self.id, "employee_id": employee.id, "statement": statement}
            )
        self.sudo().message_post(
            body=_("%s gave a statement.", employee.name),
            author_id=self.env.user.partner_id.id,
        )
        return existing

    # ------------------------------------------------------------------
    # Buttons opening wizards and lists
    # ------------------------------------------------------------------

    def _open_step_wizard(self, step, title):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "aftersales.complaint.step",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_step": step},
        }

    def action_open_verify_wizard(self):
        return self._open_step_wizard("verify", _("Verify the Complaint"))

    def action_open_answer_wizard(self):
        return self._open_step_wizard("answer", _("Answer the Customer"))

    def action_open_reopen_wizard(self):
        return self._open_step_wizard("reopen", _("Reopen the Complaint"))

    def action_open_cancel_wizard(self):
        return self._open_step_wizard("cancel", _("Cancel the Complaint"))

    def action_open_statement_wizard(self):
        return self._open_step_wizard("statement", _("My Statement"))

    def action_add_corrective_action(self):
        self.ensure_one()
        self._aftersales_check_role("user", _("plan corrective actions"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Corrective Action"),
            "res_model": "aftersales.complaint.action",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def action_view_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_penalty"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Accountability
    # ------------------------------------------------------------------

    def _propose_penalties(self):
        """Draft sanctions of the type's rule for each employee held responsible, once per
        complaint and employee; a manager confirms them."""
        Penalty = self.env["aftersales.penalty"].sudo()
        proposed = Penalty.browse()
        for complaint in self.sudo():
            rule = complaint.type_id.penalty_rule_id
            if not rule or not complaint.responsible_ids:
                continue
            existing = Penalty.with_context(active_test=False).search(
                [("complaint_id", "=", complaint.id)]
            )
            todo = complaint.responsible_ids - existing.employee_id
            proposed |= Penalty.create(
                [
                    {
                        "employee_id": employee.id,
                        "rule_id": rule.id,
                        "company_id": complaint.company_id.id,
                        "complaint_id": complaint.id,
                        "ticket_id": complaint.ticket_id.id,
                        "visit_id": complaint.visit_id.id,
                        "reason": _(
                            "Substantiated complaint %(complaint)s: %(findings)s",
                            complaint=complaint.name,
                            findings=complaint.findings,
                        ),
                    }
                    for employee in todo
                ]
            )
            if todo:
                complaint.message_post(
                    body=_(
                        "Sanction proposed for %(employees)s (%(rule)s): a manager confirms it.",
                        employees=", ".join(todo.mapped("name")),
                        rule=rule.name,
                    )
                )
        return proposed

    def _concerned_users(self):
        return (self.employee_ids | self.responsible_ids).user_id

    # ------------------------------------------------------------------
    # Deadlines and escalation: run by the SLA escalation cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_escalate(self, now=None, limit=2000):
        """Warn and escalate the complaints whose warning point or deadline has passed.

        Only due complaints are read (indexed next_check), locked with SKIP LOCKED so that
        a second worker takes others and nothing is escalated twice."""
        now = now or fields.Datetime.now()
        complaints = self._aftersales_take_due("next_check", OPEN_COMPLAINT_STATES, now, limit)
        complaints._escalate(now)
        return len(complaints)

    def _escalate(self, now):
        """Warnings go to the handler, breaches to the escalation manager, each once."""
        labels = {"acknowledge": _("acknowledgement"), "answer": _("answer")}
        at_risk = {t: _("Complaint at risk: %s", labels[t]) for t in COMPLAINT_TARGETS}
        breached = {t: _("Complaint overdue: %s", labels[t]) for t in COMPLAINT_TARGETS}
        note_text = _("Complaint overdue: the %(target)s deadline (%(deadline)s UTC) has passed.")
        managers = {}

        def manager_of(company):
            if company not in managers:
                managers[company] = company._aftersales_escalation_manager()
            return managers[company]

        activities, notes, flags = [], {}, {}
        for complaint in self.sudo():
            complaint_flags = set()
            targets = ("acknowledge", "answer") if complaint.state == "new" else ("answer",)
            for target in targets:
                deadline = complaint[f"deadline_{target}"]
                if not deadline or complaint[f"{target}_escalated"]:
                    continue
                if deadline <= now:
                    complaint_flags |= {f"{target}_warned", f"{target}_escalated"}
                    manager = manager_of(complaint.company_id)
                    if manager:
                        activities.append((complaint, manager, breached[target]))
                    notes.setdefault(complaint.id, []).append(
                        note_text
                        % {
                            "target": labels[target],
                            "deadline": fields.Datetime.to_string(deadline),
                        }
                    )
                elif not complaint[f"{target}_warned"] and complaint[f"warn_{target}"] <= now:
                    complaint_flags.add(f"{target}_warned")
                    handler = (
                        complaint.user_id
                        or complaint.team_id.leader_id.user_id
                        or manager_of(complaint.company_id)
                    )
                    if handler:
                        activities.append((complaint, handler, at_risk[target]))
            flags[complaint] = complaint_flags
        self._aftersales_apply_escalation(flags, activities, notes)

    def _escalate_group_complaints(self):
        """A group complaint (群诉) goes to the escalation manager at once."""
        activities = []
        for complaint in self.sudo():
            manager = complaint.company_id._aftersales_escalation_manager()
            if manager:
                activities.append(
                    (complaint, manager, _("Group complaint: handle it yourself, today"))
                )
            complaint.message_post(
                body=_("Group complaint: escalated to the After-Sales manager at once.")
            )
        self._aftersales_apply_escalation({}, activities, {})
        self.sudo().write({"manager_escalated": True})

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _portal_prepare(self, partner, ticket_id=None, type_id=None, description=None):
        """Values of a complaint made on the portal by ``partner``: their own ticket only."""
        description = (description or "").strip()
        if not description:
            raise UserError(_("Tell us what went wrong so that we can look into it."))
        if len(description) > 5000:
            raise UserError(_("Your complaint is too long: keep it under 5000 characters."))
        company = partner.company_id or self.env.company
        values = {
            "partner_id": partner.id,
            "channel": "portal",
            "company_id": company.id,
            "description": Markup("<p>%s</p>") % description,
            "subject": "company",
        }
        if ticket_id:
            ticket = self.env["aftersales.ticket"].browse(ticket_id).exists()
            if (
                not ticket
                or not ticket.has_access("read")
                or ticket.sudo().commercial_partner_id != partner.commercial_partner_id
            ):
                raise UserError(_("This ticket is not one of yours: choose one of your tickets."))
            ticket = ticket.sudo()
            values.update(subject="ticket", ticket_id=ticket.id, company_id=ticket.company_id.id)
            company = ticket.company_id
        Type = self.env["aftersales.complaint.type"].sudo()
        complaint_type = Type.browse(type_id).exists() if type_id else Type.browse()
        if complaint_type and complaint_type.company_id != company:
            complaint_type = Type.browse()
        if type_id and not complaint_type:
            raise UserError(_("Choose what your complaint is about from the list."))
        values["type_id"] = (
            complaint_type or Type.search([("company_id", "=", company.id)], limit=1)
        ).id
        if not values["type_id"]:
            raise UserError(_("Complaints cannot be received online yet: please call us."))
        return values

    @api.model
    def _portal_create(self, partner, values):
        complaint = self.sudo().create(values)
        complaint.message_post(
            body=_("Complaint made on the customer portal."),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return complaint

    def _portal_rate(self, partner, rating, feedback=None):
        """The customer rates how the complaint was handled, once it is answered."""
        self.ensure_one()
        if self.state not in ("answered", "closed"):
            raise UserError(_("You can rate the handling once we have answered you."))
        if rating not in dict(RATINGS):
            raise UserError(_("Choose a rating from 1 to 5."))
        feedback = (feedback or "").strip()[:2000]
        self.sudo().write({"customer_rating": rating, "customer_feedback": feedback})
        self.sudo().message_post(
            body=_(
                "The customer rated the handling: %(rating)s. %(feedback)s",
                rating=dict(self._fields["customer_rating"]._description_selection(self.env))[
                    rating
                ],
                feedback=feedback,
            ),
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------
    # Mail gateway: an e-mail to the team's complaint alias
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to a team's complaint alias becomes a complaint of the sender, read
        like the tickets' e-mails: subject and body are the complaint."""
        values = dict(custom_values or {})
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner:
            email_from = msg_dict.get("email_from") or msg_dict.get("from") or ""
            partner = self._mail_find_partner_from_emails(
                email_split_and_format(email_from)[:1], force_create=True
            )
            partner = partner[0] if partner else self.env["res.partner"]
            if partner:
                msg_dict["author_id"] = partner.id
        subject = (msg_dict.get("subject") or "").strip()
        company = self.env["res.company"].browse(values.get("company_id")).exists()
        company = company or self.env.company
        # mail.thread names the record after the subject: the sequence does instead.
        values["name"] = _("New")
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel", "email")
        values.setdefault("subject", "company")
        values.setdefault("company_id", company.id)
        values.setdefault(
            "description",
            Markup("<p><strong>%s</strong></p>%s")
            % (subject or _("No Subject"), Markup(msg_dict.get("body") or "")),
        )
        if not values.get("type_id"):
            values["type_id"] = (
                self.env["aftersales.complaint.type"]
                .sudo()
                .search([("company_id", "=", company.id), ("code", "=", "OTHER")], limit=1)
                .id
                or self.env["aftersales.complaint.type"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
                .id
            )
        return super().message_new(msg_dict, custom_values=values)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=_("Customer")
            )
        return recipients

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "state",
            "date_acknowledged",
            "date_investigating",
            "date_verified",
            "date_corrective",
            "date_answered",
            "date_closed",
            "verdict",
            "findings",
            "responsible_ids",
            "answer",
            "cancel_reason",
            "reopen_count",
            "acknowledge_warned",
            "acknowledge_escalated",
            "answer_warned",
            "answer_escalated",
            "manager_escalated",
            "customer_rating",
            "customer_feedback",
            # Statements, corrective actions and sanctions have their own models and checks.
            "statement_ids",
            "corrective_action_ids",
            "penalty_ids",
        }

    def _aftersales_create_only_fields(self):
        # The received date starts the deadlines: fixed once the complaint is registered.
        return super()._aftersales_create_only_fields() | {"name", "date_received"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {
            "partner_id",
            "contact_name",
            "phone",
            "email",
            "channel",
            "subject",
            "ticket_id",
            "visit_id",
            "employee_ids",
            "product_id",
            "lot_id",
            "team_id",
            "type_id",
            "severity",
            "description",
            "user_id",
        }
        return writable

    def _aftersales_assignee_users(self):
        return self._concerned_users()

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state in ("closed", "cancelled")
