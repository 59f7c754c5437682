from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .aftersales_ticket import OPEN_STATES


# The ticket is large: what customer service checks while taking a call lives here.
class AftersalesTicketIntake(models.Model):
    """Checks at intake: whose serial it is, whether it already has an open ticket, and
    who is liable when a quality problem is resolved."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    duplicate_ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Open Tickets of the Serial",
        compute="_compute_duplicate_ticket_ids",
        help="Other open tickets about the same serial number: the customer may have "
        "called already.",
    )
    liability_required = fields.Boolean(related="category_id.quality_problem")

    @api.depends("lot_id", "state")
    @api.depends_context("uid")
    def _compute_duplicate_ticket_ids(self):
        open_tickets = self.filtered(lambda t: t.lot_id and t.state in OPEN_STATES)
        others = self.browse()
        if open_tickets:
            # Searched as the current user: what they may open from the banner.
            others = self.search(
                [("lot_id", "in", open_tickets.lot_id.ids), ("state", "in", OPEN_STATES)]
            )
        for ticket in self:
            ticket.duplicate_ticket_ids = [
                Command.set(
                    others.filtered(
                        lambda o, t=ticket: (
                            t in open_tickets and o.lot_id == t.lot_id and o != t._origin
                        )
                    ).ids
                )
            ]

    # ------------------------------------------------------------------
    # Whose serial it is
    # ------------------------------------------------------------------

    def _lot_other_owners(self):
        """The customers the serial is registered to, when the ticket's customer is not
        one of them (empty when it is theirs or registered to nobody)."""
        self.ensure_one()
        if not (self.lot_id and self.partner_id):
            return self.env["res.partner"]
        owners = self.lot_id.sudo()._aftersales_owners()[self.lot_id._origin]
        if self.commercial_partner_id in owners:
            return self.env["res.partner"]
        return owners

    @api.onchange("lot_id", "partner_id")
    def _onchange_lot_owner_warning(self):
        if not (self.lot_id and self.partner_id):
            return None
        others = self._lot_other_owners()
        # Another customer's serial stops the representative; a serial nobody registered
        # (sold through a dealer, delivered before the system) is only pointed out.
        kind = "dialog"
        if others:
            message = _(
                "Serial number %(serial)s is registered to %(owners)s, not to %(customer)s. "
                "Check the serial number with the caller: only a manager may confirm a "
                "ticket for another customer's serial.",
                serial=self.lot_id.name,
                owners=", ".join(others.mapped("display_name")),
                customer=self.partner_id.commercial_partner_id.display_name,
            )
        elif self.lot_id._origin not in self.partner_id.sudo()._aftersales_owned_lots():
            kind = "notification"
            message = _(
                "Serial number %(serial)s was never delivered or registered to %(customer)s: "
                "check it with the caller.",
                serial=self.lot_id.name,
                customer=self.partner_id.commercial_partner_id.display_name,
            )
        else:
            return None
        return {"warning": {"title": _("Whose serial number?"), "message": message, "type": kind}}

    @api.onchange("lot_id")
    def _onchange_lot_duplicate_warning(self):
        if not self.duplicate_ticket_ids:
            return None
        return {
            "warning": {
                "title": _("Serial number already in service"),
                "message": _(
                    "Serial number %(serial)s already has an open ticket: %(tickets)s. Add "
                    "the call to it rather than opening a duplicate.",
                    serial=self.lot_id.name,
                    tickets=", ".join(
                        f"{t.name} ({t.partner_id.display_name})" for t in self.duplicate_ticket_ids
                    ),
                ),
            }
        }

    @api.constrains("lot_id", "partner_id")
    def _check_lot_owner(self):
        # The superuser (portal requests, e-mails, imports) only ever gives the
        # customer's own serials; a manager's save is the confirmation.
        if self.env.su or self._aftersales_has_role("manager"):
            return
        for ticket in self:
            others = ticket._lot_other_owners()
            if others:
                raise ValidationError(
                    _(
                        "Serial number %(serial)s is registered to %(owners)s, not to "
                        "%(customer)s. Check the serial number with the caller, or ask a "
                        "manager to confirm this ticket.",
                        serial=ticket.lot_id.name,
                        owners=", ".join(others.mapped("display_name")),
                        customer=ticket.commercial_partner_id.display_name,
                    )
                )

    def _note_lot_owner_confirmed(self):
        """A manager saved a ticket for another customer's serial: say so on the ticket."""
        if self.env.su:
            return
        for ticket in self:
            others = ticket._lot_other_owners()
            if others:
                ticket.message_post(
                    body=_(
                        "%(manager)s confirmed serial number %(serial)s for %(customer)s, "
                        "although it is registered to %(owners)s.",
                        manager=self.env.user.name,
                        serial=ticket.lot_id.name,
                        customer=ticket.commercial_partner_id.display_name,
                        owners=", ".join(others.mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets.filtered("lot_id")._note_lot_owner_confirmed()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if {"lot_id", "partner_id"} & set(vals):
            self.filtered("lot_id")._note_lot_owner_confirmed()
        return res

    @api.constrains("rating_last_value")
    def _check_rating_last_value(self):
        # The KPIs average it on the 1-5 scale; 0 is "not rated".
        for ticket in self.sudo():
            if ticket.rating_last_value and not 1 <= ticket.rating_last_value <= 5:
                raise ValidationError(
                    _(
                        "A rating of a service ticket is between 1 and 5, not %(rating)s.",
                        rating=ticket.rating_last_value,
                    )
                )

    # ------------------------------------------------------------------
    # Liability of quality problems
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        # The technician who found the cause says who is liable for it.
        writable["assignee"] |= {"liability"}
        return writable

    def action_resolve(self):
        for ticket in self:
            if ticket.category_id.quality_problem and not ticket.sudo().liability:
                raise UserError(
                    _(
                        "%(ticket)s is a quality problem: before resolving it, record who is "
                        "liable in the Liability field of the Resolution tab.",
                        ticket=ticket.name,
                    )
                )
        return super().action_resolve()
