import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from dialogues import services
from dialogues.calendars import session_ics
from tests.dialogues.factories import DialogueSessionFactory

pytestmark = pytest.mark.django_db


def event_of(text):
    return next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))


def test_ics_has_amsterdam_time_and_stable_uid(round_page):
    start = datetime.datetime(2026, 7, 1, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    session = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                     latitude=52.09, longitude=5.12)
    event = event_of(session_ics(session))
    assert event.decoded("dtstart") == start
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Amsterdam"
    assert event["uid"] == f"dialogue-session-{session.pk}@testserver"
    assert "Buurthuis De Linde" in str(event["location"])
    assert event["sequence"] == 0


def test_sequence_is_bumped_on_change_and_uid_kept(session):
    uid = event_of(session_ics(session))["uid"]
    new_start = session.starts_at + datetime.timedelta(days=1)
    services.session_update(session_id=session.pk, data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=1)})
    session.refresh_from_db()
    event = event_of(session_ics(session))
    assert event["uid"] == uid and event["sequence"] == 1
    services.session_cancel(session_id=session.pk)
    session.refresh_from_db()
    text = session_ics(session, method="CANCEL")
    assert event_of(text)["sequence"] == 2 and "STATUS:CANCELLED" in text
