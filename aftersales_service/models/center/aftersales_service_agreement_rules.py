from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The documents without which a centre may not take new work (the "other" kind is filed
# for reference only).
REQUIRED_DOCUMENT_TYPES = ("business_licence", "safety_qualification", "insurance")


class AftersalesServiceAgreementRules(models.Model):
    """What an agreement allows: dispatch only within its zones and product categories,
    with its required documents valid; a reminder before it ends."""

    _inherit = "aftersales.service.agreement"  # pylint: disable=consider-merging-classes-inherited

    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="The manager who renews the agreement: the renewal reminder goes to them "
        "(else to the company's escalation manager).",
    )
    renewal_notice_days = fields.Integer(
        string="Renewal Notice (days)",
        default=30,
        tracking=True,
        help="How many days before the end the responsible gets a renewal reminder.",
    )
    renewal_reminded = fields.Boolean(
        readonly=True, copy=False, help="The renewal reminder was sent (once per agreement)."
    )

    # ------------------------------------------------------------------
    # Write guard
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"renewal_reminded"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"user_id", "renewal_notice_days"}
        return writable

    # ------------------------------------------------------------------
    # Dispatch rules
    # ------------------------------------------------------------------

    def _expired_documents(self, day=None):
        """The required documents whose latest version has expired on ``day``: a renewed
        document (a newer one of the same kind) replaces the expired one."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        expired = self.env["aftersales.service.agreement.document"]
        for document_type in REQUIRED_DOCUMENT_TYPES:
            documents = self.document_ids.filtered(lambda d, t=document_type: d.document_type == t)
            if documents and max(documents.mapped("date_expiry")) < day:
                expired |= documents.sorted("date_expiry")[-1]
        return expired

    def _ensure_can_dispatch(self, ticket):
        """Raise a UserError saying why ``ticket`` may not go to this agreement's centre:
        agreement not in force, a required document expired, the customer's zone or the
        product's category not covered."""
        self.ensure_one()
        ticket = ticket.sudo()
        center = self.partner_id.display_name
        today = fields.Date.context_today(self)
        if not self._is_valid_on(today):
            raise UserError(
                _(
                    "The agreement %(agreement)s of %(center)s is not in force today: renew "
                    "it before dispatching work to the centre.",
                    agreement=self.name,
                    center=center,
                )
            )
        labels = dict(
            self.env["aftersales.service.agreement.document"]
            ._fields["document_type"]
            ._description_selection(self.env)
        )
        for document in self._expired_documents(today):
            raise UserError(
                _(
                    "The %(document)s of %(center)s (%(reference)s) expired on %(date)s: no new "
                    "work can be dispatched to the centre until it is renewed.",
                    document=labels[document.document_type],
                    center=center,
                    reference=document.name,
                    date=document.date_expiry,
                )
            )
        if self.zone_ids:
            zone = ticket.commercial_partner_id.aftersales_zone_id
            if not zone:
                raise UserError(
                    _(
                        "Customer %(customer)s has no service zone: %(center)s covers only "
                        "%(zones)s.",
                        customer=ticket.commercial_partner_id.display_name,
                        center=center,
                        zones=", ".join(self.zone_ids.mapped("name")),
                    )
                )
            if zone not in self.zone_ids:
                raise UserError(
                    _(
                        "%(center)s does not cover the service zone %(zone)s of ticket "
                        "%(ticket)s (its agreement covers %(zones)s).",
                        center=center,
                        zone=zone.name,
                        ticket=ticket.name,
                        zones=", ".join(self.zone_ids.mapped("name")),
                    )
                )
        if self.product_category_ids and ticket.product_id:
            category = ticket.product_id.categ_id
            covered = self.env["product.category"].search(
                [("id", "child_of", self.product_category_ids.ids)]
            )
            if category not in covered:
                raise UserError(
                    _(
                        "%(center)s may not service %(product)s (category %(category)s) of "
                        "ticket %(ticket)s: its agreement covers %(categories)s.",
                        center=center,
                        product=ticket.product_id.display_name,
                        category=category.display_name,
                        ticket=ticket.name,
                        categories=", ".join(self.product_category_ids.mapped("display_name")),
                    )
                )
        return True

    # ------------------------------------------------------------------
    # Renewal reminder
    # ------------------------------------------------------------------

    @api.model
    def _cron_renewal_reminders(self):
        """An activity to the responsible of each agreement that ends within its notice
        days, once per agreement."""
        today = fields.Date.context_today(self)
        agreements = self.search(
            [
                ("renewal_reminded", "=", False),
                ("date_end", ">=", today),
                ("date_start", "<=", today),
            ]
        )
        due = agreements.filtered(
            lambda a: a.date_end - timedelta(days=max(a.renewal_notice_days, 0)) <= today
        )
        for agreement in due:
            responsible = (
                agreement.user_id
                if agreement.user_id and not agreement.user_id.share
                else agreement.company_id._aftersales_escalation_manager()
            )
            if responsible:
                agreement._aftersales_schedule_activity(
                    "aftersales_service.mail_activity_agreement_renewal",
                    responsible,
                    date_deadline=agreement.date_end,
                )
            agreement._aftersales_method_write({"renewal_reminded": True})
        return len(due)

    def write(self, vals):
        res = super().write(vals)
        if "date_end" in vals and not self.env.context.get("aftersales_keep_reminder"):
            # A renewed agreement gets a reminder again before its new end.
            self.filtered("renewal_reminded").sudo().write({"renewal_reminded": False})
        return res
