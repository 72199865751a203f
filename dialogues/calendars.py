"""iCalendar (.ics) for a session: a stable UID per session and SEQUENCE bumped on every change,
so calendar apps update (or cancel) the event they already hold instead of adding a copy."""

from __future__ import annotations

from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, vText

from projects.conf import absolute_url, site_url

TZ = ZoneInfo("Europe/Amsterdam")


def session_uid(session) -> str:
    host = urlparse(site_url()).hostname or "participatie"
    return f"dialogue-session-{session.pk}@{host}"


def session_ics(session, *, method: str = "PUBLISH") -> str:
    cal = Calendar()
    cal.add("prodid", "-//Participatie//Dialoog//NL")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, TZ))
    event.add("dtend", timezone.localtime(session.ends_at, TZ))
    event.add("summary", f"{session.title} – {session.round.title}")
    location = ", ".join(p for p in (session.venue, session.address) if p) or session.online_url
    if location:
        event["location"] = vText(location)
    description = [session.round.theme]
    if session.online_url:
        description.append(f"Online: {session.online_url}")
    if session.round.url:
        description.append(absolute_url(session.round.url))
    event.add("description", "\n".join(d for d in description if d))
    if session.latitude is not None and session.longitude is not None:
        event.add("geo", (session.latitude, session.longitude))
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
