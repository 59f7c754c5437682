import pytz

from odoo import models


# The company's time zone is a topic of its own: reports, portal and periods read it.
class ResCompanyTime(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def _aftersales_tz(self):
        """The zone the company works in: its address's, else its working calendar's,
        else UTC. Evaluation periods, printed reports and the portal read times in it."""
        self.ensure_one()
        self.check_access("read")
        company = self.sudo()  # the calendar's zone name only, for portal users too
        for tz in (company.partner_id.tz, company.resource_calendar_id.tz):
            if tz in pytz.all_timezones_set:
                return tz
        return "UTC"
