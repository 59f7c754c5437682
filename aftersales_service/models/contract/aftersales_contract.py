from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class AftersalesContract(models.Model):
    """A maintenance contract: covered serials or products of one customer, periodic
    preventive inspections planned ahead by a cron, and the contract's service levels on
    every ticket of the customer's covered units."""

    _name = "aftersales.contract"
    _description = "After-Sales Maintenance Contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, check_company=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives the renewal reminder.",
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Covered Serial Numbers",
        check_company=True,
        help="The units the contract covers. Empty: every unit of the covered products.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Covered Products",
        help="With no serial numbers listed, all the customer's units of these products.",
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    inspection_frequency = fields.Selection(
        [
            ("none", "No Inspection"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("yearly", "Yearly"),
        ],
        required=True,
        default="quarterly",
        tracking=True,
    )
    inspection_lead_days = fields.Integer(
        string="Plan Inspections (days ahead)",
        default=7,
        help="How many days before its date an inspection ticket is created.",
    )
    next_inspection_date = fields.Date(
        compute="_compute_next_inspection_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="The next preventive inspection the cron will plan.",
    )
    sla_policy_id = fields.Many2one(
        "aftersales.sla.policy",
        string="SLA Policy",
        check_company=True,
        help="Service levels promised by the contract: they apply to the customer's tickets "
        "about covered units.",
    )
    team_id = fields.Many2one("aftersales.team", check_company=True)
    technician_id = fields.Many2one(
        "hr.employee",
        check_company=True,
        help="Inspections are dispatched to this technician with a planned visit.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(currency_field="currency_id", tracking=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sold On", readonly=True, copy=False, index="btree_not_null"
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_reminded = fields.Date(string="Renewal Reminded On", readonly=True, copy=False)
    notes = fields.Html()
    ticket_ids = fields.One2many("aftersales.ticket", "contract_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts")
    inspection_count = fields.Integer(compute="_compute_ticket_counts")

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("date_start", "inspection_frequency")
    def _compute_next_inspection_date(self):
        for contract in self:
            if contract.inspection_frequency == "none":
                contract.next_inspection_date = False
            elif not contract.next_inspection_date or contract.state == "draft":
                contract.next_inspection_date = contract.date_start

    def _compute_ticket_counts(self):
        inspection = self.env.ref(
            "aftersales_service.category_preventive_inspection", raise_if_not_found=False
        )
        groups = self.env["aftersales.ticket"]._read_group(
            [("contract_id", "in", self.ids)], ["contract_id", "category_id"], ["__count"]
        )
        for contract in self:
            rows = [(category, count) for c, category, count in groups if c == contract]
            contract.ticket_count = sum(count for _category, count in rows)
            contract.inspection_count = sum(
                count for category, count in rows if inspection and category == inspection
            )

    @api.constrains("date_start", "date_end", "inspection_lead_days")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(_("Contract %s must end after it starts.", contract.name))
            if contract.inspection_lead_days < 0:
                raise ValidationError(_("Inspections cannot be planned after their date."))

    @api.constrains("price")
    def _check_price(self):
        for contract in self:
            if contract.price < 0:
                raise ValidationError(_("The price of a maintenance contract cannot be negative."))

    @api.constrains("lot_ids", "product_ids", "partner_id")
    def _check_coverage(self):
        for contract in self:
            foreign = contract.lot_ids - contract.partner_id._aftersales_owned_lots()
            if foreign:
                raise ValidationError(
                    _(
                        "%(serials)s were not delivered to %(customer)s: a contract covers "
                        "the customer's own units.",
                        serials=", ".join(foreign.mapped("name")),
                        customer=contract.partner_id.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        for contract in contracts:
            contract.sudo().name = contract.company_id._aftersales_next_reference(
                "aftersales.contract"
            )
        return contracts

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(contract.state not in ("draft", "cancelled") for contract in self):
            raise UserError(_("Cancel a contract instead of deleting it."))

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "name",
            "state",
            "date_reminded",
            "sale_line_id",
            "ticket_ids",
        }

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {
            "partner_id",
            "user_id",
            "lot_ids",
            "product_ids",
            "date_start",
            "date_end",
            "inspection_frequency",
            "inspection_lead_days",
            "next_inspection_date",
            "sla_policy_id",
            "team_id",
            "technician_id",
            "price",
            "notes",
        }
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state in ("expired", "cancelled")

    def _aftersales_locked_writable_fields(self):
        return {"notes"}

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        self._check_can_activate()
        self._aftersales_method_write({"state": "active"})
        self._apply_to_open_tickets()
        return True

    def _check_can_activate(self):
        """What activating needs, wherever a contract becomes active."""
        for contract in self:
            if contract.state != "draft":
                raise UserError(_("Only draft contracts can be activated."))
            if contract.date_end < fields.Date.context_today(contract):
                raise UserError(_("Contract %s has already ended.", contract.name))
            if not (contract.lot_ids or contract.product_ids):
                raise UserError(
                    _("Contract %s must cover serial numbers or products.", contract.name)
                )

    def action_cancel(self):
        self._aftersales_check_role("user", _("cancel maintenance contracts"))
        if any(contract.state == "cancelled" for contract in self):
            raise UserError(_("This contract is already cancelled."))
        self._aftersales_method_write({"state": "cancelled"})
        return True

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_view_tickets(
            [("contract_id", "=", self.id)],
            {"default_partner_id": self.partner_id.id, "default_contract_id": self.id},
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _covers(self, ticket):
        self.ensure_one()
        if ticket.commercial_partner_id != self.commercial_partner_id:
            return False
        if self.lot_ids:
            return ticket.lot_id in self.lot_ids
        return ticket.product_id in self.product_ids

    @api.model
    def _find_for_ticket(self, ticket):
        """The active contract covering the ticket's unit on the ticket's date."""
        if not ticket.commercial_partner_id:
            return self.browse()
        day = fields.Date.to_date(ticket.create_date or fields.Datetime.now())
        candidates = self.sudo().search(
            [
                ("company_id", "=", ticket.company_id.id),
                ("commercial_partner_id", "=", ticket.commercial_partner_id.id),
                ("state", "=", "active"),
                ("date_start", "<=", day),
                ("date_end", ">=", day),
            ],
            order="date_start desc, id desc",
        )
        return next((c for c in candidates if c._covers(ticket)), self.browse())

    def _apply_to_open_tickets(self):
        Ticket = self.env["aftersales.ticket"].sudo()
        for contract in self:
            tickets = Ticket.search(
                [
                    ("commercial_partner_id", "=", contract.commercial_partner_id.id),
                    ("contract_id", "=", False),
                    ("state", "in", ["new", "assigned"]),
                ]
            )
            tickets.filtered(contract._covers).write({"contract_id": contract.id})

    def _inspection_dates_due(self, until):
        """Inspection dates from next_inspection_date up to `until` and the contract end."""
        self.ensure_one()
        months = FREQUENCY_MONTHS.get(self.inspection_frequency)
        dates = []
        day = self.next_inspection_date
        while months and day and day <= until and day <= self.date_end:
            dates.append(day)
            day = day + relativedelta(months=months)
        return dates, day

    @api.model
    def _cron_plan_inspections(self):
        """Create the preventive inspection tickets due within each contract's lead time.

        Idempotent: a contract's inspection date is planned once (unique index), and the
        next date moves on once planned."""
        Ticket = self.env["aftersales.ticket"].sudo()
        category = self.env.ref("aftersales_service.category_preventive_inspection")
        created = Ticket.browse()
        today = fields.Date.context_today(self)
        for contract in self.sudo().search(
            [("state", "=", "active"), ("next_inspection_date", "!=", False)]
        ):
            dates, next_date = contract._inspection_dates_due(
                today + relativedelta(days=contract.inspection_lead_days)
            )
            for day in dates:
                if Ticket.search_count(
                    [("contract_id", "=", contract.id), ("contract_inspection_date", "=", day)]
                ):
                    continue
                created |= contract._create_inspection(day, category)
            if dates:
                contract.next_inspection_date = (
                    next_date if next_date <= contract.date_end else False
                )
        return created

    def _create_inspection(self, day, category):
        self.ensure_one()
        units = self.lot_ids.mapped("display_name") or self.product_ids.mapped("display_name")
        ticket = (
            self.env["aftersales.ticket"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "category_id": category.id,
                    "channel": "other",
                    "contract_id": self.id,
                    "contract_inspection_date": day,
                    "team_id": self.team_id.id,
                    "lot_id": self.lot_ids[:1].id if len(self.lot_ids) == 1 else False,
                    "product_id": self.lot_ids[:1].product_id.id
                    if len(self.lot_ids) == 1
                    else (self.product_ids[:1].id if len(self.product_ids) == 1 else False),
                    "description": Markup("<p>%s</p>")
                    % _(
                        "Preventive inspection of %(date)s under contract %(contract)s: %(units)s.",
                        date=day,
                        contract=self.name,
                        units=", ".join(units),
                    ),
                }
            )
        )
        if self.technician_id:
            # 09:00 where the technician works, stored in UTC.
            tz = pytz.timezone(self.technician_id.tz or self.env.user.tz or "UTC")
            start = tz.localize(datetime.combine(day, time(9))).astimezone(pytz.utc)
            start = start.replace(tzinfo=None)
            ticket.action_assign(self.technician_id, deadline=start + relativedelta(hours=8))
            self.env["aftersales.visit"].sudo().create(
                {
                    "ticket_id": ticket.id,
                    "technician_ids": [(6, 0, self.technician_id.ids)],
                    "scheduled_start": start,
                    "scheduled_end": start + relativedelta(hours=2),
                }
            )
        self.message_post(
            body=_("Inspection of %(date)s planned: %(ticket)s.", date=day, ticket=ticket.name)
        )
        return ticket

    @api.model
    def _cron_expire_and_remind(self):
        """Expire ended contracts; remind the responsible a month before the end (once)."""
        today = fields.Date.context_today(self)
        ended = self.sudo().search([("state", "=", "active"), ("date_end", "<", today)])
        ended.write({"state": "expired"})
        due = self.sudo().search(
            [
                ("state", "=", "active"),
                ("date_reminded", "=", False),
                ("date_end", "<=", today + relativedelta(days=30)),
            ]
        )
        for contract in due:
            user = contract.user_id or contract.company_id._aftersales_warranty_responsible()
            if user:
                contract.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Offer the renewal of contract %s", contract.name),
                    note=_(
                        "The maintenance contract of %(customer)s ends on %(date)s.",
                        customer=contract.partner_id.display_name,
                        date=contract.date_end,
                    ),
                    user_id=user.id,
                )
            contract.date_reminded = today
        return ended
