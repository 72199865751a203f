"""Dates for people (projects/dates.py and the nl_* template filters): "21 december 2026",
"maandag 21 december 2026 om 19.30 uur", never "2026-12-21" or "21-12-2026", on every public page
that shows dates, in the report and its PDF, and in the council view."""

from __future__ import annotations

import datetime
import html as html_lib
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from projects.dates import format_date, format_datetime, format_period

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Machine dates that must not reach people: ISO (2026-12-21), Dutch digits (21-12-2026, 21/12/2026).
MACHINE_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[-/]\d{1,2}[-/]\d{4}\b")


def visible_text(markup: str) -> str:
    """What a reader sees: no scripts (JSON configuration), no styles, no attributes
    (``<time datetime="2026-12-21">`` is machine-readable on purpose)."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.DOTALL | re.IGNORECASE)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))


def machine_dates(markup: str) -> list[str]:
    return MACHINE_DATE.findall(visible_text(markup))


# --- the format itself --------------------------------------------------------------------


def test_dates_read_as_words():
    assert format_date(datetime.date(2026, 12, 21)) == "21 december 2026"
    assert format_date(datetime.date(2026, 3, 1)) == "1 maart 2026"
    assert format_date(None) == "" and format_date("") == ""
    assert format_date("voor de zomer") == "voor de zomer"  # a source's own words stay as they are


def test_times_in_local_time_with_a_dot_and_uur():
    evening = datetime.datetime(2026, 12, 21, 18, 30, tzinfo=datetime.UTC)  # 19.30 in Amsterdam
    assert format_datetime(evening) == "maandag 21 december 2026 om 19.30 uur"
    morning = datetime.datetime(2026, 6, 2, 9, 5, tzinfo=AMS)
    assert format_datetime(morning) == "dinsdag 2 juni 2026 om 9.05 uur"
    assert format_datetime(datetime.date(2026, 12, 21)) == "maandag 21 december 2026"  # no time, no "om"
    # Late at night in UTC is the next day here: the date follows the local time too.
    assert format_date(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)) == "1 januari 2027"


def test_periods_name_the_day_once_and_both_days_across_midnight():
    start = datetime.datetime(2026, 12, 21, 19, 30, tzinfo=AMS)
    assert format_period(start, start + datetime.timedelta(hours=2)) == "maandag 21 december 2026 van 19.30 tot 21.30 uur"
    assert format_period(start, start + datetime.timedelta(hours=5)) == (
        "maandag 21 december 2026 om 19.30 uur tot dinsdag 22 december 2026 om 0.30 uur"
    )
    assert format_period(start) == "maandag 21 december 2026 om 19.30 uur"


def test_english_pages_get_english_words():
    with translation.override("en"):
        assert format_date(datetime.date(2026, 12, 21)) == "21 December 2026"
        assert format_datetime(datetime.datetime(2026, 12, 21, 19, 30, tzinfo=AMS)) == "Monday 21 December 2026 at 19.30"


def test_template_filters():
    start = datetime.datetime(2026, 12, 21, 19, 30, tzinfo=AMS)
    rendered = Template(
        "{% load projects_tags %}{{ d|nl_date }} | {{ s|nl_datetime }} | {{ s|nl_period:e }}"
    ).render(Context({"d": datetime.date(2026, 12, 21), "s": start, "e": start + datetime.timedelta(hours=2)}))
    assert rendered == (
        "21 december 2026 | maandag 21 december 2026 om 19.30 uur | maandag 21 december 2026 van 19.30 tot 21.30 uur"
    )


# --- rendered pages -----------------------------------------------------------------------


@pytest.fixture
def dated_project(site):
    """A project with dates in every place a page shows them: phases, news, a coming session,
    a held session with a published outcome and an agreement with a due date, a decision, an
    initiative with a status change."""
    from dialogues.models import Agreement, SessionOutcome
    from dialogues.services import outcome_publish
    from geo.models import Moderation
    from geo.services import initiative_set_status
    from projects.models import Decision
    from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory
    from tests.geo.factories import InitiativeFactory
    from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory, phase

    today = timezone.localdate()
    project = ProjectPageFactory(
        title="Park Oost", groups=["Bewoners"],
        phases=[phase("dialoog", "Dialoog", today - datetime.timedelta(days=60), today - datetime.timedelta(days=11)),
                # The policy's reason ("De besluitvorming begon op ...") carries this date to the council.
                phase("besluitvorming", "Besluit", today - datetime.timedelta(days=10), today + datetime.timedelta(days=30))],
    )
    ProjectUpdatePageFactory(parent=project, title="Eerste avond geweest", intro="Het was druk.")
    round_page = DialogueRoundPageFactory(parent=project, title="Gesprekken over het park")
    DialogueSessionFactory(round=round_page, title="Avond in december")
    past = timezone.now() - datetime.timedelta(days=5)
    held = DialogueSessionFactory(round=round_page, title="Eerste avond", starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    outcome = SessionOutcome.objects.create(session=held, summary="Meer bankjes.")
    Agreement.objects.create(outcome=outcome, what="Bankjes plaatsen", who="Gemeente",
                             due_date=today + datetime.timedelta(days=40))
    outcome_publish(outcome_id=outcome.pk)
    Decision.objects.create(project=project, title="Er komen bankjes", decided_on=today, reasoning="Gevraagd.", published=True)
    initiative = InitiativeFactory(project=project, title="Speeltuin", moderation=Moderation.PUBLISHED)
    initiative_set_status(initiative=initiative, to_status="in_behandeling", answer="Wij kijken ernaar.",
                          by=UserFactory(is_superuser=True, is_staff=True))
    return project, round_page, initiative


def test_public_pages_show_no_machine_dates(client, dated_project):
    from django.contrib.auth.models import Group

    from tests.projects.factories import UserFactory

    project, round_page, initiative = dated_project
    council_member = UserFactory(username="raadslid")
    council_member.groups.add(Group.objects.get(name="Raadsleden"))
    client.force_login(council_member)
    pages = {
        "project": project.url,
        "ronde": round_page.url,
        "resultaten": f"/projecten/{project.pk}/resultaten/",
        "verslag": f"/projecten/{project.pk}/verslag/",
        "raad": "/raad/",
        "home": "/",
        "initiatief": f"/initiatief/{initiative.pk}/",
    }
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        found[name] = machine_dates(response.content.decode())
    assert found == {name: [] for name in pages}
    decision_day = format_date(timezone.localdate() - datetime.timedelta(days=10))
    assert f"De besluitvorming begon op {decision_day} zonder vastgesteld verslag." in visible_text(client.get("/raad/").content.decode())


def test_round_page_writes_session_times_for_people(client, dated_project):
    _project, round_page, _initiative = dated_project
    text = " ".join(visible_text(client.get(round_page.url).content.decode()).split())
    assert re.search(r"\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \d{1,2} [a-z]+ \d{4} van \d{1,2}\.\d{2} tot \d{1,2}\.\d{2} uur", text), text


def test_report_and_its_pdf_write_due_dates_in_words(client, dated_project):
    from tests.projects.test_reports import pdf_text

    project, _round_page, _initiative = dated_project
    due = format_date(timezone.localdate() + datetime.timedelta(days=40))
    page = visible_text(client.get(f"/projecten/{project.pk}/verslag/").content.decode())
    assert due in page
    pdf = pdf_text(client.get(f"/projecten/{project.pk}/verslag.pdf").content)
    assert due in " ".join(pdf.split()) and not MACHINE_DATE.findall(pdf)
