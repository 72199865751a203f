"""Selectors for "Wat leeft er": which themes residents raise, per wijk and for the whole
municipality, over a period and against the period of the same length before it.

Everything is read through the participation-source protocol (``projects.sources.signal_counts``,
``areas``, ``themes``), so a new source (Top-3 concerns, reactions) is counted without a change
here. The signal rule has its one home in ``is_signal``; the trend in ``trend_of``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from . import page_cache, sources
from .conf import plugin_setting

# The periods a visitor may choose, in months; the first page view shows DEFAULT_MONTHS.
PERIOD_CHOICES = (1, 3, 12)
DEFAULT_MONTHS = 3

UP, DOWN, NEW, EQUAL = "up", "down", "new", "equal"
TREND_LABELS = {
    UP: gettext_lazy("Meer dan daarvoor"),
    DOWN: gettext_lazy("Minder dan daarvoor"),
    NEW: gettext_lazy("Nieuw"),
    EQUAL: gettext_lazy("Even vaak"),
}


class BadPeriod(ValueError):
    """The requested period is not one of ``PERIOD_CHOICES``."""


@dataclass(frozen=True)
class Period:
    """``since <= moment < until``, and the period of the same length just before it."""

    months: int
    since: datetime.datetime
    until: datetime.datetime
    previous_since: datetime.datetime

    @property
    def label(self) -> str:
        """"de laatste 3 maanden", for sentences."""
        if self.months == 12:
            return str(gettext_lazy("het laatste jaar"))
        return ngettext("de laatste maand", "de laatste %(n)d maanden", self.months) % {"n": self.months}

    @property
    def previous_label(self) -> str:
        if self.months == 12:
            return str(gettext_lazy("het jaar daarvoor"))
        return ngettext("de maand daarvoor", "de %(n)d maanden daarvoor", self.months) % {"n": self.months}


def period_parse(value: str | None) -> int:
    """The months of a ``periode`` GET value; empty means the default. Raises ``BadPeriod``."""
    if value in (None, ""):
        return DEFAULT_MONTHS
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise BadPeriod(value) from None
    if months not in PERIOD_CHOICES:
        raise BadPeriod(value)
    return months


def period_get(months: int = DEFAULT_MONTHS, *, now: datetime.datetime | None = None) -> Period:
    """The last ``months`` months up to ``now``, calendar months back (31 January minus one
    month is 31 December, 31 March minus one month is 28 or 29 February)."""
    if months not in PERIOD_CHOICES:
        raise BadPeriod(months)
    # Months back on the local calendar: in UTC a period across a change to summer time would
    # start an hour off.
    until = timezone.localtime(now or timezone.now())
    since = until - relativedelta(months=months)
    return Period(months=months, since=since, until=until, previous_since=since - relativedelta(months=months))


# --- the rules: trend and signal, in one place ----------------------------------------------------


def trend_of(current: int, previous: int) -> str:
    if previous == 0:
        return NEW if current else EQUAL
    if current > previous:
        return UP
    if current < previous:
        return DOWN
    return EQUAL


def is_signal(current: int, previous: int) -> bool:
    """A rising theme: at least ``SIGNAL_MIN_MENTIONS`` mentions in the period and at least
    ``SIGNAL_MIN_RISE_PERCENT`` % more than in the period before (or none then)."""
    if current < plugin_setting("SIGNAL_MIN_MENTIONS"):
        return False
    return current * 100 >= previous * (100 + plugin_setting("SIGNAL_MIN_RISE_PERCENT"))


# --- links into the memory (the search page's URL contract) --------------------------------------


def memory_url(**params) -> str:
    """A link to the search (``projects:search``) with the given filters; "" while no search
    page is installed, so the pages simply show no link."""
    try:
        base = reverse("projects:search")
    except NoReverseMatch:
        return ""
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


# --- the figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int
    previous: int


@dataclass(frozen=True)
class ThemeRow:
    name: str
    total: int
    previous: int
    trend: str
    signal: bool
    kinds: tuple[KindCount, ...]
    awaiting: int  # inputs in the period that await a public answer...
    answered: int  # ...and those of them that got one
    bar: int  # 0-100: the total as a share of the largest figure on the page
    bar_previous: int
    memory_url: str = ""

    @property
    def open(self) -> int:
        return self.awaiting - self.answered

    @property
    def trend_label(self) -> str:
        return str(TREND_LABELS[self.trend])


@dataclass(frozen=True)
class WhatLives:
    period: Period
    area: sources.AreaRef | None
    themes: list[ThemeRow]
    kinds: list[tuple[str, str]]  # (kind, Dutch label), in the order the sources gave them
    total: int
    previous_total: int
    awaiting: int
    answered: int
    memory_url: str = ""

    @property
    def open(self) -> int:
        return self.awaiting - self.answered

    @property
    def signals(self) -> list[ThemeRow]:
        return [t for t in self.themes if t.signal]

    @property
    def top_three(self) -> list[ThemeRow]:
        return self.themes[:3]

    @property
    def signal_min_mentions(self) -> int:
        return plugin_setting("SIGNAL_MIN_MENTIONS")

    @property
    def signal_min_rise(self) -> int:
        return plugin_setting("SIGNAL_MIN_RISE_PERCENT")


@dataclass
class _Tally:
    current: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    previous: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    awaiting: int = 0
    answered: int = 0


@dataclass(frozen=True)
class Counts:
    """Both periods' signal counts, read once and shared by every summary on a page."""

    period: Period
    current: list[sources.SignalCount]
    previous: list[sources.SignalCount]
    theme_names: dict[str, str]  # lower-case name: the name people read


