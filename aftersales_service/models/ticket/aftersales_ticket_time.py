import pytz

from odoo import models


# Which zone the customer reads times in: a topic of its own, shared by portal and reports.
class AftersalesTicketTime(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _aftersales_customer_tz(self):
        """The customer's zone (contact, then company), else the service company's: a
        request made at 15:03 in Shanghai reads 15:03 on the portal and the printed
        report, whoever opens or prints it."""
        self.ensure_one()
        self.check_access("read")
        ticket = self.sudo()  # zone names only, for the portal customer too
        for partner in (ticket.partner_id, ticket.partner_id.commercial_partner_id):
            if partner.tz in pytz.all_timezones_set:
                return partner.tz
        return ticket.company_id._aftersales_tz()
