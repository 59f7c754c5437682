from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta


def period_domain(field, date_from, date_to, tz="UTC"):
    """The datetimes (naive UTC) of the days from date_from to date_to inclusive, days
    as they are in the zone ``tz``: in Shanghai, December starts on 30 November 16:00 UTC."""
    zone = pytz.timezone(tz or "UTC")

    def utc_midnight(day):
        return (
            zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        )

    return [
        (field, ">=", utc_midnight(date_from)),
        (field, "<", utc_midnight(date_to + timedelta(days=1))),
    ]


def period_bounds(period_type, day):
    """(first day, last day) of the month, or of the quarter ("quarter"), holding ``day``."""
    if not day:
        return False, False
    if period_type == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return start, start + relativedelta(months=3, days=-1)
    start = day.replace(day=1)
    return start, start + relativedelta(months=1, days=-1)
