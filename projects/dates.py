"""Dates as residents read them: "21 december 2026", "dinsdag 21 december 2026 om 19.30 uur".

The one home for how the plugin writes a date for people: public pages, emails, the report and the
council view all go through these functions (templates through the ``nl_date``, ``nl_datetime``
and ``nl_period`` filters in ``projects_tags``). Machine-readable output (CSV, JSON, GeoJSON,
iCalendar, ``<time datetime>``) keeps ISO 8601 and does not use them.

Dutch B1 style: the month written out, no leading zero on the day or hour, a dot between hours
and minutes and "uur" after the time. The words come from the active language, so an English
page reads "Tuesday 21 December 2026 at 19.30".
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _is_datetime(value) -> bool:
    return isinstance(value, datetime.datetime)


def format_date(value, *, weekday: bool = False) -> str:
    """ "21 december 2026" (or "dinsdag 21 december 2026"); a date or a datetime; "" for None.
    A value that is not a date (a text an outside source already wrote) is returned as text."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):
        return str(value)
    return date_format(_local(value), "l j F Y" if weekday else "j F Y")


def format_time(value) -> str:
    """ "19.30" (without "uur", for use inside a sentence that adds it)."""
    return date_format(_local(value), "G.i")


def format_datetime(value, *, weekday: bool = True) -> str:
    """ "dinsdag 21 december 2026 om 19.30 uur"; a plain date gets no time."""
    if value in (None, ""):
        return ""
    if not _is_datetime(value):
        return format_date(value, weekday=weekday)
    return gettext("%(date)s om %(time)s uur") % {"date": format_date(value, weekday=weekday), "time": format_time(value)}


def format_period(start, end=None) -> str:
    """ "dinsdag 21 december 2026 van 19.30 tot 21.00 uur"; across midnight both days are named."""
    if not end:
        return format_datetime(start)
    if _local(start).date() == _local(end).date():
        return gettext("%(date)s van %(start)s tot %(end)s uur") % {
            "date": format_date(start, weekday=True), "start": format_time(start), "end": format_time(end),
        }
    return gettext("%(start)s tot %(end)s") % {"start": format_datetime(start), "end": format_datetime(end)}
