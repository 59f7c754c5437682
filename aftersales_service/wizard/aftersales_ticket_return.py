from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.ticket.aftersales_ticket import LIABILITIES


class AftersalesTicketReturn(models.TransientModel):
    _name = "aftersales.ticket.return"
    _description = "Return, Exchange or Refund a Unit"

    ticket_id = fields.Many2one("aftersales.ticket", required=True)
    mode = fields.Selection(
        [
            ("return", "Return Only"),
            ("exchange", "Exchange (return and replacement delivery)"),
            ("refund", "Refund (return and credit note)"),
        ],
        required=True,
        default="exchange",
    )
    liability = fields.Selection(
        LIABILITIES, required=True, help="Who is liable for the fault: feeds the quality reports."
    )
    note = fields.Text(string="Reason")

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        ticket._aftersales_check_role("user", _("return or exchange units"))
        delivery_move = self._delivery_move()
        ticket.sudo().liability = self.liability
        picking = self._create_return(delivery_move)
        message = _(
            "%(mode)s decided (liability: %(liability)s): return %(picking)s.",
            mode=dict(self._fields["mode"].selection)[self.mode],
            liability=dict(LIABILITIES)[self.liability],
            picking=picking.name,
        )
        if self.mode == "refund":
            credit_note = self._create_credit_note(delivery_move)
            message += " " + _(
                "Credit note %s drafted.", credit_note.name or credit_note.display_name
            )
        if self.note:
            message += " " + self.note
        ticket.message_post(body=message)
        return self.env["aftersales.ticket"]._form_action(picking)

    def _delivery_move(self):
        """The customer delivery of the ticket's unit."""
        ticket = self.ticket_id
        move = ticket.warranty_id.sudo().move_id
        if not move and ticket.lot_id:
            move = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "=", ticket.lot_id.id),
                        ("state", "=", "done"),
                        ("location_dest_id.usage", "=", "customer"),
                    ],
                    order="date desc",
                    limit=1,
                )
                .move_id
            )
        if not move or move.state != "done":
            raise UserError(
                _(
                    "No delivery of %(product)s %(serial)s to the customer was found: a return "
                    "needs the original delivery.",
                    product=ticket.product_id.display_name or "",
                    serial=ticket.lot_id.name or "",
                )
            )
        return move

    def _create_return(self, delivery_move):
        """Odoo's own return (and exchange) of the delivered unit."""
        ticket = self.ticket_id
        Return = (
            self.env["stock.return.picking"]
            .sudo()
            .with_context(active_id=delivery_move.picking_id.id, active_model="stock.picking")
        )
        wizard = Return.create({"picking_id": delivery_move.picking_id.id})
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.move_id == delivery_move else 0.0
        if self.mode == "exchange":
            action = wizard.action_create_exchanges()
        else:
            action = wizard.action_create_returns()
        picking = self.env["stock.picking"].sudo().browse(action["res_id"])
        if ticket.lot_id:
            for move in picking.move_ids.filtered(
                lambda m: m.product_id == ticket.lot_id.product_id
            ):
                move._aftersales_set_done_quantity(1.0, ticket.lot_id)
                move.picked = False  # the warehouse validates the receipt
        picking.aftersales_ticket_id = ticket
        exchange = delivery_move.sale_line_id.order_id.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.picking_type_code == "outgoing"
        )
        if self.mode == "exchange":
            exchange.aftersales_ticket_id = ticket
        return picking

    def _create_credit_note(self, delivery_move):
        ticket = self.ticket_id
        invoices = delivery_move.sale_line_id.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not invoices:
            raise UserError(
                _(
                    "The sale of %s has no posted invoice to refund.",
                    ticket.lot_id.name or ticket.product_id.display_name,
                )
            )
        reversal = (
            self.env["account.move.reversal"]
            .sudo()
            .with_context(active_model="account.move", active_ids=invoices[:1].ids)
            .create(
                {
                    "move_ids": invoices[:1].ids,
                    "reason": _("After-sales refund, ticket %s", ticket.name),
                    "journal_id": invoices[:1].journal_id.id,
                }
            )
        )
        reversal.refund_moves()
        credit_note = reversal.new_move_ids
        # Refund the returned unit only, not the whole invoice.
        unit_line = delivery_move.sale_line_id
        credit_note.invoice_line_ids.filtered(
            lambda line: unit_line not in line.sale_line_ids
        ).unlink()
        credit_note.invoice_line_ids.write(
            {"quantity": 1.0 if ticket.lot_id else delivery_move.quantity}
        )
        credit_note.aftersales_ticket_id = ticket
        return credit_note
