from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, html2plaintext
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

LIABILITIES = [
    ("supplier", "Supplier"),
    ("production", "Production"),
    ("transport", "Transport"),
    ("customer_misuse", "Customer Misuse"),
    ("unknown", "Unknown"),
]

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Emergency")]
OPEN_STATES = ("new", "assigned", "in_progress", "waiting")

TICKET_STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]


class AftersalesTicket(models.Model):
    _name = "aftersales.ticket"
    _description = "After-Sales Service Ticket"
    _aftersales_state_noun = _lt("Ticket")
    _inherit = [
        "portal.mixin",
        "rating.mixin",
        "mail.activity.mixin",
        "aftersales.guard.mixin",
        "aftersales.escalation.mixin",
    ]
    _order = "priority desc, id desc"
    _check_company_auto = True
    _primary_email = "email"

    _OPEN_STATES = OPEN_STATES

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE (company_id, name)",
            "Another ticket of this company already has this reference.",
        ),
    ]

    # Identification and intake
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        change_default=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Entity",
        store=True,
        precompute=True,
        index=True,
    )
    contact_name = fields.Char(
        string="Contact", compute="_compute_contact", store=True, readonly=False
    )
    phone = fields.Char(compute="_compute_contact", store=True, readonly=False)
    email = fields.Char(compute="_compute_contact", store=True, readonly=False)
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("portal", "Portal"),
            ("walk_in", "Walk-in"),
            ("other", "Other"),
        ],
        required=True,
        default="phone",
        tracking=True,
    )
    description = fields.Html(help="The customer's request, as reported.")

    # What the ticket is about
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_product_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id), ('state', '=', 'sale')]",
    )
    category_id = fields.Many2one(
        "aftersales.category",
        tracking=True,
        index=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    tag_ids = fields.Many2many("aftersales.tag", string="Tags")
    priority = fields.Selection(
        PRIORITIES,
        default="1",
        required=True,
        index=True,
        tracking=True,
    )

    # Dispatch
    state = fields.Selection(
        TICKET_STATES,
        string="Status",
        default="new",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    team_id = fields.Many2one(
        "aftersales.team",
        index=True,
        tracking=True,
        check_company=True,
    )
    technician_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    technician_user_id = fields.Many2one(
        related="technician_id.user_id",
        string="Technician User",
        store=True,
        index=True,
    )
    date_deadline = fields.Datetime(string="Deadline", copy=False, tracking=True, index=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    # Lifecycle timestamps
    date_assigned = fields.Datetime(string="Dispatched On", readonly=True, copy=False)
    date_accepted = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    date_resolved = fields.Datetime(
        string="Resolved On", readonly=True, copy=False, index="btree_not_null"
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)

    # Outcome
    resolution_cause = fields.Text(string="Fault Cause", tracking=True, copy=False)
    resolution_note = fields.Html(string="Solution", copy=False)
    customer_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    date_customer_confirmed = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False, tracking=True)
    # groups="base.group_user" here and in the split files: internal notes and figures that
    # portal customers must not read on their own tickets.
    cancel_reason = fields.Text(readonly=True, copy=False, groups="base.group_user")

    # Warranty, as of the ticket's creation date
    warranty_id = fields.Many2one(
        "aftersales.warranty",
        compute="_compute_warranty",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    warranty_state = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty"), ("none", "No Warranty")],
        compute="_compute_warranty",
        store=True,
        precompute=True,
        tracking=True,
        index=True,
    )
    warranty_date_end = fields.Date(related="warranty_id.date_end", string="Warranty Until")
    warranty_cover_parts = fields.Boolean(related="warranty_id.cover_parts", string="Parts Covered")
    warranty_cover_labor = fields.Boolean(
        related="warranty_id.cover_labor", string="Labour Covered"
    )
    warranty_cover_travel = fields.Boolean(
        related="warranty_id.cover_travel", string="Travel Covered"
    )
    warranty_override = fields.Boolean(
        string="Warranty Overridden", readonly=True, copy=False, groups="base.group_user"
    )
    warranty_override_reason = fields.Text(readonly=True, copy=False, groups="base.group_user")

    # Service execution
    visit_ids = fields.One2many("aftersales.visit", "ticket_id", string="Visits")
    visit_count = fields.Integer(compute="_compute_execution_counts")
    date_arrival = fields.Datetime(
        string="Arrived On",
        compute="_compute_date_arrival",
        store=True,
        help="First check-in of a technician on site.",
    )
    repair_ids = fields.One2many(
        "repair.order",
        "aftersales_ticket_id",
        string="Repair Orders",
        groups="stock.group_stock_user",
    )
    repair_count = fields.Integer(compute="_compute_execution_counts")
    part_move_ids = fields.Many2many(
        "stock.move",
        string="Parts",
        compute="_compute_part_move_ids",
        groups="stock.group_stock_user",
        help="Parts of all the ticket's repair orders, on site and at the depot.",
    )
    quotation_ids = fields.One2many(
        "sale.order",
        "aftersales_ticket_id",
        string="Quotations",
        groups="sales_team.group_sale_salesman",
    )
    quotation_count = fields.Integer(compute="_compute_execution_counts")
    quotation_status = fields.Selection(
        [
            ("none", "No Quotation"),
            ("waiting", "Waiting for the Customer"),
            ("accepted", "Accepted"),
            ("invoiced", "Invoiced"),
        ],
        compute="_compute_quotation_status",
    )
    waiver_ids = fields.One2many(
        "aftersales.fee.waiver",
        "ticket_id",
        string="Fee Waivers",
        groups="aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst",
    )
    waiver_count = fields.Integer(compute="_compute_execution_counts")
    liability = fields.Selection(
        LIABILITIES,
        tracking=True,
        groups="base.group_user",
        help="Who is liable for the fault: feeds the quality reports.",
    )
    return_picking_ids = fields.One2many(
        "stock.picking",
        "aftersales_ticket_id",
        string="Returns and Exchanges",
        groups="stock.group_stock_user",
    )
    credit_note_ids = fields.One2many(
        "account.move",
        "aftersales_ticket_id",
        string="Credit Notes",
        groups="account.group_account_invoice",
    )

    # What the current user may do, for the buttons of the form
    user_is_assignee_or_manager = fields.Boolean(compute="_compute_user_rights")
    user_can_dispatch = fields.Boolean(compute="_compute_user_rights")

    # One customer, one file
    partner_ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Customer's Other Tickets",
        compute="_compute_history",
    )
    partner_ticket_count = fields.Integer(compute="_compute_history")
    lot_ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Serial's Other Tickets",
        compute="_compute_history",
    )
    lot_ticket_count = fields.Integer(compute="_compute_history")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_rating_last_value(self):
        # A ticket created in this transaction has its (empty) ratings in cache: no
        # query for it; the mixin's SQL reads the others.
        ratings = self._fields["rating_ids"]
        unrated = self.filtered(lambda t: self.env.cache.contains(t, ratings) and not t.rating_ids)
        unrated.rating_last_value = 0
        return super(AftersalesTicket, self - unrated)._compute_rating_last_value()

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/aftersales/{ticket.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Service Report - %s", self.name)

    @api.depends("partner_id")
    def _compute_contact(self):
        for ticket in self:
            partner = ticket.partner_id
            # A new customer brings their details; what the customer has not
            # recorded keeps what the representative typed.
            ticket.contact_name = partner.name or ticket.contact_name
            ticket.phone = partner.phone or partner.mobile or ticket.phone
            ticket.email = partner.email or ticket.email

    @api.depends("lot_id")
    def _compute_product_id(self):
        for ticket in self:
            if ticket.lot_id:
                ticket.product_id = ticket.lot_id.product_id

    @api.depends("repair_ids.move_ids")
    def _compute_part_move_ids(self):
        for ticket in self:
            ticket.part_move_ids = ticket.repair_ids.move_ids.filtered(
                lambda m: m.repair_line_type == "add" and m.state != "cancel"
            )

    @api.depends("visit_ids.check_in")
    def _compute_date_arrival(self):
        for ticket in self:
            check_ins = ticket.visit_ids.filtered("check_in").mapped("check_in")
            ticket.date_arrival = min(check_ins) if check_ins else False

    @api.depends("visit_ids", "waiver_ids", "repair_ids", "quotation_ids.state")
    def _compute_execution_counts(self):
        sudo_self = self.sudo()
        for ticket, sudo_ticket in zip(self, sudo_self, strict=True):
            ticket.visit_count = len(ticket.visit_ids)
            ticket.repair_count = len(sudo_ticket.repair_ids)
            ticket.quotation_count = len(
                sudo_ticket.quotation_ids.filtered(lambda o: o.state != "cancel")
            )
            ticket.waiver_count = len(sudo_ticket.waiver_ids)

    @api.depends("quotation_ids.state", "quotation_ids.invoice_status")
    def _compute_quotation_status(self):
        for ticket in self:
            orders = ticket.sudo().quotation_ids.filtered(lambda o: o.state != "cancel")
            if not orders:
                ticket.quotation_status = "none"
            elif any(o.state == "sale" and o.invoice_status == "invoiced" for o in orders):
                ticket.quotation_status = "invoiced"
            elif any(o.state == "sale" for o in orders):
                ticket.quotation_status = "accepted"
            else:
                ticket.quotation_status = "waiting"

    @api.depends("lot_id", "product_id", "commercial_partner_id", "company_id")
    def _compute_warranty(self):
        candidates = self.env["aftersales.warranty"].sudo()._find_for_tickets(self)
        for ticket in self:
            day = fields.Date.context_today(ticket, ticket.create_date or fields.Datetime.now())
            warranty = candidates.get(
                ticket._origin.id or ticket.id, self.env["aftersales.warranty"]
            )
            warranty = warranty.filtered(lambda w, d=day: w._covers(d))[:1] or warranty[:1]
            ticket.warranty_id = warranty
            if ticket.warranty_override:
                ticket.warranty_state = ticket.warranty_state  # the manager's decision stands
                continue
            if not warranty:
                ticket.warranty_state = "none"
            else:
                ticket.warranty_state = "in" if warranty._covers(day) else "out"

    @api.depends("technician_user_id")
    @api.depends_context("uid")
    def _compute_user_rights(self):
        is_manager = self._aftersales_has_role("manager")
        can_dispatch = self._aftersales_has_role("user")
        for ticket in self:
            ticket.user_is_assignee_or_manager = (
                is_manager or ticket.technician_user_id == self.env.user
            )
            ticket.user_can_dispatch = can_dispatch

    @api.depends("date_deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_overdue = bool(
                ticket.date_deadline
                and ticket.date_deadline < now
                and ticket.state in self._OPEN_STATES
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search on overdue tickets with = True or = False only."))
        overdue = [
            ("date_deadline", "<", fields.Datetime.now()),
            ("state", "in", self._OPEN_STATES),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    @api.depends("commercial_partner_id", "lot_id")
    @api.depends_context("uid")
    def _compute_history(self):
        partners, lots = self.commercial_partner_id, self.lot_id
        related = self.env["aftersales.ticket"]
        if partners or lots:
            # Searched as the current user: the history honours record rules.
            related = related.search(
                ["|", ("commercial_partner_id", "in", partners.ids), ("lot_id", "in", lots.ids)]
            )
        by_partner, by_lot = defaultdict(list), defaultdict(list)
        for other in related:
            by_partner[other.commercial_partner_id.id].append(other.id)
            if other.lot_id:
                by_lot[other.lot_id.id].append(other.id)
        for ticket in self:
            own_id = ticket._origin.id
            partner_ids = [i for i in by_partner[ticket.commercial_partner_id.id] if i != own_id]
            lot_ids = [i for i in by_lot[ticket.lot_id.id] if i != own_id] if ticket.lot_id else []
            ticket.partner_ticket_ids = [Command.set(partner_ids)]
            ticket.partner_ticket_count = len(partner_ids)
            ticket.lot_ticket_ids = [Command.set(lot_ids)]
            ticket.lot_ticket_count = len(lot_ids)

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in TICKET_STATES if key != "cancelled"]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for ticket in self:
            ticket.sudo().lot_id._aftersales_check_product(ticket.product_id)

    @api.constrains("technician_id")
    def _check_technician_user(self):
        for ticket in self:
            if ticket.technician_id and not ticket.technician_id.sudo().user_id:
                raise ValidationError(
                    _(
                        "%(employee)s has no user account, so they could not accept the "
                        "ticket. Link the employee to a user first.",
                        employee=ticket.technician_id.name,
                    )
                )

    @api.constrains("sale_order_id", "partner_id")
    def _check_sale_order_partner(self):
        for ticket in self:
            order = ticket.sale_order_id
            if order and order.partner_id.commercial_partner_id != ticket.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Sale order %(order)s was sold to %(order_partner)s, not to %(partner)s.",
                        order=order.name,
                        order_partner=order.partner_id.commercial_partner_id.display_name,
                        partner=ticket.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The reference is added to the values: never to the caller's own dicts.
        vals_list = [dict(vals) for vals in vals_list]
        technicians = []
        for vals in vals_list:
            # A technician given at creation is a dispatch, with its checks.
            technicians.append(
                vals.pop("technician_id", False) if vals.get("state", "new") == "new" else False
            )
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = company._aftersales_next_ticket_reference()
        tickets = super().create(vals_list)
        for ticket, technician in zip(tickets, technicians, strict=True):
            if technician:
                ticket.action_assign(technician)
        tickets._send_customer_mail("aftersales_service.mail_template_ticket_received")
        return tickets

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin): extended by the ticket's other files
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "state",
            "technician_id",
            "date_assigned",
            "date_accepted",
            "date_resolved",
            "date_closed",
            "customer_confirmed",
            "date_customer_confirmed",
            "reopen_count",
            "cancel_reason",
            "warranty_override",
            "warranty_override_reason",
            # Visits, repairs, quotations, waivers, returns and credit notes are created
            # from the ticket's buttons with their own checks.
            "visit_ids",
            "repair_ids",
            "quotation_ids",
            "waiver_ids",
            "return_picking_ids",
            "credit_note_ids",
        }

    def _aftersales_create_only_fields(self):
        # An imported ticket may keep its reference; references are unique per company.
        return super()._aftersales_create_only_fields() | {"name"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The technician records what they found and did.
        writable["assignee"] |= {"resolution_cause", "resolution_note"}
        # Intake and dispatch: who, what, how urgent, which team and by when.
        writable["user"] |= {
            "partner_id",
            "contact_name",
            "phone",
            "email",
            "channel",
            "description",
            "product_id",
            "lot_id",
            "sale_order_id",
            "category_id",
            "tag_ids",
            "priority",
            "team_id",
            "date_deadline",
            "liability",
        }
        return writable

    def _aftersales_assignee_users(self):
        visits = self.sudo().visit_ids.filtered(lambda v: v.state != "cancelled")
        return self.technician_user_id | visits.technician_ids.user_id

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state in ("closed", "cancelled")

    def _aftersales_check_values(self, vals):
        res = super()._aftersales_check_values(vals)
        self._check_deadline_not_past(vals.get("date_deadline"))
        return res

    @api.model
    def _check_deadline_not_past(self, deadline):
        """A deadline a user sets is still ahead. The system itself may plan late work
        (a missed preventive inspection caught up): the superuser is not checked."""
        if self.env.su or not deadline:
            return
        try:
            deadline = fields.Datetime.to_datetime(deadline)
        except (ValueError, TypeError):
            return  # the write guard reports a malformed date in words
        if deadline < fields.Datetime.now():
            raise ValidationError(
                _(
                    "The deadline %s is already past: choose a moment still to come.",
                    format_datetime(self.env, deadline),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_new_or_cancelled(self):
        for ticket in self:
            if ticket.state not in ("new", "cancelled"):
                raise UserError(
                    _(
                        "Ticket %(ticket)s is %(state)s; only new or cancelled tickets can be "
                        "deleted. Cancel it first.",
                        ticket=ticket.name,
                        state=ticket._state_label(),
                    )
                )

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def action_assign(self, technician, deadline=None):
        """Dispatch the tickets to ``technician`` (hr.employee or id).

        Dispatch is not acceptance: the technician still has to accept.
        """
        self._aftersales_check_role("user", _("dispatch tickets"))
        technician = (
            self.env["hr.employee"]
            .browse(technician.id if isinstance(technician, models.BaseModel) else technician)
            .exists()
        )
        if not technician:
            raise UserError(_("Choose the technician to dispatch the ticket to."))
        technician_user = technician.sudo().user_id
        if not technician_user:
            raise UserError(
                _(
                    "%(employee)s has no user account and cannot accept tickets.",
                    employee=technician.name,
                )
            )
        self._check_state(["new", "assigned"], _("dispatched"))
        self._check_deadline_not_past(deadline)
        now = fields.Datetime.now()
        for ticket in self:
            ticket._close_accept_activity()
            ticket._transition(
                {
                    "state": "assigned",
                    "technician_id": technician.id,
                    "date_assigned": now,
                    "date_accepted": False,
                    "date_deadline": deadline or ticket._default_deadline(now),
                }
            )
            ticket.message_subscribe(partner_ids=technician_user.partner_id.ids)
            ticket._aftersales_schedule_activity(
                "aftersales_service.mail_activity_ticket_accept",
                technician_user,
                date_deadline=fields.Date.context_today(ticket, ticket.date_deadline),
            )
        return True

    def action_accept(self):
        """The assigned technician confirms receipt and starts working."""
        self._check_state(["assigned"], _("accepted"))
        for ticket in self:
            ticket._aftersales_check_assignee_or("manager", _("accept it"))
            ticket._close_accept_activity(feedback=_("Accepted"))
            ticket._transition({"state": "in_progress", "date_accepted": fields.Datetime.now()})
        return True

    def action_refuse(self, reason):
        """The assigned technician gives the ticket back for re-dispatch."""
        reason = self._aftersales_require_reason(reason, _("refusing a ticket"))
        self._check_state(["assigned"], _("refused"))
        for ticket in self:
            ticket._aftersales_check_assignee_or("manager", _("refuse it"))
            technician = ticket.technician_id
            ticket._close_accept_activity()
            ticket._transition(
                {
                    "state": "new",
                    "technician_id": False,
                    "date_assigned": False,
                    "date_deadline": False,
                }
            )
            ticket.message_post(
                body=_(
                    "Refused by %(technician)s: %(reason)s",
                    technician=technician.name,
                    reason=reason,
                ),
            )
        return True

    def action_wait(self, reason=None):
        """Pause the work: waiting on the customer or on parts."""
        self._check_state(["in_progress"], _("put on hold"))
        for ticket in self:
            ticket._aftersales_check_assignee_or("user", _("put it on hold"))
            ticket._transition({"state": "waiting"})
            if reason:
                ticket.message_post(body=_("Waiting: %(reason)s", reason=reason))
        return True

    def action_resume(self):
        self._check_state(["waiting"], _("resumed"))
        for ticket in self:
            ticket._aftersales_check_assignee_or("user", _("resume it"))
            ticket._transition({"state": "in_progress"})
        return True

    def action_resolve(self):
        self._check_state(["in_progress"], _("resolved"))
        for ticket in self:
            ticket._aftersales_check_assignee_or("manager", _("resolve it"))
            missing = []
            if not (ticket.resolution_cause or "").strip():
                missing.append(_("the fault cause"))
            if not html2plaintext(ticket.resolution_note or "").strip():
                missing.append(_("the solution"))
            if missing:
                raise UserError(
                    _(
                        "Before resolving %(ticket)s, record %(missing)s.",
                        ticket=ticket.name,
                        missing=_(" and ").join(missing),
                    )
                )
            ticket._transition({"state": "resolved", "date_resolved": fields.Datetime.now()})
        # The resolution mail carries the satisfaction questionnaire's link.
        self._aftersales_create_survey_answers()
        self._send_customer_mail("aftersales_service.mail_template_ticket_resolved")
        return True

    def action_customer_confirm(self):
        """Record that the customer confirmed the problem is solved."""
        self._aftersales_check_role("user", _("record customer confirmations"))
        self._check_state(["resolved"], _("confirmed by the customer"))
        self._transition(
            {"customer_confirmed": True, "date_customer_confirmed": fields.Datetime.now()}
        )
        return True

    def action_close(self):
        self._aftersales_check_role("user", _("close tickets"))
        self._check_state(["resolved"], _("closed"))
        unconfirmed = self.filtered(lambda t: not t.customer_confirmed)
        if unconfirmed and not self._aftersales_has_role("manager"):
            raise UserError(
                _(
                    "The customer has not confirmed %(tickets)s yet. Record their "
                    "confirmation first; only a manager may close without it.",
                    tickets=", ".join(unconfirmed.mapped("name")),
                )
            )
        self._transition({"state": "closed", "date_closed": fields.Datetime.now()})
        for ticket in unconfirmed:
            ticket.message_post(body=_("Closed without the customer's confirmation."))
        return True

    def action_reopen(self, reason=None):
        """The problem came back: same technician works on it again."""
        self._aftersales_check_role("user", _("reopen tickets"))
        self._check_state(["resolved", "closed"], _("reopened"))
        for ticket in self:
            ticket._transition(
                {
                    "state": "in_progress",
                    "reopen_count": ticket.reopen_count + 1,
                    "date_resolved": False,
                    "date_closed": False,
                    "customer_confirmed": False,
                    "date_customer_confirmed": False,
                }
            )
            ticket.message_post(
                body=_("Reopened: %(reason)s", reason=reason) if reason else _("Reopened.")
            )
        return True

    def action_cancel(self, reason):
        reason = self._aftersales_require_reason(reason, _("cancelling a ticket"))
        self._aftersales_check_role("user", _("cancel tickets"))
        self._check_state([*OPEN_STATES, "resolved"], _("cancelled"))
        for ticket in self:
            ticket._close_accept_activity()
            ticket._transition({"state": "cancelled", "cancel_reason": reason})
            ticket.message_post(body=_("Cancelled: %(reason)s", reason=reason))
        return True

    # ------------------------------------------------------------------
    # Buttons opening wizards and related records
    # ------------------------------------------------------------------

    def action_open_assign_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Dispatch"),
            "res_model": "aftersales.ticket.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_open_reason_wizard(self):
        action = self.env.context.get("aftersales_reason_action")
        titles = {
            "cancel": _("Cancel Ticket"),
            "refuse": _("Refuse Ticket"),
            "reopen": _("Reopen Ticket"),
        }
        if action not in titles:
            raise UserError(_("Unknown ticket action."))
        return {
            "type": "ir.actions.act_window",
            "name": titles[action],
            "res_model": "aftersales.ticket.reason",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_ids": self.ids,
                "default_action": action,
            },
        }

    def action_override_warranty(self, warranty_state, reason):
        """A manager decides the warranty status against what the registration says."""
        self._aftersales_check_role("manager", _("override the warranty status"))
        reason = self._aftersales_require_reason(reason, _("overriding the warranty status"))
        if warranty_state not in ("in", "out"):
            raise UserError(_("The warranty status can be overridden to in or out of warranty."))
        labels = dict(self._fields["warranty_state"].selection)
        for ticket in self:
            previous = labels.get(ticket.warranty_state, "")
            ticket._transition(
                {
                    "warranty_state": warranty_state,
                    "warranty_override": True,
                    "warranty_override_reason": reason,
                }
            )
            ticket.message_post(
                body=_(
                    "Warranty status overridden from %(old)s to %(new)s: %(reason)s",
                    old=previous,
                    new=labels[warranty_state],
                    reason=reason,
                )
            )
        return True

    def action_open_warranty_override_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Override Warranty Status"),
            "res_model": "aftersales.ticket.warranty.override",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_warranty_state": "out" if self.warranty_state == "in" else "in",
            },
        }

    def action_view_warranty(self):
        self.ensure_one()
        return self._form_action(self.warranty_id)

    def action_plan_visit(self):
        self.ensure_one()
        self._aftersales_check_role("user", _("plan visits"))
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=1
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Plan Visit"),
            "res_model": "aftersales.visit",
            "view_mode": "form",
            "context": {
                "default_ticket_id": self.id,
                "default_technician_ids": self.technician_id.ids,
                "default_scheduled_start": start,
                "default_scheduled_end": start + timedelta(hours=2),
            },
        }

    def action_view_visits(self):
        self.ensure_one()
        action = self._window_action(
            "aftersales_service.action_aftersales_visit",
            [("ticket_id", "=", self.id)],
            {
                "default_ticket_id": self.id,
                "default_technician_ids": self.technician_id.ids,
            },
        )
        # A ticket's few visits read best as a list; the calendar stays one click away.
        action["views"] = [(False, "list"), (False, "form"), (False, "calendar")]
        return action

    def action_create_repair(self):
        """Depot repair: an Odoo repair order for the ticket's unit, linked both ways."""
        self.ensure_one()
        self._aftersales_check_role("user", _("create repair orders"))
        if not self.product_id:
            raise UserError(
                _("Record the product of ticket %s before creating a repair order.", self.name)
            )
        repair = self.env["repair.order"].create(
            {
                "partner_id": self.partner_id.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "under_warranty": self.warranty_state == "in",
                "aftersales_ticket_id": self.id,
                "company_id": self.company_id.id,
                "internal_notes": self.description,
            }
        )
        self.message_post(body=_("Repair order %s created.", repair._get_html_link()))
        return self._form_action(repair)

    def action_view_repairs(self):
        self.ensure_one()
        return self._window_action(
            "repair.action_repair_order_tree",
            [("aftersales_ticket_id", "=", self.id)],
            {"default_aftersales_ticket_id": self.id},
        )

    def action_create_quotation(self):
        """Paid service: labour from the visits' hours and the parts used on site."""
        self.ensure_one()
        self._aftersales_check_role("user", _("quote paid service"))
        labour = self.env.ref("aftersales_service.product_service_labour")
        hours = sum(self.visit_ids.filtered(lambda v: v.state == "done").mapped("work_hours"))
        lines = [
            Command.create(
                {
                    "product_id": labour.id,
                    "product_uom_qty": max(round(hours * 2) / 2, 1.0),
                    "name": _("Service labour, ticket %s", self.name),
                }
            )
        ]
        # Parts of planned visits are quoted too (the accepted quotation gates the work);
        # a cancelled visit uses none.
        for part in self.visit_ids.filtered(lambda v: v.state != "cancelled").part_ids:
            lines.append(
                Command.create({"product_id": part.product_id.id, "product_uom_qty": part.quantity})
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "aftersales_ticket_id": self.id,
                "order_line": lines,
            }
        )
        self.message_post(body=_("Quotation %s created for paid service.", order._get_html_link()))
        return self._form_action(order)

    def action_view_quotations(self):
        self.ensure_one()
        return self._window_action(
            "sale.action_quotations_with_onboarding",
            [("aftersales_ticket_id", "=", self.id)],
            {
                "default_aftersales_ticket_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        )

    def action_view_waivers(self):
        self.ensure_one()
        return self._window_action(
            "aftersales_service.action_aftersales_fee_waiver",
            [("ticket_id", "=", self.id)],
            {"default_ticket_id": self.id},
        )

    def action_open_return_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Return, Exchange or Refund"),
            "res_model": "aftersales.ticket.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_print_service_report(self):
        return self.env.ref("aftersales_service.action_report_ticket_service").report_action(self)

    def _check_quotation_accepted(self):
        """Paid work waits for the customer's acceptance of its quotation."""
        self.ensure_one()
        orders = self.sudo().quotation_ids.filtered(lambda o: o.state != "cancel")
        if orders and not orders.filtered(lambda o: o.state == "sale"):
            raise UserError(
                _(
                    "The customer has not accepted quotation %(orders)s yet: the paid work on "
                    "%(ticket)s waits for it.",
                    orders=", ".join(orders.mapped("name")),
                    ticket=self.name,
                )
            )

    def action_view_partner_tickets(self):
        self.ensure_one()
        return self.commercial_partner_id.action_view_aftersales_tickets()

    def action_view_lot_tickets(self):
        self.ensure_one()
        return self.lot_id.action_view_aftersales_tickets()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _form_action(self, record):
        """Open ``record`` in its form view."""
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    @api.model
    def _window_action(self, xmlid, domain, context):
        """An existing window action restricted to ``domain``, for smart buttons."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context
        return action

    @api.model
    def _action_view_tickets(self, domain, context):
        return self._window_action("aftersales_service.action_aftersales_ticket", domain, context)

    def _default_deadline(self, start):
        self.ensure_one()
        company = self.company_id
        hours = (
            company.aftersales_emergency_deadline_hours
            if self.priority == "3"
            else company.aftersales_deadline_hours
        )
        return start + timedelta(hours=hours or 24)

    def _close_accept_activity(self, feedback=None):
        activities = self.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("aftersales_service.mail_activity_ticket_accept")
            )
        )
        if feedback:
            activities.sudo().action_feedback(feedback=feedback)
        else:
            activities.sudo().unlink()

    def _send_customer_mail(self, template_xmlid):
        # Records loaded from data files (demo, imports at install) mail nobody.
        if self.env.context.get("aftersales_no_customer_mail") or self.env.context.get(
            "install_mode"
        ):
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for ticket in self.filtered(lambda t: t.partner_id.email or t.email):
            ticket.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=_("Customer")
            )
        return recipients

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("aftersales_service.mt_ticket_state")
        return super()._track_subtype(init_values)