def counts_get(period: Period) -> Counts:
    """Ask every source once for both periods (``signal_counts_periods``: the sources count
    both in the same queries, in the database, all areas at once)."""
    # The listed themes' spelling only: a tag is counted as it was typed (see _theme_name).
    names: dict[str, str] = {name.strip().lower(): name for name in sources.themes(tags=False)}
    current, previous = sources.signal_counts_periods([(period.since, period.until), (period.previous_since, period.since)])
    return Counts(period=period, current=current, previous=previous, theme_names=names)


def _theme_name(counts: Counts, name: str) -> str:
    # Session tags are typed by hand ("groen", "Groen "): they count with the theme of that name.
    return counts.theme_names.get(name.strip().lower(), name.strip())


def summary(counts: Counts, *, area: sources.AreaRef | None = None) -> WhatLives:
    """The themes of ``area`` (all input, also without an area, when None), ranked by how
    often they were raised in the period, then by name."""
    period = counts.period
    code = area.code if area else None
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    kinds: dict[str, str] = {}
    for attr, rows in (("current", counts.current), ("previous", counts.previous)):
        for row in rows:
            if code is not None and row.area != code:
                continue
            kinds.setdefault(row.kind, row.kind_label)
            tally = tallies[_theme_name(counts, row.theme)]
            getattr(tally, attr)[row.kind] += row.count
            if attr == "current":
                tally.awaiting += row.awaiting
                tally.answered += row.answered
    totals = {name: (sum(t.current.values()), sum(t.previous.values())) for name, t in tallies.items()}
    largest = max((max(pair) for pair in totals.values()), default=0) or 1
    van, tot = timezone.localtime(period.since).date().isoformat(), timezone.localtime(period.until).date().isoformat()
    wijk = code or ""
    rows = []
    for name, tally in tallies.items():
        current, previous = totals[name]
        if not current and not previous:
            continue
        rows.append(ThemeRow(
            name=name, total=current, previous=previous, trend=trend_of(current, previous), signal=is_signal(current, previous),
            kinds=tuple(KindCount(kind=k, label=label, count=tally.current.get(k, 0), previous=tally.previous.get(k, 0))
                        for k, label in kinds.items() if tally.current.get(k) or tally.previous.get(k)),
            awaiting=tally.awaiting, answered=tally.answered,
            bar=round(100 * current / largest), bar_previous=round(100 * previous / largest),
            memory_url=memory_url(wijk=wijk, thema=name, van=van, tot=tot),
        ))
    rows.sort(key=lambda r: (-r.total, -r.previous, r.name.lower()))
    return WhatLives(
        period=period, area=area, themes=rows, kinds=list(kinds.items()),
        total=sum(r.total for r in rows), previous_total=sum(r.previous for r in rows),
        awaiting=sum(r.awaiting for r in rows), answered=sum(r.answered for r in rows),
        memory_url=memory_url(wijk=wijk, van=van, tot=tot),
    )


def wijken() -> list[sources.AreaRef]:
    return [a for a in sources.areas() if a.kind == "wijk"]


def area_get(code: str) -> sources.AreaRef | None:
    """The area with this code (a wijk or buurt), or None."""
    return next((a for a in sources.areas() if a.code == code), None)


# A cached page with these figures changes with every resident's write (FIGURES) and, as input
# leaves the period, with time: an hour is the most a count lags behind what leaves the window.
FIGURES_TIME_STEP = datetime.timedelta(hours=1)


def depends_on_figures() -> None:
    page_cache.depends_on(page_cache.SITE, page_cache.FIGURES)
    page_cache.valid_until(timezone.now() + FIGURES_TIME_STEP)


def what_lives_get(*, months: int = DEFAULT_MONTHS, area_code: str | None = None, now=None) -> WhatLives:
    """One page's figures: the whole municipality, or one area (LookupError for an unknown code)."""
    depends_on_figures()
    area = None
    if area_code is not None:
        area = area_get(area_code)
        if area is None:
            raise LookupError(area_code)
    return summary(counts_get(period_get(months, now=now)), area=area)


def by_area(counts: Counts, *, areas: list[sources.AreaRef] | None = None, top: int = 3) -> list[tuple[sources.AreaRef, WhatLives]]:
    """Each wijk (or the given areas) with its figures, from counts already read: no query per area.
    ``top`` keeps only the first themes of each (None: all)."""
    result = []
    for area in wijken() if areas is None else areas:
        item = summary(counts, area=area)
        if top is not None:
            item = WhatLives(**{**item.__dict__, "themes": item.themes[:top]})
        result.append((area, item))
    return result
