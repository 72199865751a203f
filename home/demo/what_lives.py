"""Demo history for "Wat leeft er": initiatives from the months before the demo's own (which
are all made today), so the pages show a trend against the previous period, falling themes
and rising ones. Idempotent: nothing is added when the first of them exists."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from geo import services
from geo.models import Area, Initiative, StatusChange, Support, Theme

# (theme, wijk code, title, days ago): Verkeer was raised a lot last winter and less now, so it
# falls; Groen and Spelen were raised a little then and much more now, so they rise.
HISTORY = [
    ("Verkeer", "WK999901", "Auto's rijden te hard in de Molenstraat", 100),
    ("Verkeer", "WK999901", "Oversteekplaats bij het winkelcentrum", 110),
    ("Verkeer", "WK999902", "Parkeerplaatsen voor bezoekers", 120),
    ("Verkeer", "WK999903", "Fietspad naar de school is te smal", 130),
    ("Verkeer", "WK999904", "Vrachtwagens door de woonstraat", 140),
    ("Verkeer", "WK999905", "Stoplicht duurt te lang voor voetgangers", 150),
    ("Verkeer", "WK999901", "Bushalte dichter bij het zorgcentrum", 160),
    ("Groen", "WK999901", "Boom bij de speeltuin is ziek", 105),
    ("Spelen", "WK999902", "Doeltjes op het grasveld", 125),
    ("Veiligheid", "WK999903", "Donker pad langs de vaart", 135),
    ("Samen leven", "WK999905", "Koffieochtend in het buurthuis", 145),
    ("Duurzaam", "WK999904", "Meer laadpalen in de wijk", 170),
]


def seed(*, stdout) -> None:
    if not Area.objects.filter(code="WK999901").exists() or Initiative.objects.filter(title=HISTORY[0][2]).exists():
        return
    users = get_user_model().objects
    moderator = users.filter(username="moderator").first()
    residents = list(users.filter(username__startswith="buurtbewoner").order_by("username"))
    if moderator is None or not residents:
        return
    themes = {t.name: t for t in Theme.objects.all()}
    areas = {a.code: a for a in Area.objects.filter(code__startswith="WK9999")}
    now = timezone.now()
    for number, (theme, code, title, days_ago) in enumerate(HISTORY):
        area = areas[code]
        initiative = services.initiative_create(
            submitter=residents[number % len(residents)], title=title, theme=themes[theme],
            description=f"{title}. Dit speelt al een tijd in de buurt.", place_area=area, project=None,
        )
        services.initiative_publish(initiative=initiative, moderator=moderator)
        services.initiative_set_status(initiative=initiative, to_status="in_behandeling",
                                       answer="Wij bekijken uw idee. Binnen zes weken hoort u meer.", by=moderator)
        for supporter in residents[: number % 4]:
            if supporter.pk != initiative.submitter_id:
                services.support_add(initiative=initiative, user=supporter)
        # The services stamp everything with the present; the demo needs a past, so move the
        # records back to when they would have come in.
        then = now - datetime.timedelta(days=days_ago)
        Initiative.objects.filter(pk=initiative.pk).update(
            created_at=then, published_at=then, answered_at=then + datetime.timedelta(days=10))
        StatusChange.objects.filter(initiative=initiative).update(created_at=then + datetime.timedelta(days=10))
        Support.objects.filter(initiative=initiative).update(created_at=then + datetime.timedelta(days=2))
    stdout.write(f"  {len(HISTORY)} oudere initiatieven voor Wat leeft er aangemaakt")
