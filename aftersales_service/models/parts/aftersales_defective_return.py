from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

OUTCOMES = [
    ("supplier_claim", "Claim From the Supplier"),
    ("refurbish", "Refurbish"),
    ("scrap", "Scrap"),
]


class AftersalesDefectiveReturn(models.Model):
    """The broken part that comes out when a part is replaced (旧件): expected back from the
    technician, moved by real stock moves customer site -> van -> Defective Parts, then
    inspected with an outcome."""

    _name = "aftersales.defective.return"
    _description = "Defective Part Return"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date_due, id"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    visit_id = fields.Many2one("aftersales.visit", index="btree_not_null", check_company=True)
    repair_id = fields.Many2one("repair.order", index="btree_not_null")
    employee_id = fields.Many2one(
        "hr.employee",
        string="Technician",
        index=True,
        check_company=True,
        help="Who brings the removed part back.",
    )
    product_id = fields.Many2one("product.product", string="Part", required=True)
    tracking = fields.Selection(related="product_id.tracking")
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    consumption_move_id = fields.Many2one(
        "stock.move", string="Replacement Move", help="The move that took the new part out."
    )
    installed_lot_id = fields.Many2one(
        "stock.lot", string="New Part's Serial", help="The serial of the part put in."
    )
    removed_serial = fields.Char(
        string="Removed Part's Serial", help="The serial on the broken part, when it has one."
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Removed Lot/Serial", readonly=True, copy=False, index="btree_not_null"
    )
    note = fields.Text(string="Technician's Note")
    state = fields.Selection(
        [("expected", "Expected"), ("received", "Received"), ("inspected", "Inspected")],
        default="expected",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_due = fields.Date(string="Due", readonly=True, index=True)
    date_received = fields.Datetime(readonly=True, copy=False)
    date_inspected = fields.Datetime(readonly=True, copy=False)
    received_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        copy=False,
        index=True,
        help="Not back by the due date: stays set once flagged, for the scorecard.",
    )
    outcome = fields.Selection(OUTCOMES, tracking=True)
    inspection_note = fields.Text()
    liability = fields.Selection(related="ticket_id.liability")
    move_ids = fields.One2many(
        "stock.move", "aftersales_defective_return_id", string="Stock Moves", readonly=True
    )
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)
    supplier_claim_id = fields.Many2one("aftersales.supplier.claim", readonly=True, copy=False)

    @api.constrains("quantity")
    def _check_quantity(self):
        for defective in self:
            if defective.quantity <= 0:
                raise ValidationError(_("A defective part return is a positive quantity."))

    @api.model_create_multi
    def create(self, vals_list):
        returns = super().create(vals_list)
        for defective in returns:
            company = defective.company_id
            sequence = company._aftersales_sequence("aftersales.defective.return")
            values = {"name": sequence.next_by_id()}
            if not defective.date_due:
                values["date_due"] = self._today() + timedelta(
                    days=company.aftersales_defective_return_days
                )
            defective.sudo().write(values)
        return returns

    @api.model
    def _today(self):
        """Today in the zone the KPI periods count in (the company's for a user without
        one): a return is due on the same day whoever's action created it."""
        return self.env["aftersales.kpi.report"]._aftersales_today()

    def write(self, vals):
        if "removed_serial" in vals and self.filtered(lambda r: r.state != "expected"):
            raise UserError(_("The removed part is back: its serial can no longer change."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # From the parts replaced
    # ------------------------------------------------------------------

    @api.model
    def _expect_from_repairs(self, repairs):
        """One expected return per part a ticket's repair put in."""
        values = []
        for repair in repairs.filtered("aftersales_ticket_id"):
            ticket = repair.aftersales_ticket_id
            visit = repair.aftersales_visit_id
            # The technician whose van the part left, else the visit's or ticket's one.
            technicians = visit.sudo().technician_ids
            employee = (
                technicians.filtered("aftersales_location_id")[:1]
                or technicians[:1]
                or ticket.technician_id
            )
            for move in repair.move_ids.filtered(
                lambda m: (
                    m.repair_line_type == "add" and m.state == "done" and m.product_id.is_storable
                )
            ):
                lots = move.move_line_ids.lot_id
                for lot in lots or [self.env["stock.lot"]]:
                    quantity = (
                        sum(
                            move.move_line_ids.filtered(
                                lambda ml, lot=lot: ml.lot_id == lot
                            ).mapped("quantity")
                        )
                        if lot
                        else move.quantity
                    )
                    values.append(
                        {
                            "ticket_id": ticket.id,
                            "visit_id": visit.id,
                            "repair_id": repair.id,
                            "employee_id": employee.id,
                            "product_id": move.product_id.id,
                            "quantity": quantity,
                            "consumption_move_id": move.id,
                            "installed_lot_id": lot.id,
                        }
                    )
        return self.sudo().create(values)

    # ------------------------------------------------------------------
    # Receipt and inspection
    # ------------------------------------------------------------------

    def action_receive(self):
        """Customer service takes the removed part in: it moves from the customer's site
        through the technician's van to the Defective Parts location."""
        self._aftersales_check_role("user", _("receive defective parts"))
        self.check_access("write")
        for defective in self:
            if defective.state != "expected":
                raise UserError(_("%s was already received.", defective.name))
            defective._move_in()
            values = {
                "state": "received",
                "date_received": fields.Datetime.now(),
                "received_by_id": self.env.user.id,
            }
            # The supplier is liable for the fault: the inspection starts from a claim.
            if not defective.outcome and defective.sudo().ticket_id.liability == "supplier":
                values["outcome"] = "supplier_claim"
            defective.sudo().write(values)
            defective.ticket_id.message_post(
                body=_(
                    "Defective %(part)s back from %(employee)s (%(return)s).",
                    part=defective.product_id.display_name,
                    employee=defective.employee_id.name or "-",
                    **{"return": defective.name},
                )
            )
        return True

    def _removed_lot(self):
        self.ensure_one()
        if self.product_id.tracking == "none":
            return self.env["stock.lot"]
        serial = (self.removed_serial or "").strip()
        if not serial:
            raise UserError(
                _(
                    "%(part)s is tracked by serial or lot: record the removed part's serial "
                    "on %(return)s before receiving it.",
                    part=self.product_id.display_name,
                    **{"return": self.name},
                )
            )
        if self.product_id.tracking == "serial" and self.quantity != 1:
            raise UserError(_("A serial number is one unit: %s is not.", self.name))
        Lot = self.env["stock.lot"].sudo()
        lot = Lot.search(
            [
                ("product_id", "=", self.product_id.id),
                ("name", "=", serial),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            limit=1,
        )
        return lot or Lot.create(
            {"product_id": self.product_id.id, "name": serial, "company_id": self.company_id.id}
        )

    def _collection_location(self):
        """Where the removed part goes on its way back: the technician's van."""
        self.ensure_one()
        return self.employee_id.sudo().aftersales_location_id

    def _move_in(self):
        self.ensure_one()
        lot = self._removed_lot()
        customer = self.env.ref("stock.stock_location_customers")
        van = self._collection_location()
        defective_location = self.company_id._aftersales_defective_location()
        legs = (
            [(customer, van), (van, defective_location)]
            if van
            else [(customer, defective_location)]
        )
        Move = self.env["stock.move"].sudo().with_context(aftersales_no_warranty_registration=True)
        for source, destination in legs:
            move = Move.create(
                {
                    "name": _(
                        "Defective %(part)s (%(return)s)",
                        part=self.product_id.display_name,
                        **{"return": self.name},
                    ),
                    "origin": self.name,
                    "product_id": self.product_id.id,
                    "product_uom_qty": self.quantity,
                    "product_uom": self.product_id.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id,
                    "partner_id": self.ticket_id.partner_id.id,
                    "aftersales_defective_return_id": self.id,
                }
            )
            move._action_confirm()
            move._aftersales_set_done_quantity(self.quantity, lot)
            move._action_done()
        self.sudo().lot_id = lot

    def action_inspect(self):
        """Record the inspection: the outcome decides where the part goes next."""
        self._aftersales_check_role("user", _("inspect defective parts"))
        self.check_access("write")
        for defective in self:
            if defective.state != "received":
                raise UserError(_("%s must be received before it is inspected.", defective.name))
            if not defective.outcome:
                raise UserError(_("Choose the outcome of the inspection of %s.", defective.name))
            values = {"state": "inspected", "date_inspected": fields.Datetime.now()}
            if defective.outcome == "scrap":
                values["scrap_id"] = defective._scrap().id
            defective.sudo().write(values)
            if defective.outcome == "supplier_claim":
                claim = (
                    self.env["aftersales.supplier.claim"]
                    .sudo()
                    .create({"defective_return_id": defective.id})
                )
                defective.sudo().supplier_claim_id = claim
                claim._aftersales_notify_managers()
        return True

    def _scrap(self):
        self.ensure_one()
        scrap = (
            self.env["stock.scrap"]
            .sudo()
            .with_context(aftersales_no_warranty_registration=True)
            .create(
                {
                    "product_id": self.product_id.id,
                    "scrap_qty": self.quantity,
                    "product_uom_id": self.product_id.uom_id.id,
                    "lot_id": self.lot_id.id,
                    "location_id": self.company_id._aftersales_defective_location().id,
                    "company_id": self.company_id.id,
                    "origin": self.name,
                }
            )
        )
        scrap.do_scrap()
        return scrap

    # ------------------------------------------------------------------
    # Overdue returns
    # ------------------------------------------------------------------

    @api.model
    def _cron_flag_overdue(self):
        """Flag returns not back by their due date; the company's rule for overdue returns
        raises a draft penalty on the technician."""
        today = self._today()
        late = self.search(
            [("state", "=", "expected"), ("is_overdue", "=", False), ("date_due", "<", today)]
        )
        late._flag_overdue()

    def _flag_overdue(self):
        rules = self.env["aftersales.penalty.rule"].sudo()._auto_rules("defective_overdue")
        Penalty = self.env["aftersales.penalty"].sudo()
        for defective in self:
            defective.sudo().is_overdue = True
            defective.message_post(
                body=_("Not back by %s: overdue.", fields.Date.to_string(defective.date_due))
            )
            rule = rules.filtered(lambda r, d=defective: r.company_id == d.company_id)[:1]
            if defective.employee_id:
                Penalty._raise_auto(
                    rule,
                    defective.employee_id,
                    defective.ticket_id,
                    visit=defective.visit_id or None,
                    reason=_(
                        "Defective part %(part)s of %(return)s not returned by %(date)s.",
                        part=defective.product_id.display_name,
                        date=fields.Date.to_string(defective.date_due),
                        **{"return": defective.name},
                    ),
                )

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "name",
            "state",
            "visit_id",
            "repair_id",
            "employee_id",
            "product_id",
            "quantity",
            "consumption_move_id",
            "installed_lot_id",
            "lot_id",
            "date_due",
            "date_received",
            "date_inspected",
            "received_by_id",
            "is_overdue",
            "move_ids",
            "scrap_id",
            "supplier_claim_id",
        }

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"ticket_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"removed_serial", "note"}
        writable["user"] |= {"outcome", "inspection_note"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state == "inspected"

    def _aftersales_assignee_users(self):
        return self.employee_id.user_id
