"""Demo content for geo: wijken, themes, a moderator and ~40 initiatives in every status.

Built through geo's own services (create, publish, reject, answer, support), so the demo
exercises the same rules as the site. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime
import importlib
import random

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from geo import execution, services
from geo.models import Initiative, InitiativeMapPage, Theme

from .projects import DEMO_PASSWORD

# Five wijken tiling the demo bounds (5.10-5.24 E, 51.99-52.06 N); CBS-like codes.
AREAS = [
    ("WK999901", "Houten-Noord", [(5.14, 52.03), (5.20, 52.03), (5.20, 52.06), (5.14, 52.06)]),
    ("WK999902", "Houten-Zuid", [(5.14, 51.99), (5.20, 51.99), (5.20, 52.03), (5.14, 52.03)]),
    ("WK999903", "Schalkwijk", [(5.10, 51.99), (5.14, 51.99), (5.14, 52.06), (5.10, 52.06)]),
    ("WK999904", "Tull en 't Waal", [(5.20, 51.99), (5.24, 51.99), (5.24, 52.02), (5.20, 52.02)]),
    ("WK999905", "Castellum", [(5.20, 52.02), (5.24, 52.02), (5.24, 52.06), (5.20, 52.06)]),
]
THEMES = ["Groen", "Verkeer", "Spelen", "Veiligheid", "Samen leven", "Duurzaam"]

IDEAS = {
    "Groen": ["Meer bomen in de straat", "Geveltuintjes langs de stoep", "Bloemen op de rotonde", "Tegels eruit, planten erin",
              "Een moestuin voor de buurt", "Bomen bij het schoolplein", "Een wadi tegen wateroverlast"],
    "Verkeer": ["Drempel bij de school", "Zebrapad bij de bakker", "Meer fietsenrekken bij het station", "30 km in de wijk",
                "Betere verlichting op het fietspad", "Laadpalen bij de flat"],
    "Spelen": ["Een speeltuin voor kleine kinderen", "Een pannakooi", "Schommels in het park", "Een skatebaan",
               "Speelplek bij de flats", "Natuurspeeltuin aan het water"],
    "Veiligheid": ["Lantaarnpaal in het steegje", "Heg snoeien bij de oversteek", "Camera bij de fietsenstalling",
                   "Spiegel bij de bocht", "Beter licht bij de bushalte"],
    "Samen leven": ["Een bankje om samen te zitten", "Buurtbarbecue op het plein", "Een ruilkast voor boeken",
                    "Een buurthuis dat 's avonds open is", "Picknicktafel in het park"],
    "Duurzaam": ["Zonnepanelen op de sporthal", "Een deelauto in de straat", "Regenton voor iedereen",
                 "Afvalbakken voor plastic", "Groene daken op de bushokjes", "Een repair café"],
}
ANSWERS = {
    "in_behandeling": "Wij bekijken uw idee. Binnen zes weken hoort u meer.",
    "overgenomen": "Goed idee. Wij voeren het uit in de komende maanden.",
    "deels_overgenomen": "Een deel van uw idee voeren wij uit. Het andere deel past niet in het budget.",
    "niet_overgenomen": "Wij voeren dit idee niet uit. Er liggen leidingen onder de grond op deze plek.",
    "uitgevoerd": "Het is klaar. Bedankt voor uw idee!",
}
# The public status each demo initiative ends in, reached along allowed transitions.
PATHS = [
    [], ["in_behandeling"], ["overgenomen"], ["in_behandeling", "deels_overgenomen"], ["niet_overgenomen"],
    ["overgenomen", "uitgevoerd"], ["in_behandeling", "overgenomen", "uitgevoerd"],
]


def _resident(username: str, email: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _point_in(rng: random.Random, polygon: list[tuple[float, float]]) -> tuple[float, float]:
    lons = [p[0] for p in polygon]
    lats = [p[1] for p in polygon]
    from shapely.geometry import Point, Polygon

    shape_ = Polygon(polygon)
    while True:
        lon, lat = rng.uniform(min(lons), max(lons)), rng.uniform(min(lats), max(lats))
        if shape_.contains(Point(lon, lat)):
            return round(lat, 6), round(lon, 6)


def seed(*, stdout, projects: dict) -> None:
    """Create demo content idempotently. ``projects`` maps demo keys to ProjectPage objects."""
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "naam": name},
         "geometry": {"type": "Polygon", "coordinates": [[*([lon, lat] for lon, lat in ring), list(ring[0])]]}}
        for code, name, ring in AREAS
    ]}
    result = services.area_import(data=data, kind="wijk")
    if result["created"]:
        stdout.write(f"  {result['created']} wijken aangemaakt")
    for i, name in enumerate(THEMES):
        Theme.objects.get_or_create(name=name, defaults={"sort_order": i})

    moderator = _resident("moderator", "moderator@example.org")
    if not moderator.is_staff:
        moderator.is_staff = True
        moderator.save(update_fields=["is_staff"])
    group = Group.objects.filter(name="Moderatoren").first()
    if group is None:  # made by geo's data migration; rebuilt if a test flush removed it
        importlib.import_module("geo.migrations.0002_moderators_group").create_group(apps, None)
        group = Group.objects.get(name="Moderatoren")
    moderator.groups.add(group)

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page if site else None
    if home is not None and not InitiativeMapPage.objects.exists():
        page = InitiativeMapPage(
            title="Initiatieven op de kaart", slug="initiatieven",
            intro="Bewoners zetten hier hun ideeën voor de straat of buurt op de kaart. Kijk wat er speelt, steun een idee of dien zelf iets in.",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        stdout.write("  kaartpagina aangemaakt")

    if Initiative.objects.filter(submitter__username__startswith="buurtbewoner").exists():
        return
    rng = random.Random(2026)
    residents = [_resident(f"buurtbewoner{i}", f"buurtbewoner{i}@example.org") for i in range(1, 9)]
    bewoner = get_user_model().objects.filter(username="bewoner").first()
    if bewoner is not None:
        EmailAddress.objects.update_or_create(user=bewoner, email=bewoner.email, defaults={"verified": True, "primary": True})
        residents.insert(0, bewoner)
    themes = {t.name: t for t in Theme.objects.all()}
    groen = projects.get("groen")
    groen_ring = [tuple(p) for p in groen.area["coordinates"][0]] if groen is not None and groen.area else None
    made = 0
    for number in range(42):
        theme_name = THEMES[number % len(THEMES)]
        title = IDEAS[theme_name][(number // len(THEMES)) % len(IDEAS[theme_name])]
        in_project = groen_ring is not None and number % 5 == 0
        if in_project:
            lat, lon = _point_in(rng, groen_ring)
        else:
            lat, lon = _point_in(rng, AREAS[number % len(AREAS)][2])
        submitter = residents[number % len(residents)]
        initiative = services.initiative_create(
            submitter=submitter, title=title, theme=themes["Groen" if in_project else theme_name],
            description=f"{title}. Dat maakt de buurt fijner voor iedereen. Meer uitleg: https://www.example.org/idee-{number}",
            lat=None if number % 13 == 6 else lat, lon=None if number % 13 == 6 else lon, no_location=number % 13 == 6,
            project=groen if in_project else None, keep_informed=number % 2 == 0,
        )
        made += 1
        if number % 14 == 13:
            continue  # still waiting for a moderator
        if number % 14 == 12:
            services.initiative_reject(initiative=initiative, moderator=moderator,
                                       reason="Er stonden een naam en een telefoonnummer in. Dien het gerust opnieuw in zonder die gegevens.")
            continue
        services.initiative_publish(initiative=initiative, moderator=moderator)
        for status in PATHS[number % len(PATHS)]:
            services.initiative_set_status(initiative=initiative, to_status=status, answer=ANSWERS[status], by=moderator)
        if initiative.project_id and PATHS[number % len(PATHS)][-1:] in (["overgenomen"], ["deels_overgenomen"]):
            # An adopted initiative of the project: who carries it out and by when (the accountability page).
            execution.initiative_execution_update(
                initiative_id=initiative.pk, status="bezig" if number % 2 else "open", by=moderator,
                progress="Offerte aangevraagd bij de aannemer." if number % 2 else "",
                responsible="Gemeente, team Buitenruimte", due_date=datetime.date.today() + datetime.timedelta(days=(number % 3 - 1) * 20),
            )
        for supporter in rng.sample(residents, rng.randint(0, len(residents) - 1)):
            if supporter != submitter:
                services.support_add(initiative=initiative, user=supporter, keep_informed=rng.random() < 0.5)
    stdout.write(f"  {made} initiatieven aangemaakt (in elke status), een moderator: moderator@example.org")
