from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import html2plaintext


class AftersalesVisitFieldWork(models.Model):
    """What the technician needs on site: who to call, what was asked, a check-out that
    says what the report lacks, and a solution typed once."""

    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    contact_name = fields.Char(related="ticket_id.contact_name", string="Contact")
    contact_phone = fields.Char(related="ticket_id.phone", string="Contact Phone")
    request_description = fields.Html(related="ticket_id.description", string="Customer Request")

    @api.model_create_multi
    def create(self, vals_list):
        visits = super().create(vals_list)
        visits._carry_work_done_to_ticket()
        return visits

    def write(self, vals):
        res = super().write(vals)
        if "work_done" in vals:
            self._carry_work_done_to_ticket()
        return res

    def _carry_work_done_to_ticket(self):
        """The visit's work done is the ticket's solution unless someone typed one: the
        technician does not write it twice, and nothing typed is overwritten."""
        for visit in self:
            ticket = visit.ticket_id
            if (
                html2plaintext(visit.work_done or "").strip()
                and not html2plaintext(ticket.resolution_note or "").strip()
                and ticket.state in ("assigned", "in_progress", "waiting")
            ):
                # The guard let this user write the visit's report: the ticket's solution
                # follows it.
                ticket.sudo().resolution_note = visit.work_done

    def action_request_check_out(self):
        """The Check Out button: with an incomplete report, first say what is missing and
        ask; a complete report checks out at once."""
        self._check_visit_state(["on_site"], _("check out"))
        self.ensure_one()
        if not self._report_missing_items():
            return self.action_check_out()
        return {
            "type": "ir.actions.act_window",
            "name": _("Check Out With an Incomplete Report?"),
            "res_model": "aftersales.visit.check.out",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id": self.id},
        }

    def _van_stock(self):
        """What the technician's van holds: {product: {lot: quantity}} (lot may be empty).
        The van of the user if they are on the visit, else the visit's first van."""
        self.ensure_one()
        self.check_access("read")
        technicians = self.sudo().technician_ids
        mine = technicians.filtered(lambda e: e.user_id == self.env.user)
        location = (
            (mine or technicians).filtered("aftersales_location_id")[:1].aftersales_location_id
        )
        if not location:
            return {}
        # Technicians do not read stock; they may read their own visit's van.
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [("location_id", "child_of", location.id), ("quantity", ">", 0)],
                ["product_id", "lot_id"],
                ["quantity:sum"],
            )
        )
        stock = defaultdict(dict)
        for product, lot, quantity in groups:
            stock[product.sudo(False)][lot.sudo(False)] = quantity
        return dict(stock)

    @api.model
    def _van_visit_from_context(self):
        visit_id = self.env.context.get("aftersales_van_visit_id")
        if not isinstance(visit_id, int):
            return self.browse()
        return self.browse(visit_id).exists()
