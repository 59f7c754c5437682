from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", copy=False
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # Warranties that start on the invoice date start now.
        invoices = posted.filtered(lambda m: m.move_type == "out_invoice")
        sale_lines = invoices.invoice_line_ids.sale_line_ids
        if sale_lines:
            waiting = (
                self.env["aftersales.warranty"]
                .sudo()
                .search(
                    [
                        ("sale_line_id", "in", sale_lines.ids),
                        ("date_start", "=", False),
                        ("is_void", "=", False),
                        ("rule_id.start_basis", "=", "invoice"),
                    ]
                )
            )
            for warranty in waiting:
                invoice = invoices.filtered(
                    lambda m, w=warranty: w.sale_line_id in m.invoice_line_ids.sale_line_ids
                )[:1]
                warranty.date_start = invoice.invoice_date or fields.Date.context_today(self)
            waiting._refresh_tickets()
        return posted
