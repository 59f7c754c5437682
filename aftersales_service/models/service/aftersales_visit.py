import base64
import binascii

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

VISIT_STATES = [
    ("planned", "Planned"),
    ("on_the_way", "On the Way"),
    ("on_site", "On Site"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class AftersalesVisit(models.Model):
    _name = "aftersales.visit"
    _description = "On-Site Service Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "scheduled_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="ticket_id.partner_id", store=True, string="Customer")
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, index=True)
    product_id = fields.Many2one(related="ticket_id.product_id")
    lot_id = fields.Many2one(related="ticket_id.lot_id")
    address_id = fields.Many2one(
        "res.partner",
        string="Site Address",
        compute="_compute_address_id",
        store=True,
        readonly=False,
        help="Where the technicians go; the customer's address by default.",
    )
    technician_ids = fields.Many2many(
        "hr.employee",
        "aftersales_visit_employee_rel",
        "visit_id",
        "employee_id",
        string="Technicians",
        required=True,
        check_company=True,
        domain="[('user_id', '!=', False)]",
    )
    state = fields.Selection(
        VISIT_STATES, default="planned", required=True, readonly=True, tracking=True, index=True
    )
    scheduled_start = fields.Datetime(required=True, tracking=True, index=True)
    scheduled_end = fields.Datetime(required=True, tracking=True)
    date_departure = fields.Datetime(string="Left For Site", readonly=True, copy=False)
    check_in = fields.Datetime(readonly=True, copy=False, tracking=True, index=True)
    check_in_note = fields.Char(string="Check-in Location", copy=False)
    check_out = fields.Datetime(readonly=True, copy=False, tracking=True)
    check_out_note = fields.Char(string="Check-out Location", copy=False)
    travel_hours = fields.Float(compute="_compute_hours", store=True)
    work_hours = fields.Float(compute="_compute_hours", store=True)
    work_done = fields.Html(help="The solution: steps taken on site.")
    # On the visit form too: the report is complete only with the fault cause.
    resolution_cause = fields.Text(
        related="ticket_id.resolution_cause", readonly=False, string="Fault Cause"
    )
    part_ids = fields.One2many("aftersales.visit.part", "visit_id", string="Parts Used")
    no_parts_used = fields.Boolean(help="Tick when no part was replaced: the report says so.")
    repair_id = fields.Many2one(
        "repair.order",
        string="Parts Consumption",
        readonly=True,
        copy=False,
        help="The repair order that took the parts out of the technician's stock.",
    )
    customer_opinion = fields.Text()
    customer_signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False, readonly=True)
    report_complete = fields.Boolean(
        compute="_compute_report_complete",
        store=True,
        help="Fault cause, solution, parts (or none) and customer opinion are all recorded.",
    )
    is_report_incomplete = fields.Boolean(
        string="Incomplete Report",
        compute="_compute_report_complete",
        store=True,
        index=True,
        help="Closed without a complete service report.",
    )
    user_is_technician = fields.Boolean(compute="_compute_user_is_technician")
    user_can_plan = fields.Boolean(compute="_compute_user_is_technician")

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("ticket_id.partner_id")
    def _compute_address_id(self):
        for visit in self:
            visit.address_id = visit.address_id or visit.ticket_id.partner_id

    @api.depends("date_departure", "check_in", "check_out")
    def _compute_hours(self):
        for visit in self:
            visit.travel_hours = visit._hours_between(visit.date_departure, visit.check_in)
            visit.work_hours = visit._hours_between(visit.check_in, visit.check_out)

    @api.depends(
        "ticket_id.resolution_cause",
        "work_done",
        "part_ids",
        "no_parts_used",
        "customer_opinion",
        "state",
    )
    def _compute_report_complete(self):
        for visit in self:
            complete = not visit._report_missing_items()
            visit.report_complete = complete
            visit.is_report_incomplete = visit.state == "done" and not complete

    def _report_missing_items(self):
        """What the service report still lacks, in the technician's words."""
        self.ensure_one()
        missing = []
        if not (self.ticket_id.resolution_cause or "").strip():
            missing.append(_("the fault cause"))
        if not html2plaintext(self.work_done or "").strip():
            missing.append(_("the work done"))
        if not (self.part_ids or self.no_parts_used):
            missing.append(_("the parts used (or tick No Parts Used)"))
        if not (self.customer_opinion or "").strip():
            missing.append(_("the customer's opinion"))
        return missing

    @api.depends("technician_ids")
    @api.depends_context("uid")
    def _compute_user_is_technician(self):
        for visit in self:
            visit.user_is_technician = self.env.user in visit.technician_ids.user_id
            visit.user_can_plan = self._aftersales_has_role("user")

    @api.constrains("scheduled_start", "scheduled_end")
    def _check_schedule(self):
        for visit in self:
            if visit.scheduled_end <= visit.scheduled_start:
                raise ValidationError(_("Visit %s must end after it starts.", visit.name))

    @api.constrains("technician_ids")
    def _check_technicians_have_users(self):
        for visit in self:
            missing = visit.technician_ids.filtered(lambda e: not e.sudo().user_id)
            if missing:
                raise ValidationError(
                    _(
                        "%s has no user account and cannot check in.",
                        ", ".join(missing.mapped("name")),
                    )
                )

    @staticmethod
    def _hours_between(start, end):
        if not (start and end):
            return 0.0
        return round((end - start).total_seconds() / 3600.0, 2)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        for visit in visits:
            # Create access was checked: the reference is the system's.
            visit.sudo().name = f"{visit.ticket_id.name}-V{len(visit.ticket_id.visit_ids)}"
            visit.message_subscribe(partner_ids=visit.technician_ids.user_id.partner_id.ids)
        return visits

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # Times and the signature are evidence: the check-in/out buttons and the
        # customer's signature set them, nobody types them.
        return super()._aftersales_method_fields() | {
            "name",
            "state",
            "date_departure",
            "check_in",
            "check_out",
            "customer_signature",
            "signed_by",
            "signed_on",
            "repair_id",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"ticket_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The service report, written by the visit's technicians.
        writable["assignee"] |= {
            "work_done",
            "resolution_cause",
            "part_ids",
            "no_parts_used",
            "customer_opinion",
            "check_in_note",
            "check_out_note",
        }
        # Planning: who goes where and when.
        writable["user"] |= {"technician_ids", "scheduled_start", "scheduled_end", "address_id"}
        return writable

    def _aftersales_assignee_users(self):
        return self.technician_ids.user_id

    def _aftersales_is_locked(self):
        # A signed report is what the customer agreed to.
        self.ensure_one()
        return self.state == "cancelled" or bool(self.signed_on)

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------

    def action_depart(self):
        self._check_visit_state(["planned"], _("leave for the site"))
        self._set_state({"state": "on_the_way", "date_departure": fields.Datetime.now()})
        return True

    def action_check_in(self, note=None):
        self._check_visit_state(["planned", "on_the_way"], _("check in"))
        for visit in self:
            visit.ticket_id._check_quotation_accepted()
        values = {"state": "on_site", "check_in": fields.Datetime.now()}
        if note:
            values["check_in_note"] = note
        self._set_state(values)
        return True

    def action_check_out(self, note=None):
        self._check_visit_state(["on_site"], _("check out"))
        # Read before the status changes: the penalty says what was missing.
        missing = {visit: visit._report_missing_items() for visit in self}
        self._consume_parts()
        values = {"state": "done", "check_out": fields.Datetime.now()}
        if note:
            values["check_out_note"] = note
        self._set_state(values)
        rules = self.env["aftersales.penalty.rule"].sudo()._auto_rules("incomplete_report")
        for visit in self.filtered("is_report_incomplete"):
            rule = rules.filtered(lambda r, v=visit: r.company_id == v.company_id)[:1]
            self.env["aftersales.penalty"].sudo()._raise_auto(
                rule,
                visit.technician_ids,
                visit.ticket_id,
                visit=visit,
                reason=_(
                    "Service report of %(visit)s is incomplete: %(missing)s missing.",
                    visit=visit.name,
                    missing=", ".join(missing[visit]),
                ),
            )
            visit.message_post(
                body=_(
                    "Closed with an incomplete service report: %(missing)s missing.",
                    missing=", ".join(missing[visit]),
                )
            )
        return True

    def action_cancel(self):
        self._check_visit_state(["planned", "on_the_way"], _("cancel"))
        self._set_state({"state": "cancelled"})
        return True

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Service Report - %s", self.name)

    def action_print_report(self):
        return self.env.ref("aftersales_service.action_report_visit").report_action(self)

    def action_sign(self, signature, name):
        """The customer signs the service report on the technician's screen."""
        self.ensure_one()
        self._aftersales_check_assignee_or("user", _("collect the customer's signature"))
        if self.state not in ("on_site", "done"):
            raise UserError(
                _("Visit %s is not on site: the customer signs once the work is done.", self.name)
            )
        self._sign(name, signature)
        self.message_post(
            body=_("Service report %(visit)s signed by %(name)s.", visit=self.name, name=name)
        )
        return True

    def action_open_sign_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Customer Signature"),
            "res_model": "aftersales.visit.sign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id": self.id},
        }

    def _portal_sign(self, partner, name, signature):
        """The customer signs the service report of a finished visit from the portal."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                _("Visit %s is not finished: its report cannot be signed yet.", self.name)
            )
        self._sign(name, signature)
        body = _(
            "Service report %(visit)s signed by %(name)s on the portal.", visit=self.name, name=name
        )
        self.sudo().message_post(body=body, author_id=partner.id)
        self.ticket_id.sudo().message_post(body=body, author_id=partner.id)
        return True

    def _sign(self, name, signature):
        """Record the signature once; callers checked who signs and when."""
        self.ensure_one()
        name = (name or "").strip() if isinstance(name, str) else ""
        if self.customer_signature:
            raise UserError(_("The service report of %s is already signed.", self.name))
        if not name:
            raise UserError(_("Enter the name of the person signing."))
        self.env["aftersales.ticket"]._portal_check_length(name, _("The name of the signatory"))
        try:
            if not signature or not base64.b64decode(signature, validate=True):
                raise ValueError
        except (ValueError, binascii.Error, TypeError) as error:
            raise UserError(_("Draw or type your signature before you sign.")) from error
        self.sudo().write(
            {
                "customer_signature": signature,
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
            }
        )
        self._accept_installations()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_visit_state(self, allowed, what):
        labels = dict(VISIT_STATES)
        for visit in self:
            if visit.state not in allowed:
                raise UserError(
                    _(
                        "Visit %(visit)s is %(state)s: you cannot %(what)s.",
                        visit=visit.name,
                        state=labels[visit.state].lower(),
                        what=what,
                    )
                )
            visit._aftersales_check_assignee_or("user", what)

    def _set_state(self, values):
        self._aftersales_method_write(values)

    def _check_parts_open(self):
        """Parts change until they leave the van's stock or the customer signs."""
        for visit in self:
            if visit.repair_id or visit.signed_on or visit.state == "cancelled":
                raise UserError(
                    _(
                        "The parts of visit %s can no longer change: they were taken out of "
                        "stock, the customer signed, or the visit was cancelled.",
                        visit.name,
                    )
                )

    def _technician_location(self):
        self.ensure_one()
        employee = self.sudo().technician_ids.filtered("aftersales_location_id")[:1]
        return employee.aftersales_location_id

    def _consume_parts(self):
        """Take the parts used out of the technician's stock with an Odoo repair order."""
        Repair = self.env["repair.order"].sudo()
        for visit in self.filtered(lambda v: v.part_ids and not v.repair_id):
            ticket = visit.ticket_id
            values = {
                "partner_id": ticket.partner_id.id,
                "company_id": ticket.company_id.id,
                "under_warranty": ticket.warranty_state == "in",
                "aftersales_ticket_id": ticket.id,
                "aftersales_visit_id": visit.id,
                "internal_notes": Markup("<p>%s</p>")
                % _(
                    "Parts used on site, visit %(visit)s (%(product)s %(serial)s).",
                    visit=visit.name,
                    product=ticket.product_id.display_name or "",
                    serial=ticket.lot_id.name or "",
                ),
                "move_ids": [
                    Command.create(
                        {
                            "product_id": part.product_id.id,
                            "product_uom_qty": part.quantity,
                            "repair_line_type": "add",
                        }
                    )
                    for part in visit.part_ids
                ],
            }
            location = visit._technician_location()
            if location:
                values["location_id"] = location.id
            repair = Repair.create(values)
            repair.action_validate()
            repair.action_repair_start()
            for move, part in zip(repair.move_ids, visit.part_ids, strict=True):
                move._aftersales_set_done_quantity(part.quantity, part.lot_id)
                part.sudo().move_id = move
            repair.action_repair_end()
            visit.sudo().repair_id = repair

    def _accept_installations(self):
        """A signed installation report starts installation-acceptance warranties."""
        installation = self.env.ref(
            "aftersales_service.category_installation", raise_if_not_found=False
        )
        for visit in self.filtered(lambda v: v.ticket_id.category_id == installation and v.lot_id):
            waiting = (
                self.env["aftersales.warranty"]
                .sudo()
                .search(
                    [
                        ("lot_id", "=", visit.lot_id.id),
                        ("is_void", "=", False),
                        ("date_start", "=", False),
                        ("rule_id.start_basis", "=", "installation"),
                    ]
                )
            )
            if waiting:
                # Accepted on the signature day, never before the unit was delivered.
                day = max(
                    [fields.Date.context_today(visit, visit.signed_on)]
                    + [d for d in waiting.mapped("date_delivered") if d]
                )
                waiting.action_accept_installation(day)
                visit.message_post(
                    body=_(
                        "Installation accepted by the customer's signature: warranty starts %s.",
                        day,
                    )
                )
