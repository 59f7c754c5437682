from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class AftersalesSettlement(models.Model):
    """The monthly claim (结算) of a service centre: its finished jobs of the month at the
    agreed rates, plus travel allowances, less the material differences charged to it.
    Customer service prepares and reviews it, a manager approves it within their limit,
    and the approval drafts the centre's vendor bill."""

    _name = "aftersales.settlement"
    _description = "Service Centre Settlement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.approval.mixin",
        "aftersales.center.month.mixin",
    ]
    _order = "date_from desc, partner_id, id desc"
    _check_company_auto = True
    _sql_constraints = [
        (
            "center_period_uniq",
            "UNIQUE (company_id, partner_id, date_from)",
            "A service centre has one settlement per month.",
        ),
    ]
    _aftersales_state_noun = _lt("Settlement")

    name = fields.Char(string="Reference", compute="_compute_name", store=True)
    state = fields.Selection(
        selection_add=[("draft", "Draft"), ("to_approve",)],
        default="draft",
        ondelete={"draft": "set default"},
    )
    agreement_id = fields.Many2one(
        "aftersales.service.agreement",
        readonly=True,
        check_company=True,
        help="The agreement whose rates the lines use: the one in force at the end of the month.",
    )
    line_ids = fields.One2many("aftersales.settlement.line", "settlement_id", string="Lines")
    job_count = fields.Integer(string="Jobs", compute="_compute_amounts", store=True)
    amount_jobs = fields.Monetary(string="Job Rates", compute="_compute_amounts", store=True)
    amount_hours = fields.Monetary(string="Labour Hours", compute="_compute_amounts", store=True)
    amount_travel = fields.Monetary(
        string="Travel Allowances", compute="_compute_amounts", store=True
    )
    amount_deduction = fields.Monetary(
        string="Material Charged", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total",
        compute="_compute_amounts",
        store=True,
        tracking=True,
        help="Accepted lines only: rejected lines are not paid.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_submitted = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    refuse_reason = fields.Text()
    move_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        readonly=True,
        copy=False,
        check_company=True,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    note = fields.Text()

    @api.depends("partner_id", "date_from")
    def _compute_name(self):
        for settlement in self:
            settlement.name = _(
                "Settlement %(center)s %(month)s",
                center=settlement.partner_id.name or "",
                month=settlement._center_month_label(),
            )

    @api.depends(
        "line_ids.is_rejected",
        "line_ids.kind",
        "line_ids.job_amount",
        "line_ids.hours_amount",
        "line_ids.travel_amount",
        "line_ids.amount",
    )
    def _compute_amounts(self):
        for settlement in self:
            accepted = settlement.line_ids.filtered(lambda line: not line.is_rejected)
            jobs = accepted.filtered(lambda line: line.kind == "job")
            settlement.job_count = len(jobs)
            settlement.amount_jobs = sum(jobs.mapped("job_amount"))
            settlement.amount_hours = sum(jobs.mapped("hours_amount"))
            settlement.amount_travel = sum(jobs.mapped("travel_amount"))
            settlement.amount_deduction = sum(
                accepted.filtered(lambda line: line.kind == "deduction").mapped("amount")
            )
            settlement.amount_total = sum(accepted.mapped("amount"))

    # ------------------------------------------------------------------
    # The lines
    # ------------------------------------------------------------------

    def _agreement(self):
        """The agreement whose rates apply: the one in force at the end of the month, else
        the latest one in force during the month."""
        self.ensure_one()
        center = self.partner_id
        in_force = center._aftersales_agreement_on(self.date_to, self.company_id)
        return (
            in_force
            or center.sudo().aftersales_agreement_ids.filtered(
                lambda a: (
                    a.company_id == self.company_id
                    and a.date_start <= self.date_to
                    and a.date_end >= self.date_from
                )
            )[:1]
        )

    def _finished_visits(self):
        """The centre's visits done (checked out) in the month."""
        self.ensure_one()
        return (
            self.env["aftersales.visit"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("service_center_id", "=", self.partner_id.id),
                    ("state", "=", "done"),
                    *self._center_month_domain("check_out"),
                ],
                order="check_out, id",
            )
        )

    def _deductible_reconciliations(self):
        """Closed reconciliations of the centre up to this month with parts charged, not
        yet deducted in another settlement."""
        self.ensure_one()
        reconciliations = (
            self.env["aftersales.material.reconciliation"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("state", "=", "done"),
                    ("amount_charged", ">", 0),
                    ("date_from", "<=", self.date_from),
                ],
                order="date_from, id",
            )
        )
        return reconciliations.filtered(
            lambda rec: (
                not rec.settlement_line_ids.filtered(
                    lambda line: (
                        line.settlement_id != self and line.settlement_id.state != "refused"
                    )
                )
            )
        )

    def _line_values(self):
        """The settlement's lines: one per finished job (job rate of its job type, hours at
        the hourly rate, travel allowance of the customer's zone), one deduction per
        reconciliation with parts charged."""
        self.ensure_one()
        agreement = self._agreement()
        if not agreement:
            raise UserError(
                _(
                    "%(center)s has no agreement in force in %(month)s: its jobs have no rate.",
                    center=self.partner_id.display_name,
                    month=self.date_from.strftime("%Y-%m"),
                )
            )
        job_rates = {rate.category_id.id: rate.amount for rate in agreement.rate_ids}
        travel = {line.zone_id.id: line.amount for line in agreement.travel_ids}
        hourly_rate = agreement.hourly_rate
        currency = self.currency_id
        values = []
        for visit in self._finished_visits():
            ticket = visit.ticket_id
            zone = ticket.partner_id.aftersales_zone_id
            hours = visit.work_hours
            values.append(
                {
                    "kind": "job",
                    "visit_id": visit.id,
                    "ticket_id": ticket.id,
                    "date": visit.check_out,
                    "category_id": ticket.category_id.id,
                    "zone_id": zone.id,
                    "work_hours": hours,
                    "job_amount": job_rates.get(ticket.category_id.id, 0.0),
                    "hours_amount": currency.round(hours * hourly_rate),
                    "travel_amount": travel.get(zone.id, 0.0),
                }
            )
        for reconciliation in self._deductible_reconciliations():
            values.append(
                {
                    "kind": "deduction",
                    "reconciliation_id": reconciliation.id,
                    "date": reconciliation.date_done,
                    "deduction_amount": -reconciliation.amount_charged,
                }
            )
        return agreement, values

    def _generate_lines(self):
        for settlement in self:
            agreement, values = settlement._line_values()
            # Review decisions on lines that are still there are kept.
            rejected = {
                (line.visit_id.id, line.reconciliation_id.id): line.reject_reason
                for line in settlement.line_ids.filtered("is_rejected")
            }
            for vals in values:
                key = (vals.get("visit_id", False), vals.get("reconciliation_id", False))
                reason = rejected.get(key)
                if reason:
                    vals.update(is_rejected=True, reject_reason=reason)
            settlement.line_ids.sudo().unlink()
            settlement.sudo().write(
                {
                    "agreement_id": agreement.id,
                    "date_computed": fields.Datetime.now(),
                    "line_ids": [Command.create(vals) for vals in values],
                }
            )
        return True

    def action_compute(self):
        """(Re)compute the lines from the month's finished jobs."""
        self._aftersales_check_role("user", _("prepare settlements"))
        self._check_state(["draft"], _("recomputed"))
        self.check_access("write")
        self._generate_lines()
        return True

    # ------------------------------------------------------------------
    # Review and approval
    # ------------------------------------------------------------------

    def action_submit(self):
        """Customer service has reviewed the lines: a manager approves."""
        self._aftersales_check_role("user", _("submit settlements"))
        self._aftersales_lock()
        self._check_state(["draft"], _("submitted"))
        for settlement in self:
            if not settlement.line_ids.filtered(lambda line: not line.is_rejected):
                raise UserError(_("%s has no accepted line: compute it first.", settlement.name))
        self._transition(
            {
                "state": "to_approve",
                "submitted_by_id": self.env.user.id,
                "date_submitted": fields.Datetime.now(),
            }
        )
        managers = self.env.ref("aftersales_service.group_aftersales_manager").users
        for settlement in self:
            for manager in managers.filtered(
                lambda u, s=settlement: s.company_id in u.company_ids and not u._is_superuser()
            ):
                settlement.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Approve a service centre settlement"),
                    user_id=manager.id,
                )
        return True

    def action_approve(self):
        """A manager approves, within their approval limit when they have one, and the
        centre's draft vendor bill is created. The rows are locked and everything checked
        again: a second approval finds the first one."""
        self._aftersales_check_role("manager", _("approve settlements"))
        limit = self.env.user._aftersales_approval_limit()
        self._aftersales_lock()
        for settlement in self:
            settlement._check_state(["to_approve"], _("approved"))
            settlement._check_lines_still_due()
            if (
                not self.env.su
                and limit
                and settlement.currency_id.compare_amounts(settlement.amount_total, limit) > 0
            ):
                raise UserError(
                    _(
                        "%(settlement)s claims %(amount)s, above your approval limit "
                        "(%(limit)s): a manager with a higher limit approves it.",
                        settlement=settlement.name,
                        amount=settlement.currency_id.format(settlement.amount_total),
                        limit=settlement.currency_id.format(limit),
                    )
                )
            bill = settlement._create_vendor_bill()
            settlement._approval_decide("approved", move_id=bill.id)
            settlement.message_post(
                body=_(
                    "Approved by %(user)s: draft vendor bill for %(amount)s.",
                    user=self.env.user.name,
                    amount=settlement.currency_id.format(settlement.amount_total),
                )
            )
        return True

    def _check_lines_still_due(self):
        """Each job is still a finished job of the centre and not paid in another
        settlement; the total is still the lines'."""
        self.ensure_one()
        jobs = self.line_ids.filtered(lambda line: line.kind == "job" and not line.is_rejected)
        visits = jobs.visit_id.sudo()
        wrong = visits.filtered(
            lambda v: v.state != "done" or v.service_center_id != self.partner_id
        )
        if wrong:
            raise UserError(
                _(
                    "Visits %(visits)s are no longer finished jobs of %(center)s: compute the "
                    "settlement again.",
                    visits=", ".join(wrong.mapped("name")),
                    center=self.partner_id.display_name,
                )
            )
        paid = (
            self.env["aftersales.settlement.line"]
            .sudo()
            .search(
                [
                    ("visit_id", "in", visits.ids),
                    ("settlement_id", "!=", self.id),
                    ("settlement_id.state", "=", "approved"),
                    ("is_rejected", "=", False),
                ]
            )
        )
        if paid:
            raise UserError(
                _(
                    "Visits %(visits)s are already paid in %(settlements)s.",
                    visits=", ".join(paid.visit_id.mapped("name")),
                    settlements=", ".join(paid.settlement_id.mapped("name")),
                )
            )
        total = sum(self.line_ids.filtered(lambda line: not line.is_rejected).mapped("amount"))
        if self.currency_id.compare_amounts(total, self.amount_total):
            raise UserError(_("The total of %s changed: compute it again.", self.name))

    def _bill_line_values(self):
        """One bill line per kind of amount: job rates, labour hours, travel allowances,
        and one per reconciliation deducted."""
        self.ensure_one()
        accepted = self.line_ids.filtered(lambda line: not line.is_rejected)
        jobs = accepted.filtered(lambda line: line.kind == "job")
        month = self.date_from.strftime("%Y-%m")
        lines = []
        if jobs:
            lines.append(
                (
                    _("Job rates, %(count)s jobs, %(month)s", count=len(jobs), month=month),
                    self.amount_jobs,
                )
            )
            lines.append(
                (
                    _(
                        "Labour, %(hours).2f hours, %(month)s",
                        hours=sum(jobs.mapped("work_hours")),
                        month=month,
                    ),
                    self.amount_hours,
                )
            )
            lines.append((_("Travel allowances, %(month)s", month=month), self.amount_travel))
        for line in accepted.filtered(lambda line: line.kind == "deduction"):
            lines.append(
                (
                    _("Material charged: %s", line.reconciliation_id.name),
                    line.amount,
                )
            )
        return [(name, amount) for name, amount in lines if amount]

    def _create_vendor_bill(self):
        self.ensure_one()
        Move = self.env["account.move"].sudo().with_company(self.company_id)
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    *self.env["account.journal"]._check_company_domain(self.company_id),
                    ("type", "=", "purchase"),
                ],
                limit=1,
            )
        )
        if not journal:
            raise UserError(
                _("%s has no purchase journal: set up accounting first.", self.company_id.name)
            )
        return Move.create(
            {
                "move_type": "in_invoice",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "journal_id": journal.id,
                "invoice_origin": self.name,
                "ref": self.name,
                "invoice_date": self.date_to,
                "invoice_line_ids": [
                    Command.create(
                        {"name": name, "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                    for name, amount in self._bill_line_values()
                ],
            }
        )

    def action_refuse(self, reason):
        reason = self._aftersales_require_reason(reason, _("refusing a settlement"))
        self._aftersales_check_role("manager", _("refuse settlements"))
        self._aftersales_lock()
        self._check_state(["to_approve"], _("refused"))
        for settlement in self:
            settlement._approval_decide("refused", refuse_reason=reason)
            settlement.message_post(body=_("Refused: %s", reason))
        return True

    def action_refuse_with_reason(self):
        return self.action_refuse(self.refuse_reason)

    def action_reset_draft(self):
        """A refused settlement goes back to customer service to be corrected."""
        self._aftersales_check_role("user", _("reset settlements to draft"))
        self._aftersales_lock()
        self._check_state(["refused"], _("reset to draft"))
        self._transition(
            {
                "state": "draft",
                "decided_by_id": False,
                "date_decided": False,
                "submitted_by_id": False,
                "date_submitted": False,
            }
        )
        return True

    def action_view_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "agreement_id",
            "date_computed",
            "submitted_by_id",
            "date_submitted",
            "move_id",
        }

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {"line_ids", "note"}
        writable["manager"] |= {"refuse_reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _aftersales_locked_writable_fields(self):
        # The manager's reason is typed in before refusing.
        return {"note", "refuse_reason"} if self.state == "to_approve" else {"note"}
