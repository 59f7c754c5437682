from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class AftersalesPartRequest(models.Model):
    """A technician asks for parts for a ticket or to restock the van; once approved within
    the approver's limit, an Odoo internal transfer brings them from the warehouse to the
    van, and the receipt in the van closes the request."""

    _name = "aftersales.part.request"
    _description = "Parts Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.approval.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, default="/")
    state = fields.Selection(selection_add=[("done", "Received")], ondelete={"done": "set default"})
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    employee_id = fields.Many2one(
        "hr.employee",
        string="Technician",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
        domain="[('user_id', '!=', False)]",
        tracking=True,
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        index="btree_not_null",
        check_company=True,
        help="The ticket the parts are for; empty to restock the van.",
    )
    reason = fields.Text(help="What the parts are for.")
    refuse_reason = fields.Text()
    line_ids = fields.One2many("aftersales.part.request.line", "request_id", string="Parts")
    location_id = fields.Many2one(
        "stock.location",
        string="From",
        compute="_compute_locations",
        store=True,
        help="The warehouse stock the parts leave.",
    )
    location_dest_id = fields.Many2one(
        "stock.location",
        string="To Van",
        compute="_compute_locations",
        store=True,
        help="The technician's van stock.",
    )
    amount_total = fields.Monetary(
        string="Value",
        compute="_compute_amount_total",
        store=True,
        help="The parts at their cost: what the approver's limit is compared with.",
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)
    date_received = fields.Datetime(readonly=True, copy=False)

    @api.depends("company_id", "employee_id")
    def _compute_locations(self):
        for request in self:
            warehouse = request._warehouse()
            request.location_id = warehouse.lot_stock_id
            request.location_dest_id = request.employee_id.sudo().aftersales_location_id

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("amount"))

    def _warehouse(self):
        self.ensure_one()
        return (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )

    @api.constrains("employee_id")
    def _check_van(self):
        for request in self:
            if not request.location_dest_id:
                raise ValidationError(
                    _(
                        "%s has no service van stock: set it on the employee before asking "
                        "for parts.",
                        request.employee_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        for request in requests:
            sequence = request.company_id._aftersales_sequence("aftersales.part.request")
            request.sudo().name = sequence.next_by_id()
            if request.ticket_id:
                request.ticket_id.message_post(
                    body=_("Parts request %s for this ticket.", request.name)
                )
        return requests

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------

    def action_approve(self):
        """Approve within the user's limit and send the parts to the van; above the limit
        the request goes to the managers."""
        limit = self._approval_limit(_("approve parts requests"))
        is_manager = self._aftersales_has_role("manager")
        self._approval_lock()
        for request in self:
            request._check_ready()
            if not is_manager and request.amount_total > limit:
                request._approval_escalate(_("Approve a parts request above the limit"))
                request.message_post(
                    body=_(
                        "Parts worth %(amount)s are above %(user)s's limit (%(limit)s): "
                        "sent to the managers.",
                        amount=request.currency_id.format(request.amount_total),
                        user=self.env.user.name,
                        limit=request.currency_id.format(limit),
                    )
                )
                continue
            request._approval_decide("approved")
            request._create_transfer()
        return True

    def action_refuse(self, reason):
        reason = self._aftersales_require_reason(reason, _("refusing a parts request"))
        self._approval_limit(_("refuse parts requests"))
        self._approval_lock()
        for request in self:
            request._approval_decide("refused", refuse_reason=reason)
            request.message_post(body=_("Refused: %s", reason))
        return True

    def action_refuse_with_reason(self):
        return self.action_refuse(self.refuse_reason)

    def _check_lines_open(self):
        for request in self:
            if request.sudo()._aftersales_is_locked():
                raise UserError(
                    _("Parts request %s is decided: its parts can no longer change.", request.name)
                )

    def _check_ready(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(_("Parts request %s asks for no part.", self.name))
        van = self.location_dest_id
        source = self.location_id
        if not source:
            raise UserError(_("%s has no warehouse to send parts from.", self.company_id.name))
        if van == source or van.parent_path.startswith(source.parent_path):
            # Odoo reserves from a location and everything inside it: parts would be taken
            # from the vans themselves.
            raise UserError(
                _(
                    "Van stock %(van)s is inside %(stock)s: move it out of the warehouse stock "
                    "(for instance under %(warehouse)s) so parts are not taken from vans.",
                    van=van.display_name,
                    stock=source.display_name,
                    warehouse=source.warehouse_id.view_location_id.display_name,
                )
            )

    def _create_transfer(self):
        """The internal transfer warehouse -> van, confirmed and reserved."""
        self.ensure_one()
        warehouse = self._warehouse()
        picking_type = warehouse.int_type_id
        Picking = self.env["stock.picking"].sudo()
        picking = Picking.create(
            {
                "picking_type_id": picking_type.id,
                "location_id": self.location_id.id,
                "location_dest_id": self.location_dest_id.id,
                "company_id": self.company_id.id,
                "origin": self.name,
                "aftersales_ticket_id": self.ticket_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.quantity,
                            "product_uom": line.product_id.uom_id.id,
                            "location_id": self.location_id.id,
                            "location_dest_id": self.location_dest_id.id,
                            "company_id": self.company_id.id,
                        }
                    )
                    for line in self.line_ids
                ],
            }
        )
        # Internal transfers reserve at confirmation (reservation method "at confirm"):
        # no second pass over the moves.
        picking.action_confirm()
        if (
            picking.state != "assigned"
            and picking.picking_type_id.reservation_method != "at_confirm"
        ):
            picking.action_assign()
        self.sudo().picking_id = picking
        self.message_post(
            body=_(
                "Approved by %(user)s: transfer %(picking)s brings the parts to %(van)s.",
                user=self.env.user.name,
                picking=picking.name,
                van=self.location_dest_id.display_name,
            )
        )

    # ------------------------------------------------------------------
    # Receipt in the van
    # ------------------------------------------------------------------

    def action_receive(self):
        """The technician (or customer service for him) confirms the parts are in the van:
        the transfer is validated for what was asked."""
        for request in self:
            request._aftersales_check_assignee_or("user", _("receive parts in the van"))
            if request.state != "approved" or not request.picking_id:
                raise UserError(
                    _("Parts request %s is not on its way to the van.", request.display_name)
                )
            picking = request.picking_id.sudo()
            if picking.state == "done":
                continue
            if picking.state != "assigned":
                picking.action_assign()
            short = picking.move_ids.filtered(
                lambda m: (
                    float_compare(
                        m.quantity, m.product_uom_qty, precision_rounding=m.product_uom.rounding
                    )
                    < 0
                )
            )
            if short:
                raise UserError(
                    _(
                        "The warehouse does not hold all the parts of %(request)s yet: %(parts)s.",
                        request=request.name,
                        parts=", ".join(
                            f"{move.product_id.display_name} ({move.quantity:g}/"
                            f"{move.product_uom_qty:g})"
                            for move in short
                        ),
                    )
                )
            picking.move_ids.picked = True
            picking.with_context(aftersales_part_request_receiver=self.env.user.id)._action_done()
        return True

    def _close_received(self):
        """Called when the transfer is done, from the van or from the Inventory app."""
        for request in self.filtered(lambda r: r.state == "approved"):
            request.sudo().write({"state": "done", "date_received": fields.Datetime.now()})
            request.message_post(
                body=_(
                    "Parts received in %(van)s (transfer %(picking)s).",
                    van=request.location_dest_id.display_name,
                    picking=request.picking_id.name,
                )
            )

    @api.model
    def action_restock_vans(self):
        """One request per van whose reordering rules lack parts (list button)."""
        self._aftersales_check_role("user", _("restock vans"))
        vans = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("aftersales_location_id", "!=", False),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        )
        requests = self.browse()
        for employee in vans:
            lines = employee._aftersales_restock_lines()
            if lines:
                requests |= self.create(
                    {
                        "employee_id": employee.id,
                        "company_id": employee.company_id.id,
                        "reason": _("Restock the van to its reordering rules."),
                        "line_ids": lines,
                    }
                )
        if not requests:
            raise UserError(_("Every van holds at least the minimum of every part."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Restock Requests"),
            "res_model": self._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", requests.ids)],
        }

    def action_propose_van_rules(self):
        """Form button: the technician's van min/max from consumption."""
        self.ensure_one()
        return self.employee_id.action_aftersales_propose_van_rules()

    def action_view_picking(self):
        self.ensure_one()
        self._aftersales_check_role("user", _("open stock transfers"))
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"name", "picking_id", "date_received"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"employee_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"ticket_id", "reason", "line_ids"}
        writable["user"] |= {"refuse_reason"}
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state not in ("to_approve", "escalated")

    def _aftersales_locked_writable_fields(self):
        return set()

    def _aftersales_assignee_users(self):
        return self.employee_id.user_id
