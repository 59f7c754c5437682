from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesVisitCenter(models.Model):
    """A visit performed by a service centre: no employee technician, the centre's portal
    users plan it and check in and out."""

    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    # A centre's visit has no employee: either technicians or the centre (constraint).
    technician_ids = fields.Many2many(required=False)

    # scheduled_start is always given: the check also runs when neither technicians
    # nor a centre is.
    @api.constrains("technician_ids", "service_center_id", "scheduled_start")
    def _check_technicians_or_center(self):
        for visit in self:
            center = visit.ticket_id.sudo().service_center_id
            if not visit.technician_ids and not visit.service_center_id and center:
                raise ValidationError(
                    _(
                        "Ticket %(ticket)s is dispatched to service centre %(center)s: the "
                        "centre plans its visits on the portal.",
                        ticket=visit.ticket_id.name,
                        center=center.display_name,
                    )
                )
            if not visit.technician_ids and not visit.service_center_id:
                raise ValidationError(
                    _("Visit %s needs at least one technician.", visit.name or "")
                )
            if visit.technician_ids and visit.service_center_id:
                raise ValidationError(
                    _(
                        "Visit %(visit)s is performed by service centre %(center)s: it has "
                        "no employee technicians.",
                        visit=visit.name,
                        center=visit.service_center_id.display_name,
                    )
                )

    def _aftersales_assignee_users(self):
        users = super()._aftersales_assignee_users()
        centers = self.sudo().service_center_id
        return users | centers._aftersales_center_users() if centers else users

    def _center_check_user(self, user=None):
        """AccessError unless ``user`` works for the centre of every visit."""
        return self.ticket_id._center_check_user(user) and self.sudo()._center_check_own()

    def _center_check_own(self):
        for visit in self:
            if visit.service_center_id != visit.ticket_id.service_center_id:
                raise UserError(_("Visit %s is not your centre's visit.", visit.name))
        return True

    @api.model
    def _center_plan(self, ticket, start, end, note=None):
        """A visit of the centre the ticket is dispatched to (callers checked the user
        works for it)."""
        if isinstance(ticket, int):
            ticket = self.env["aftersales.ticket"].browse(ticket)
        ticket = ticket.sudo()
        if not ticket.service_center_id:
            raise UserError(_("Ticket %s is not dispatched to a service centre.", ticket.name))
        if ticket.state not in ("in_progress", "waiting"):
            raise UserError(_("Accept job %s before planning its visit.", ticket.name))
        start, end = fields.Datetime.to_datetime(start), fields.Datetime.to_datetime(end)
        if not (start and end):
            raise UserError(_("Give the start and the end of the visit."))
        if end <= start:
            raise UserError(_("The visit must end after it starts."))
        # The centre is a method field: set by this method, in sudo, with the visit.
        visit = self.sudo().create(
            {
                "ticket_id": ticket.id,
                "service_center_id": ticket.service_center_id.id,
                "scheduled_start": start,
                "scheduled_end": end,
            }
        )
        if note:
            visit.message_post(body=note)
        return visit

    def _center_record_report(self, values):
        """The centre's service report: fault cause (on the ticket), work done, parts used
        or none, customer opinion. ``values`` holds the keys given on the portal form."""
        self.ensure_one()
        visit = self.sudo()
        if visit.state not in ("on_site", "done") or visit.signed_on:
            raise UserError(
                _(
                    "The report of visit %s is written on site and before the customer signs.",
                    visit.name,
                )
            )
        Ticket = self.env["aftersales.ticket"]
        if "resolution_cause" in values:
            cause = (values["resolution_cause"] or "").strip()
            Ticket._portal_check_length(cause, _("The fault cause"))
            visit.ticket_id.resolution_cause = cause
        report = {}
        if "work_done" in values:
            Ticket._portal_check_length(values["work_done"], _("The work done"))
            report["work_done"] = values["work_done"]
        if "customer_opinion" in values:
            Ticket._portal_check_length(values["customer_opinion"], _("The customer's opinion"))
            report["customer_opinion"] = (values["customer_opinion"] or "").strip()
        if "no_parts_used" in values:
            report["no_parts_used"] = bool(values["no_parts_used"])
        if report:
            visit.write(report)
        return True

    def _center_add_part(self, product, quantity, lot=None):
        self.ensure_one()
        visit = self.sudo()
        if visit.state not in ("on_site", "done") or visit.signed_on:
            raise UserError(_("Parts are recorded on site, before the customer signs."))
        if not product or quantity <= 0:
            raise UserError(_("Choose the part and a positive quantity."))
        return (
            self.env["aftersales.visit.part"]
            .sudo()
            .create(
                {
                    "visit_id": visit.id,
                    "product_id": product.id,
                    "quantity": quantity,
                    "lot_id": lot.id if lot else False,
                }
            )
        )

    def action_check_out(self, note=None):
        res = super().action_check_out(note=note)
        # The technicians' incomplete-report penalty goes to the centre for its visits.
        rules = self.env["aftersales.penalty.rule"].sudo()._auto_rules("incomplete_report")
        Penalty = self.env["aftersales.penalty"].sudo()
        for visit in self.sudo().filtered(lambda v: v.service_center_id and v.is_report_incomplete):
            rule = rules.filtered(lambda r, v=visit: r.company_id == v.company_id)[:1]
            Penalty._raise_auto_center(
                rule,
                visit.service_center_id,
                visit.ticket_id,
                visit=visit,
                reason=_(
                    "Service report of %(visit)s is incomplete: %(missing)s missing.",
                    visit=visit.name,
                    missing=", ".join(visit._report_missing_items()),
                ),
            )
        return res
