import uuid
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

WARRANTY_STATES = [
    ("pending", "Pending Acceptance"),
    ("active", "Active"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
    ("void", "Void"),
]


class AftersalesWarranty(models.Model):
    _name = "aftersales.warranty"
    _description = "Warranty Registration"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    # Given at creation: the portal's lists stay read-only (database replicas).
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
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
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Customer Entity"
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True, tracking=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    sale_order_id = fields.Many2one(
        "sale.order", index="btree_not_null", check_company=True, tracking=True
    )
    # Internal traceability: not for the customer's eyes on the portal.
    sale_line_id = fields.Many2one(
        "sale.order.line", index="btree_not_null", check_company=True, groups="base.group_user"
    )
    salesperson_id = fields.Many2one(
        related="sale_order_id.user_id", string="Salesperson", groups="base.group_user"
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null", groups="base.group_user"
    )
    move_id = fields.Many2one(
        "stock.move", string="Delivery Move", index="btree_not_null", groups="base.group_user"
    )
    rule_id = fields.Many2one(
        "aftersales.warranty.rule",
        string="Warranty Rule",
        required=True,
        check_company=True,
        compute="_compute_rule_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    start_basis = fields.Selection(related="rule_id.start_basis")
    cover_parts = fields.Boolean(related="rule_id.cover_parts", string="Parts")
    cover_labor = fields.Boolean(related="rule_id.cover_labor", string="Labour")
    cover_travel = fields.Boolean(related="rule_id.cover_travel", string="Travel")
    exclusions = fields.Text(related="rule_id.exclusions")
    date_delivered = fields.Date(string="Delivered On")
    date_start = fields.Date(
        tracking=True, help="Empty while the start basis (invoice, installation) has not happened."
    )
    date_end_base = fields.Date(
        string="End of Standard Warranty", compute="_compute_date_end", store=True
    )
    date_end = fields.Date(
        string="End Date", compute="_compute_date_end", store=True, index=True, tracking=True
    )
    extension_ids = fields.One2many(
        "aftersales.warranty.extension", "warranty_id", string="Extensions"
    )
    is_void = fields.Boolean(string="Void", readonly=True, copy=False, index=True, tracking=True)
    void_reason = fields.Char(readonly=True, copy=False)
    date_reminded = fields.Date(
        string="Expiry Reminder Sent",
        readonly=True,
        groups="base.group_user",
        copy=False,
        help="Set when the expiry reminder went out; each registration is reminded once.",
    )
    state = fields.Selection(
        WARRANTY_STATES, compute="_compute_state", search="_search_state", string="Status"
    )
    ticket_ids = fields.One2many("aftersales.ticket", "warranty_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_access_url(self):
        for warranty in self:
            warranty.access_url = f"/my/warranties/{warranty.id}/certificate"

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Warranty %s", self.lot_id.name or self.name)

    @api.depends("product_id", "company_id")
    def _compute_rule_id(self):
        # A registration made by hand gets the product's rule in force.
        for warranty in self.filtered(lambda w: w.product_id and not w.rule_id):
            rules = self.env["aftersales.warranty.rule"]._get_rules_for_products(
                warranty.product_id, warranty.company_id or self.env.company
            )
            warranty.rule_id = rules[warranty.product_id]

    @api.depends("date_start", "rule_id.duration", "rule_id.duration_unit", "extension_ids.months")
    def _compute_date_end(self):
        for warranty in self:
            if not (warranty.date_start and warranty.rule_id):
                warranty.date_end_base = warranty.date_end = False
                continue
            warranty.date_end_base = warranty.rule_id._date_end(warranty.date_start)
            months = sum(warranty.extension_ids.mapped("months"))
            warranty.date_end = warranty.date_end_base + relativedelta(months=months)

    @api.depends("is_void", "date_start", "date_end")
    @api.depends_context("date")
    def _compute_state(self):
        today = self._today()
        for warranty in self:
            warranty.state = warranty._state_on(today)

    def _state_on(self, day):
        self.ensure_one()
        if self.is_void:
            return "void"
        if not self.date_start:
            return "pending"
        if day > self.date_end:
            return "expired"
        if day >= self._reminder_date():
            return "expiring"
        return "active"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on the warranty status."))
        states = [value] if isinstance(value, str) else list(value)
        today = self._today()
        window_start = today + relativedelta(months=self._reminder_months())
        domains = {
            "void": [("is_void", "=", True)],
            "pending": [("is_void", "=", False), ("date_start", "=", False)],
            "expired": [("is_void", "=", False), ("date_end", "<", today)],
            "expiring": [
                ("is_void", "=", False),
                ("date_end", ">=", today),
                ("date_end", "<=", window_start),
            ],
            "active": [("is_void", "=", False), ("date_end", ">", window_start)],
        }
        domain = ["|"] * (len(states) - 1)
        for state in states:
            domain += ["&"] * (len(domains[state]) - 1) + domains[state]
        if operator in ("!=", "not in"):
            domain = ["!", *domain] if domain else []
        return domain or [(0, "=", 1)]

    def _compute_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("warranty_id", "in", self.ids)], ["warranty_id"], ["__count"]
            )
        )
        for warranty in self:
            warranty.ticket_count = counts.get(warranty, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for warranty in self:
            warranty.sudo().lot_id._aftersales_check_product(warranty.product_id)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for warranty in self:
            if (
                warranty.date_start
                and warranty.date_end
                and warranty.date_end < warranty.date_start
            ):
                raise ValidationError(_("Warranty %s cannot end before it starts.", warranty.name))

    @api.constrains("lot_id", "company_id", "is_void")
    def _check_one_active_per_serial(self):
        lots = self.filtered(lambda w: w.lot_id and not w.is_void).lot_id
        if not lots:
            return
        groups = self._read_group(
            [("lot_id", "in", lots.ids), ("is_void", "=", False)],
            ["lot_id", "company_id"],
            ["__count"],
        )
        for lot, _company, count in groups:
            if count > 1:
                raise ValidationError(
                    _(
                        "Serial number %s already has a warranty registration. Void it before "
                        "registering the serial again.",
                        lot.name,
                    )
                )

    def init(self):
        # Backs the constraint above against concurrent deliveries.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_warranty_one_active_per_lot
            ON aftersales_warranty (lot_id, company_id)
            WHERE lot_id IS NOT NULL AND NOT COALESCE(is_void, false)
            """
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_serials_free(vals_list)
        unnamed = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                unnamed[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, company_vals in unnamed.items():
            names = (
                self.env["res.company"]
                .browse(company_id)
                ._aftersales_next_references("aftersales.warranty", len(company_vals))
            )
            for vals, name in zip(company_vals, names, strict=True):
                vals["name"] = name
        warranties = super().create(vals_list)
        warranties._refresh_tickets()
        return warranties

    def write(self, vals):
        if vals.get("lot_id") or vals.get("is_void") is False:
            self._check_serials_free(
                [
                    {
                        "lot_id": vals.get("lot_id", warranty.lot_id.id),
                        "company_id": vals.get("company_id", warranty.company_id.id),
                        "is_void": vals.get("is_void", warranty.is_void),
                    }
                    for warranty in self
                ],
                exclude=self,
            )
        return super().write(vals)

    def _check_serials_free(self, vals_list, exclude=None):
        """Clear error before the unique index refuses a second registration."""
        keys = [
            (vals["lot_id"], vals.get("company_id") or self.env.company.id)
            for vals in vals_list
            if vals.get("lot_id") and not vals.get("is_void")
        ]
        if not keys:
            return
        taken = self.sudo().search(
            [
                ("lot_id", "in", [lot_id for lot_id, _company in keys]),
                ("is_void", "=", False),
                ("id", "not in", exclude.ids if exclude else []),
            ]
        )
        taken_keys = {(w.lot_id.id, w.company_id.id): w for w in taken}
        seen = set()
        for key in keys:
            if key in taken_keys or key in seen:
                lot = self.env["stock.lot"].sudo().browse(key[0])
                raise ValidationError(
                    _(
                        "Serial number %s already has a warranty registration. Void it before "
                        "registering the serial again.",
                        lot.name,
                    )
                )
            seen.add(key)

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # Voiding, installation acceptance, extensions and reminders are methods.
        return super()._aftersales_method_fields() | {
            "is_void",
            "void_reason",
            "date_reminded",
            "extension_ids",
            "ticket_ids",
        }

    def _aftersales_create_only_fields(self):
        # A registration is what was delivered: to correct it, void it and register again.
        return super()._aftersales_create_only_fields() | {
            "name",
            "partner_id",
            "product_id",
            "lot_id",
            "quantity",
            "sale_order_id",
            "sale_line_id",
            "picking_id",
            "move_id",
            "rule_id",
            "date_delivered",
            "date_start",
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_accept_installation(self, date=None):
        """Start warranties that wait for the installation acceptance."""
        self._aftersales_check_role("user", _("accept installations"))
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        for warranty in self:
            if warranty.is_void or warranty.start_basis != "installation" or warranty.date_start:
                raise UserError(
                    _(
                        "Warranty %s is not waiting for an installation acceptance.",
                        warranty.name,
                    )
                )
            if warranty.date_delivered and date < warranty.date_delivered:
                raise UserError(
                    _(
                        "The installation of %(warranty)s cannot be accepted before its delivery "
                        "on %(date)s.",
                        warranty=warranty.name,
                        date=warranty.date_delivered,
                    )
                )
        self._aftersales_method_write({"date_start": date})
        self._refresh_tickets()
        return True

    def action_void(self, reason):
        self._aftersales_check_role("user", _("void warranties"))
        reason = self._aftersales_require_reason(reason, _("voiding a warranty"))
        already = self.filtered("is_void")
        if already:
            raise UserError(_("Warranty %s is already void.", ", ".join(already.mapped("name"))))
        self._aftersales_method_write({"is_void": True, "void_reason": reason})
        for warranty in self:
            warranty.message_post(body=_("Voided: %s", reason))
        self._refresh_tickets()
        return True

    def action_extend(self, months, sale_line=None):
        """Add ``months`` to each registration (extended warranty sold)."""
        # The sale flow extends with sudo after its own checks; by hand it is a manager's.
        self._aftersales_check_role("manager", _("extend warranties without a sale"))
        if not isinstance(months, int) or not 0 < months <= 120:
            raise UserError(_("An extension adds one month to ten years (120 months)."))
        today = self._today()
        for warranty in self:
            state = warranty._state_on(today)
            if state in ("void", "expired"):
                raise UserError(
                    _(
                        "Warranty %(warranty)s is %(state)s and cannot be extended.",
                        warranty=warranty.name,
                        state=dict(WARRANTY_STATES)[state].lower(),
                    )
                )
        self.check_access("write")
        self.env["aftersales.warranty.extension"].sudo().create(
            [
                {
                    "warranty_id": warranty.id,
                    "months": months,
                    "sale_line_id": sale_line.id if sale_line else False,
                }
                for warranty in self
            ]
        )
        self._refresh_tickets()
        return True

    def action_open_void_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Void Warranty"),
            "res_model": "aftersales.warranty.void",
            "view_mode": "form",
            "target": "new",
            "context": {"default_warranty_ids": self.ids},
        }

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_view_tickets(
            [("warranty_id", "=", self.id)],
            {"default_partner_id": self.partner_id.id, "default_lot_id": self.lot_id.id},
        )

    @api.model
    def _action_view_warranties(self, domain):
        return self.env["aftersales.ticket"]._window_action(
            "aftersales_service.action_aftersales_warranty", domain, {"create": False}
        )

    def action_print_certificate(self):
        return self.env.ref("aftersales_service.action_report_warranty_certificate").report_action(
            self
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _today(self):
        return fields.Date.to_date(self.env.context.get("date")) or fields.Date.context_today(self)

    def _reminder_months(self):
        return self.env.company.aftersales_warranty_reminder_months

    def _reminder_date(self):
        self.ensure_one()
        months = self.company_id.aftersales_warranty_reminder_months
        return self.date_end - relativedelta(months=months)

    def _covers(self, day):
        """Whether this registration covers a problem reported on ``day``."""
        self.ensure_one()
        if self.is_void:
            return False
        if not self.date_start:
            return True  # waiting for its start (installation, invoice): brand new
        return self.date_start <= day <= self.date_end

    def _refresh_tickets(self):
        """Tickets about these products re-check their warranty."""
        Ticket = self.env["aftersales.ticket"].sudo()
        tickets = Ticket.search(
            [
                "|",
                "|",
                ("warranty_id", "in", self.ids),
                ("lot_id", "in", self.lot_id.ids),
                "&",
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("product_id", "in", self.filtered(lambda w: not w.lot_id).product_id.ids),
            ]
        )
        for fname in ("warranty_id", "warranty_state"):
            self.env.add_to_compute(Ticket._fields[fname], tickets)

    @api.model
    def _find_for_tickets(self, tickets):
        """Registrations per ticket id: by serial, else by customer and untracked product."""
        lots = tickets.lot_id
        partners = tickets.commercial_partner_id
        products = tickets.filtered(lambda t: not t.lot_id).product_id
        if not lots and not (partners and products):
            return {}
        domain = [("lot_id", "in", lots.ids)]
        if partners and products:
            domain = [
                "|",
                *domain,
                "&",
                "&",
                ("lot_id", "=", False),
                ("commercial_partner_id", "in", partners.ids),
                ("product_id", "in", products.ids),
            ]
        registrations = self.search(domain, order="is_void, date_end desc, id desc")
        result = {}
        for ticket in tickets:
            if ticket.lot_id:
                mine = registrations.filtered(lambda w, t=ticket: w.lot_id == t.lot_id)
            else:
                mine = registrations.filtered(
                    lambda w, t=ticket: (
                        not w.lot_id
                        and w.commercial_partner_id == t.commercial_partner_id
                        and w.product_id == t.product_id
                    )
                )
            result[ticket._origin.id or ticket.id] = mine.filtered(
                lambda w, t=ticket: w.company_id == t.company_id
            )
        return result

    @api.model
    def _register_deliveries(self, moves):
        """Create registrations for customer deliveries, in batch."""
        moves = moves.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
            )
        )
        if not moves:
            return self.browse()
        rules_by_company = {
            company: self.env["aftersales.warranty.rule"]
            .sudo()
            .with_company(company)
            ._get_rules_for_products(
                moves.filtered(lambda m, c=company: m.company_id == c).product_id, company
            )
            for company in moves.company_id
        }
        lots = moves.move_line_ids.lot_id
        existing = (
            self.sudo().search([("lot_id", "in", lots.ids), ("is_void", "=", False)])
            if lots
            else self.browse()
        )
        existing_by_lot = {(w.lot_id.id, w.company_id.id): w for w in existing}
        vals_list, to_void = [], self.browse()
        for move in moves:
            rule = rules_by_company[move.company_id].get(move.product_id)
            if not rule:
                continue
            partner = (
                move.picking_id.partner_id
                or move.partner_id
                or move.sale_line_id.order_id.partner_id
            )
            if not partner:
                continue
            delivered = fields.Date.context_today(self, move.date)
            base = {
                "company_id": move.company_id.id,
                "partner_id": partner.id,
                "product_id": move.product_id.id,
                "sale_line_id": move.sale_line_id.id,
                "sale_order_id": move.sale_line_id.order_id.id,
                "picking_id": move.picking_id.id,
                "move_id": move.id,
                "rule_id": rule.id,
                "date_delivered": delivered,
                "date_start": delivered if rule.start_basis == "delivery" else False,
            }
            if move.has_tracking == "serial":
                for line in move.move_line_ids.filtered("lot_id"):
                    current = existing_by_lot.get((line.lot_id.id, move.company_id.id))
                    if current and current.commercial_partner_id == partner.commercial_partner_id:
                        continue  # back from a repair: the warranty goes on
                    if current:
                        to_void |= current
                    vals_list.append({**base, "lot_id": line.lot_id.id, "quantity": 1.0})
            else:
                vals_list.append({**base, "quantity": move.quantity})
        if to_void:
            to_void.sudo().action_void(_("The serial was delivered to another customer."))
        warranties = (
            self.sudo()
            .with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
            )
            .create(vals_list)
        )
        warranties._apply_sold_extensions()
        return warranties.with_env(self.env)

    @api.model
    def _void_returns(self, moves):
        """A customer return (Odoo's return flow) voids the returned units' warranty."""
        returns = moves.filtered(
            lambda m: (
                m.state == "done"
                and m.origin_returned_move_id
                and m.location_id.usage == "customer"
            )
        )
        if not returns:
            return
        warranties = self.sudo().search(
            [("move_id", "in", returns.origin_returned_move_id.ids), ("is_void", "=", False)]
        )
        for move in returns:
            mine = warranties.filtered(lambda w, m=move: w.move_id == m.origin_returned_move_id)
            serial = mine.filtered(lambda w, m=move: w.lot_id in m.move_line_ids.lot_id)
            if serial:
                serial.action_void(_("Returned by the customer (%s).", move.picking_id.name))
            for untracked in mine.filtered(lambda w: not w.lot_id):
                remaining = untracked.quantity - move.quantity
                if remaining > 0:
                    untracked.quantity = remaining
                    untracked.message_post(
                        body=_(
                            "%(qty)s returned (%(picking)s).",
                            qty=move.quantity,
                            picking=move.picking_id.name,
                        )
                    )
                else:
                    untracked.action_void(_("Returned by the customer (%s).", move.picking_id.name))

    def _apply_sold_extensions(self):
        """Extended warranties sold on the same orders as these registrations."""
        lines = self.sale_order_id.order_line.filtered(
            lambda line: (
                line.product_id.aftersales_is_extended_warranty and line.order_id.state == "sale"
            )
        )
        lines._aftersales_apply_extension()

    @api.model
    def _cron_send_expiry_reminders(self):
        """Once per registration: an activity for the salesperson and a mail to the customer."""
        template = self.env.ref(
            "aftersales_service.mail_template_warranty_expiring", raise_if_not_found=False
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        pending = [
            ("is_void", "=", False),
            ("date_reminded", "=", False),
            ("date_end", ">=", fields.Date.today() - relativedelta(days=1)),
        ]
        for (company,) in self._read_group(pending, ["company_id"]):
            today = fields.Date.context_today(self.with_company(company))
            window_end = today + relativedelta(months=company.aftersales_warranty_reminder_months)
            due = self.search(
                [
                    ("company_id", "=", company.id),
                    ("is_void", "=", False),
                    ("date_reminded", "=", False),
                    ("date_end", ">=", today),
                    ("date_end", "<=", window_end),
                ]
            )
            fallback = company._aftersales_warranty_responsible()
            for warranty in due:
                responsible = warranty.sale_order_id.user_id or fallback
                if responsible:
                    warranty.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=_("Offer a warranty extension"),
                        note=_(
                            "The warranty of %(product)s %(serial)s for %(customer)s "
                            "ends on %(date)s.",
                            product=warranty.product_id.display_name,
                            serial=warranty.lot_id.name or "",
                            customer=warranty.partner_id.display_name,
                            date=warranty.date_end,
                        ),
                        user_id=responsible.id,
                    )
                if template and warranty.partner_id.email:
                    warranty.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
                warranty.date_reminded = today
        return True
