import uuid

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

# What a customer may type in one field on the portal: a long description, not a dump.
PORTAL_TEXT_LIMIT = 20000


# The ticket is large: what customers do from the portal lives in a file of its own.
class AftersalesTicketPortal(models.Model):
    """Requests, confirmations and rejections made by customers on the portal.

    Portal users have read access only; these methods run as superuser after the
    controller has checked the customer may see the ticket, and write in the
    customer's name."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    # Given at creation, not on the first portal visit: a list that wrote tokens could not
    # be answered from a read-only database replica.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    @api.model
    def _portal_prepare_request(
        self, partner, product_id=None, serial=None, category_id=None, description=None
    ):
        """Check a request submitted from the portal and return the ticket values.

        Raises UserError, in the customer's words, before anything is created."""
        if not (description or "").strip():
            raise UserError(_("Describe the problem so that we can help you."))
        self._portal_check_length(description, _("The description of the problem"))
        self._portal_check_length(serial, _("The serial number"))
        values = {
            "partner_id": partner.id,
            "channel": "portal",
            "description": plaintext2html(description.strip()),
        }
        lot = self.env["stock.lot"]
        serial = (serial or "").strip()
        if serial:
            lot = partner._aftersales_owned_lots().filtered(
                lambda owned: owned.name.casefold() == serial.casefold()
            )[:1]
            if not lot:
                # Same answer for unknown serials and other customers' serials:
                # the portal must not tell which serial numbers exist.
                raise UserError(
                    _(
                        "Serial number %s is not one of the products delivered to you. Check "
                        "the label on the product, or leave the serial number empty.",
                        serial,
                    )
                )
            values["lot_id"] = lot.id
        product = self.env["product.product"]
        if product_id:
            product = partner._aftersales_owned_products().filtered(
                lambda owned: owned.id == product_id
            )
            if not product:
                raise UserError(_("Choose one of the products delivered to you."))
            if lot and lot.product_id != product:
                raise UserError(
                    _(
                        "Serial number %(serial)s belongs to %(lot_product)s, not to %(product)s.",
                        serial=lot.name,
                        lot_product=lot.product_id.display_name,
                        product=product.display_name,
                    )
                )
        if product or lot:
            values["product_id"] = (product or lot.product_id).id
        if category_id:
            category = (
                self.env["aftersales.category"]
                .sudo()
                .search(
                    [
                        ("id", "=", category_id),
                        ("company_id", "in", [False, partner.company_id.id or self.env.company.id]),
                    ],
                    limit=1,
                )
            )
            if not category:
                raise UserError(_("Choose one of the request types in the list."))
            values["category_id"] = category.id
        return values

    @api.model
    def _portal_create_request(self, partner, values, attachments=()):
        """Create the ticket of a portal request with the customer's files.

        :param attachments: (filename, bytes) pairs"""
        ticket = self.sudo().create(values)
        message = ticket.message_post(
            body=_("Request submitted from the customer portal."),
            author_id=partner.id,
            attachments=list(attachments),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # Customers read their files through access tokens, like the portal chatter's.
        message.attachment_ids.generate_access_token()
        return ticket

    def _portal_confirm(self, partner):
        """The customer says the problem is solved."""
        self._check_portal_answerable()
        self.sudo().action_customer_confirm()
        for ticket in self:
            ticket.sudo().message_post(
                body=_("The customer confirmed that the problem is solved."),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _portal_reject(self, partner, reason):
        """The customer says the problem is not solved: the ticket goes back to work."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Tell us what is still wrong so that the technician can fix it."))
        self._portal_check_length(reason, _("Your answer"))
        self._check_portal_answerable()
        for ticket in self:
            ticket.sudo().message_post(
                body=Markup("%s<br/>%s")
                % (_("The customer says the problem is not solved:"), reason),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.sudo().action_reopen(_("rejected by the customer: %s", reason))
        return True

    def _check_portal_answerable(self):
        for ticket in self:
            if ticket.state != "resolved" or ticket.customer_confirmed:
                raise UserError(
                    _(
                        "Request %s is not waiting for your answer any more.",
                        ticket.name,
                    )
                )

    @api.model
    def _portal_check_length(self, text, what):
        """Refuse an over-long text typed on the portal, before anything is stored."""
        if len(text or "") > PORTAL_TEXT_LIMIT:
            raise UserError(
                _(
                    "%(what)s is too long: %(length)s characters, at most %(limit)s. Shorten "
                    "it, or attach a file for a longer text.",
                    what=what,
                    length=len(text),
                    limit=PORTAL_TEXT_LIMIT,
                )
            )
