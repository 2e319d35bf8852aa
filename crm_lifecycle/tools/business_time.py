"""CRM Care's one time zone rule for business dates.

Every business date of CRM Care (today, the date of an order, a birthday, the start of a window of days,
points expiry) is a day of the company's business time zone (``res.company.crm_care_tz``, UTC when it
is not set), never of the user or job that triggers the computation. Datetimes in the database are naive
UTC (Odoo's convention); these helpers convert between them and the days of a time zone.
"""

from datetime import datetime, time

import pytz

from odoo import fields


def local_today(tz):
    """Today's date in time zone `tz` (a pytz name; empty means UTC), from Odoo's clock (frozen in tests)."""
    return local_date(tz, fields.Datetime.now())


def local_date(tz, moment):
    """The date in time zone `tz` of `moment`, a naive UTC datetime as Odoo stores them."""
    zone = pytz.timezone(tz or "UTC")
    return pytz.utc.localize(moment).astimezone(zone).date()


def day_start_utc(tz, day):
    """The first instant (naive UTC datetime) of `day` (a date) in time zone `tz`.

    Comparing a stored datetime with the starts of two days selects what happened on local days, e.g.
    ``date_order >= day_start_utc(tz, first_day)`` for "ordered on first_day or later".
    """
    zone = pytz.timezone(tz or "UTC")
    return zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
