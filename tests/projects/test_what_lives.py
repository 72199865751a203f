"""projects/what_lives.py and the "Wat leeft er" pages, against the real geo and dialogues
sources with seeded data over two periods (tests/projects/what_lives_data.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from projects import what_lives
from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory
from tests.projects.what_lives_data import NOORD, NOW, PREVIOUS_SINCE, SINCE, TZ, ZUID, seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(site):
    moderator = UserFactory(username="moderator")
    moderator.groups.add(moderators_group())
    return seed(moderator)


def _themes(figures):
    return {t.name: t for t in figures.themes}


# --- the period ----------------------------------------------------------------------------------


def test_period_is_calendar_months_back_and_the_same_length_before():
    period = what_lives.period_get(3, now=NOW)
    assert (period.since, period.until, period.previous_since) == (SINCE, NOW, PREVIOUS_SINCE)
    end_of_march = datetime.datetime(2026, 3, 31, 9, 0, tzinfo=TZ)
    assert what_lives.period_get(1, now=end_of_march).since == datetime.datetime(2026, 2, 28, 9, 0, tzinfo=TZ)
    assert what_lives.period_get(12, now=NOW).previous_since == datetime.datetime(2024, 6, 15, 12, 0, tzinfo=TZ)


@pytest.mark.parametrize("value,months", [(None, 3), ("", 3), ("1", 1), ("3", 3), ("12", 12)])
def test_period_parse_accepts_the_choices(value, months):
    assert what_lives.period_parse(value) == months


@pytest.mark.parametrize("value", ["2", "0", "-3", "drie", "3.0", "1000000000000"])
def test_period_parse_refuses_anything_else(value):
    with pytest.raises(what_lives.BadPeriod):
        what_lives.period_parse(value)


# --- the rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize("current,previous,trend", [(3, 0, "new"), (0, 0, "equal"), (4, 2, "up"), (1, 3, "down"), (2, 2, "equal")])
def test_trend(current, previous, trend):
    assert what_lives.trend_of(current, previous) == trend


@pytest.mark.parametrize("current,previous,signal", [
    (5, 0, True),    # enough mentions, none before
    (4, 0, False),   # too few
    (6, 4, True),    # exactly +50 %
    (6, 5, False),   # +20 %
    (10, 7, False),  # +43 %
])
def test_signal_rule_with_the_defaults(current, previous, signal):
    assert what_lives.is_signal(current, previous) is signal


def test_signal_rule_reads_its_settings():
    with override_settings(PARTICIPATIE={"SIGNAL_MIN_MENTIONS": 2, "SIGNAL_MIN_RISE_PERCENT": 100}):
        assert what_lives.is_signal(2, 1) is True
        assert what_lives.is_signal(3, 2) is False
        assert what_lives.is_signal(1, 0) is False


# --- the figures -----------------------------------------------------------------------------------


def test_whole_municipality_counts_every_source_and_input_without_area(data):
    figures = what_lives.what_lives_get(now=NOW)
    themes = _themes(figures)
    assert [t.name for t in figures.themes] == ["Groen", "Verkeer"]
    groen = themes["Groen"]
    # 5 + 1 (Zuid) initiatives, 2 supports, 1 session theme ("groen " joins the theme Groen)
    assert (groen.total, groen.previous, groen.trend, groen.signal) == (9, 2, "up", True)
    assert {k.kind: (k.count, k.previous) for k in groen.kinds} == {
        "initiative": (6, 2), "support": (2, 0), "session": (1, 0)}
    assert {k.label for k in groen.kinds} == {"Initiatieven", "Steunbetuigingen", "Thema's uit bijeenkomsten"}
    verkeer = themes["Verkeer"]  # the unpublished outcome's "Verkeer" is not counted
    assert (verkeer.total, verkeer.previous, verkeer.trend, verkeer.signal) == (1, 3, "down", False)
    assert (groen.awaiting, groen.answered, groen.open) == (6, 1, 5)
    assert (figures.total, figures.previous_total, figures.awaiting, figures.answered) == (10, 5, 7, 1)
    assert [t.name for t in figures.signals] == ["Groen"]
    assert (groen.bar, groen.bar_previous, verkeer.bar, verkeer.bar_previous) == (100, 22, 11, 33)


def test_an_area_counts_only_its_own_input(data):
    noord = _themes(what_lives.what_lives_get(area_code=NOORD, now=NOW))
    assert (noord["Groen"].total, noord["Groen"].previous, noord["Groen"].trend, noord["Groen"].signal) == (7, 2, "up", True)
    assert {k.kind: k.count for k in noord["Groen"].kinds} == {"initiative": 5, "support": 2}  # no session: it has no area
    assert (noord["Verkeer"].total, noord["Verkeer"].previous) == (1, 3)
    zuid = what_lives.what_lives_get(area_code=ZUID, now=NOW)
    assert [(t.name, t.total, t.previous, t.trend, t.signal) for t in zuid.themes] == [("Groen", 1, 0, "new", False)]
    with pytest.raises(LookupError):
        what_lives.what_lives_get(area_code="WK000000", now=NOW)


def test_period_boundaries_move_with_time(data):
    """One second later the initiative made at SINCE belongs to the previous period."""
    later = NOW + datetime.timedelta(seconds=1)
    groen = _themes(what_lives.what_lives_get(area_code=NOORD, now=later))["Groen"]
    assert {k.kind: (k.count, k.previous) for k in groen.kinds} == {"initiative": (4, 3), "support": (2, 0)}
    with time_machine.travel(later, tick=False):  # the default "now" is the clock's
        assert _themes(what_lives.what_lives_get(area_code=NOORD))["Groen"].total == 6


def test_a_year_holds_both_periods(data):
    groen = _themes(what_lives.what_lives_get(months=12, area_code=NOORD, now=NOW))["Groen"]
    assert (groen.total, groen.previous) == (10, 0)  # 8 initiatives (one before both 3-month periods) + 2 supports


def test_each_wijk_with_its_top_themes_from_one_read(data):
    counts = what_lives.counts_get(what_lives.period_get(3, now=NOW))
    with CaptureQueriesContext(connection) as queries:
        rows = what_lives.by_area(counts, top=1)
    assert len(queries) == 1  # the areas; the figures come from the counts already read
    assert [(a.code, [t.name for t in item.themes]) for a, item in rows] == [(NOORD, ["Groen"]), (ZUID, ["Groen"])]


def test_reading_the_counts_takes_a_fixed_number_of_queries(data):
    period = what_lives.period_get(3, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        what_lives.counts_get(period)
    # both periods in the same queries (signal_counts_periods): geo 3 (initiatives, supports,
    # reactions), dialogues 1, concerns 1; and geo's themes
    assert len(queries) == 6


def test_both_periods_at_once_count_what_each_period_counts_alone(data):
    from projects import sources

    period = what_lives.period_get(3, now=NOW)
    pairs = [(period.since, period.until), (period.previous_since, period.since)]
    together = sources.signal_counts_periods(pairs)

    def key(c):
        return (c.source, c.kind, c.theme, c.area)

    for (since, until), counted in zip(pairs, together):
        alone = [c for s in sources.signal_sources() for c in s.signal_counts(since=since, until=until)]
        assert counted and sorted(counted, key=key) == sorted(alone, key=key)
    assert together[0] != together[1]


def test_a_source_without_the_periods_method_is_asked_per_period():
    from projects import sources

    asked = []

    class OnePeriodSource:
        key, label = "een-periode", "Een periode"

        def signal_counts(self, *, since, until):
            asked.append((since, until))
            return [sources.SignalCount(source=self.key, kind="poll", kind_label="Peilingen", theme="Groen", area="",
                                        count=len(asked))]

    before = dict(sources._registry)
    sources._registry.clear()
    sources.register(OnePeriodSource())
    try:
        first, second = sources.signal_counts_periods([(PREVIOUS_SINCE, SINCE), (SINCE, NOW)])
    finally:
        sources._registry.clear()
        sources._registry.update(before)
    assert asked == [(PREVIOUS_SINCE, SINCE), (SINCE, NOW)]
    assert [c.count for c in first] == [1] and [c.count for c in second] == [2]


def test_memory_links_follow_the_search_contract():
    with override_settings(ROOT_URLCONF="tests.projects.urls_search"):
        assert what_lives.memory_url(wijk=NOORD, thema="Groen & blauw", van="2026-03-15", tot="") == (
            f"/zoeken/?wijk={NOORD}&thema=Groen+%26+blauw&van=2026-03-15")


def test_theme_rows_link_into_the_memory_with_area_theme_and_period(data):
    with override_settings(ROOT_URLCONF="tests.projects.urls_search"):
        figures = what_lives.what_lives_get(area_code=NOORD, now=NOW)
    assert _themes(figures)["Groen"].memory_url == f"/zoeken/?wijk={NOORD}&thema=Groen&van=2026-03-15&tot=2026-06-15"
    assert figures.memory_url == f"/zoeken/?wijk={NOORD}&van=2026-03-15&tot=2026-06-15"


# --- the pages -------------------------------------------------------------------------------------


def test_municipality_page_shows_figures_table_and_wijken(client, data):
    with time_machine.travel(NOW, tick=False):
        response = client.get("/wat-leeft-er/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat leeft er in de gemeente?" in html
    assert '<th scope="row">Groen</th><td>9</td><td>2</td>' in html
    assert "Signaal" in html and "Meer dan daarvoor" in html
    assert "in de laatste 3 maanden en in de 3 maanden daarvoor" in html
    assert f'href="/wat-leeft-er/{NOORD}/?periode=3">Noord</a>' in html
    assert 'aria-hidden="true"' in html and "<svg" in html and 'width="100%"' in html
    assert "5 open, 1 beantwoord" in html
    assert "steun1" not in html and "moderator" not in html


def test_area_page_and_period_choice(client, data):
    with time_machine.travel(NOW, tick=False):
        three = client.get(f"/wat-leeft-er/{NOORD}/").content.decode()
        year = client.get(f"/wat-leeft-er/{NOORD}/?periode=12").content.decode()
    assert "Wat leeft er in Noord?" in three
    assert '<th scope="row">Groen</th><td>7</td><td>2</td>' in three
    assert '<th scope="row">Groen</th><td>10</td><td>0</td>' in year
    assert '<option value="12" selected>' in year


def test_unknown_area_is_404(client, data):
    assert client.get("/wat-leeft-er/WK000000/").status_code == 404


@pytest.mark.parametrize("query", ["?periode=2", "?periode=abc", "?periode=3&periode=x"])
def test_bad_period_is_400_with_the_reason_next_to_the_field(client, data, query):
    for path in ("/wat-leeft-er/", f"/wat-leeft-er/{NOORD}/"):
        response = client.get(path + query)
        assert response.status_code == 400
        assert "Kies een periode uit de lijst." in response.content.decode()


def test_page_queries_stay_fixed_in_the_number_of_wijken(client, data):
    from tests.geo.factories import AreaFactory

    counts = []
    for extra in (0, 4):
        for n in range(extra):
            AreaFactory(code=f"WK0888{n:02d}", name=f"Extra {n}")
        client.get("/wat-leeft-er/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/wat-leeft-er/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_home_page_teaser_with_the_top_three(client, data):
    with time_machine.travel(NOW, tick=False):
        html = client.get("/").content.decode()
    assert "Wat leeft er?" in html
    assert "<li>Groen (9, <strong>signaal: stijgt</strong>)</li>" in html and "<li>Verkeer (1)</li>" in html
    assert 'href="/wat-leeft-er/"' in html


def test_home_page_has_no_teaser_without_input(client, site):
    html = client.get("/").content.decode()
    assert 'id="what-lives-home-h"' not in html
    assert 'href="/wat-leeft-er/"' in html  # the footer still links to it
