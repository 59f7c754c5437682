from datetime import datetime, time, timedelta

from pytz import utc

from odoo import api, models, tools

# Long enough for a week of resolution target plus a holiday.
PLANNING_WINDOW_DAYS = 28


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @tools.ormcache("self.id", "day", "company_id")
    def _aftersales_work_intervals(self, day, company_id):
        """Working intervals, as naive UTC (start, stop) pairs, of the window starting at
        ``day`` 00:00 UTC, after the public holidays of this calendar and of the company.

        Cached: every ticket plans six deadlines on one of a few calendars. Any change to a
        calendar, its attendances or its leaves clears the cache (their write overrides)."""
        start = datetime.combine(day, time.min, tzinfo=utc)
        intervals = self.sudo()._work_intervals_batch(
            start,
            start + timedelta(days=PLANNING_WINDOW_DAYS),
            domain=self._aftersales_holiday_domain(company_id),
        )[False]
        return tuple(
            (
                begin.astimezone(utc).replace(tzinfo=None),
                end.astimezone(utc).replace(tzinfo=None),
            )
            for begin, end, _meta in intervals
        )

    def _aftersales_plan_hours(self, hours, start, company):
        """``start`` (naive UTC) plus ``hours`` working hours on this calendar after the
        public holidays of ``company``, as ``plan_hours(hours, start, compute_leaves=True)``
        but from the cached window; beyond it Odoo's own planning."""
        self.ensure_one()
        remaining = hours
        company_id = (self.company_id or company).id
        for begin, end in self._aftersales_work_intervals(start.date(), company_id):
            if end <= start:
                continue
            available_from = max(begin, start)
            length = (end - available_from).total_seconds() / 3600
            if remaining <= length:
                return available_from + timedelta(hours=remaining)
            remaining -= length
        return self.sudo().plan_hours(
            hours, start, compute_leaves=True, domain=self._aftersales_holiday_domain(company_id)
        )

    def _aftersales_holiday_domain(self, company_id):
        # Calendar-less holidays of other companies are not this company's: deadlines do
        # not depend on the companies the user happens to have selected.
        return [
            ("time_type", "=", "leave"),
            "|",
            ("calendar_id", "=", self.id),
            ("company_id", "in", [False, company_id]),
        ]
