"""Demo content for the host site and projects: "Gemeente Lindewaard", a fictional municipality
on the real map around Houten (Utrecht). Called by ``manage.py seed_demo``.

Everything is created through Wagtail's page API and the projects services, and only when it
is missing, so running it twice changes nothing. Phase dates are relative to the day of the
first run, so a fresh demo always has projects in different phases.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from home.models import ContentPage, HomePage, SiteSettings
from projects import services
from projects.models import ProjectIndexPage, ProjectPage, ProjectPhase, ProjectUpdatePage, StakeholderGroup

DEMO_PASSWORD = "participatie-demo"
MUNICIPALITY = "Gemeente Lindewaard"

# Real geography around Houten; the municipality is fictional.
MAP_CENTER = (52.028, 5.168)
MAP_BOUNDS = (5.10, 51.99, 5.24, 52.06)  # min lon, min lat, max lon, max lat

DEMO_ACCOUNTS = [
    # (email, role shown to the user, groups, is_staff, is_superuser)
    ("bewoner@example.org", "bewoner", [], False, False),
    ("redacteur@example.org", "redacteur van alle projecten (beheer: /admin/)", ["Editors"], True, False),
    # Its group, "Redactie Nieuwbouw Molenzoom", is made with the project (PROJECT_EDITORS below).
    ("redacteur.molenzoom@example.org", "redacteur van één project: Nieuwbouw Molenzoom (/admin/)", [], True, False),
    ("raadslid@example.org", "raadslid", ["Raadsleden"], False, False),
    ("admin@example.org", "beheerder (superuser, /admin/)", [], True, True),
]


# Accounts that edit one project only: (email, project key), put in that project's editor group.
PROJECT_EDITORS = [("redacteur.molenzoom@example.org", "nieuwbouw")]


def _polygon(*points):
    """A closed GeoJSON polygon from (lon, lat) points."""
    ring = [list(p) for p in points]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _ensure_editors_group() -> Group:
    """Wagtail's migrations create "Editors"; make sure it can reach the admin, edit and publish
    pages (home/migrations/0003) even on a database where the group was removed or recreated."""
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page", "lock_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    return group


def seed_accounts(*, stdout) -> dict:
    User = get_user_model()
    _ensure_editors_group()
    users = {}
    for email, _role, groups, is_staff, is_superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email.split("@")[0], email=email, is_staff=is_staff, is_superuser=is_superuser)
            user.set_password(DEMO_PASSWORD)
            user.save()
            stdout.write(f"  account {email} aangemaakt")
        for name in groups:
            group, _created = Group.objects.get_or_create(name=name)
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        users[email.split("@")[0]] = user
    return users


CONTENT_PAGES = {
    "privacyverklaring": (
        "Privacyverklaring",
        "<p>Gemeente Lindewaard gaat zorgvuldig om met uw gegevens. Op dit platform vragen we alleen wat we nodig hebben.</p>"
        "<h2>Welke gegevens?</h2>"
        "<ul><li>Uw e-mailadres en wachtwoord voor uw account.</li>"
        "<li>Als u zich aanmeldt voor een bijeenkomst: uw naam, e-mailadres, de groep waar u bij hoort en eventuele wensen (bijvoorbeeld een rolstoelplek).</li>"
        "<li>Als u een idee indient: de tekst, de plek op de kaart en eventuele foto's.</li></ul>"
        "<h2>Wat doen we ermee?</h2>"
        "<p>We gebruiken uw gegevens alleen voor de participatie bij het project. Uw naam en e-mailadres komen nooit op de website. "
        "Alleen de ambtenaren van het project kunnen ze zien. Op de website en in het participatieverslag staan alleen aantallen.</p>"
        "<h2>Hoe lang bewaren we uw gegevens?</h2>"
        "<ul><li>Aanmeldingen voor bijeenkomsten: tot 12 maanden na de bijeenkomst. Daarna halen we uw naam en e-mailadres weg; alleen het aantal deelnemers blijft.</li>"
        "<li>Verstuurde e-mails: 30 dagen.</li>"
        "<li>Uw account: tot u het zelf verwijdert. Dat kan op de pagina Mijn gegevens.</li></ul>"
        "<h2>Uw rechten (AVG)</h2>"
        "<p>U mag uw gegevens inzien, downloaden en laten verwijderen. Dat doet u zelf op de pagina Mijn gegevens. "
        "Heeft u een vraag of klacht? Mail naar privacy@lindewaard.example.org. U kunt ook een klacht indienen bij de Autoriteit Persoonsgegevens.</p>",
    ),
    "toegankelijkheid": (
        "Toegankelijkheidsverklaring",
        "<p>Gemeente Lindewaard wil dat iedereen deze website kan gebruiken. De website moet voldoen aan de WCAG 2.1 op niveau AA.</p>"
        "<h2>Wat doen we?</h2>"
        "<ul><li>Alle formulieren werken zonder JavaScript en met het toetsenbord.</li>"
        "<li>De kaart is een extra. U kunt een idee ook indienen met een adres.</li>"
        "<li>We testen elke pagina automatisch op toegankelijkheid.</li></ul>"
        "<h2>Werkt iets niet?</h2>"
        "<p>Laat het ons weten via toegankelijkheid@lindewaard.example.org. We antwoorden binnen vijf werkdagen.</p>",
    ),
    "participatiebeleid": (
        "Ons participatiebeleid",
        "<p>In Lindewaard praten inwoners mee over plannen in hun buurt. Dit zijn onze afspraken.</p>"
        "<ul><li>Voor elk project maken we eerst een participatieplan. Daarin staat waar u wel en geen invloed op heeft.</li>"
        "<li>We kondigen bijeenkomsten minstens twee weken van tevoren aan.</li>"
        "<li>We proberen alle groepen te bereiken die met het plan te maken hebben.</li>"
        "<li>Elk idee krijgt binnen zes weken een antwoord.</li>"
        "<li>Na elke bijeenkomst publiceren we binnen twee weken wat er is besproken en afgesproken.</li>"
        "<li>Voordat de gemeenteraad besluit, publiceren we het participatieverslag.</li></ul>"
        "<h2>De participatieladder</h2>"
        "<p>De participatieladder laat zien hoeveel invloed u heeft: informeren, raadplegen, adviseren, coproduceren of meebeslissen. "
        "Bij elk project staat op welke trede het staat.</p>",
    ),
}


def seed_site(*, stdout) -> tuple[HomePage, dict]:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if isinstance(home, HomePage) and not home.intro:
        home.title = "Doe mee in Lindewaard"
        home.intro = "Praat mee over plannen in uw buurt. Kom naar een bijeenkomst, deel uw idee of volg een project."
        home.how_it_works = (
            "<p>Bij elk project staat wat u kunt doen en waar u invloed op heeft. "
            "Uw inbreng komt in een verslag voor de gemeenteraad. U hoort wat er met uw inbreng is gedaan.</p>"
        )
        home.save_revision().publish()
        stdout.write("  startpagina ingevuld")
    pages = {}
    for slug, (title, body) in CONTENT_PAGES.items():
        page = _child(home, ContentPage, slug)
        if page is None:
            page = _publish(home, ContentPage(title=title, slug=slug, body=body))
            stdout.write(f"  pagina {title} aangemaakt")
        pages[slug] = page
    settings_obj = SiteSettings.for_site(site)
    wanted = {
        "municipality_name": MUNICIPALITY,
        "primary_colour": "#00689e",
        "map_center_lat": MAP_CENTER[0],
        "map_center_lon": MAP_CENTER[1],
        "map_zoom": 13,
        "map_bounds_min_lon": MAP_BOUNDS[0],
        "map_bounds_min_lat": MAP_BOUNDS[1],
        "map_bounds_max_lon": MAP_BOUNDS[2],
        "map_bounds_max_lat": MAP_BOUNDS[3],
        "contact_email": "participatie@lindewaard.example.org",
        "contact_phone": "030 123 45 67",
        "contact_address": "Stadhuis Lindewaard\nPlein 1\n3991 AA Houten",
        "privacy_page_id": pages["privacyverklaring"].pk,
        "accessibility_page_id": pages["toegankelijkheid"].pk,
        "policy_page_id": pages["participatiebeleid"].pk,
    }
    if any(getattr(settings_obj, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(settings_obj, key, value)
        settings_obj.full_clean()
        settings_obj.save()
        stdout.write("  website-instellingen ingevuld")
    return home, pages


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def project_specs() -> dict:
    """The three demo projects. Dates relative to today put them in different phases."""
    return {
        "nieuwbouw": {
            "title": "Nieuwbouw Molenzoom",
            "slug": "nieuwbouw-molenzoom",
            "summary": (
                "Op het oude sportveld aan de Molenzoom komen ongeveer 120 nieuwe woningen. "
                "Er komen sociale huurwoningen, woningen voor starters en woningen voor ouderen. "
                "Wij willen weten wat u belangrijk vindt voor de buurt."
            ),
            "body": [("text", "<p>Het sportveld wordt al drie jaar niet meer gebruikt. De gemeenteraad wil hier woningen bouwen, "
                              "want er zijn te weinig betaalbare huizen in Lindewaard. Woningcorporatie Lekstede en ontwikkelaar "
                              "Bouwbedrijf Van Rijn maken samen met de gemeente een plan.</p>")],
            "ladder_level": "adviseren",
            "influence_can": "De inrichting van het groen en de speelplekken. De plek van de parkeerplaatsen. De looproutes door de wijk. Welke voorzieningen er in de plinten komen.",
            "influence_cannot": "Of er woningen komen en hoeveel. Het aandeel sociale huur (minimaal 30 procent). De hoogte van de gebouwen (maximaal vier lagen).",
            "phases": [
                ("informeren", "Informatieavond", -70, -50, "We vertellen wat er gaat gebeuren en beantwoorden vragen."),
                ("dialoog", "Dialoogbijeenkomsten", -49, 20, "In drie gesprekken denken bewoners, de corporatie en de bouwer samen na over het plan."),
                ("besluitvorming", "Besluit gemeenteraad", 21, 80, "De gemeenteraad besluit over het bestemmingsplan. Het participatieverslag gaat mee."),
                ("uitvoering", "Bouw", 81, 800, "De bouw begint. We houden u op de hoogte."),
            ],
            "plan": {
                "plan_goals": "Samen met de buurt ontdekken wat de nieuwe wijk goed maakt om te wonen, voor nieuwe én huidige bewoners.",
                "plan_open_topics": "Groen, spelen, parkeren, looproutes en voorzieningen op de begane grond.",
                "plan_intention": "De gemeente neemt de adviezen over, tenzij ze niet passen binnen de wet of het budget. Dan leggen we uit waarom.",
                "plan_decisions": "Het stedenbouwkundig plan en de inrichting van de openbare ruimte, voordat de gemeenteraad het bestemmingsplan vaststelt.",
                "plan_process": "Een informatieavond, drie dialoogbijeenkomsten (ontdekken, dromen, ontwerpen) en een terugkoppelavond.",
                "plan_roles": "Bewoners en ondernemers geven advies. De corporatie en de bouwer werken het plan uit. De gemeenteraad besluit.",
                "plan_expertise": "Een stedenbouwkundige, een verkeerskundige en een ecoloog zijn bij de bijeenkomsten.",
                "plan_attitude": "Open luisteren naar elkaar, ook als u het niet eens bent. Iedereen komt aan het woord.",
            },
            "end_result": "Een stedenbouwkundig plan met een advies van de buurt, en een participatieverslag voor de gemeenteraad.",
            "groups": [
                ("Omwonenden Molenzoom", "Bewoners van de straten rond het sportveld.", "hoog", "middel"),
                ("Woningzoekenden", "Starters en ouderen die een woning zoeken in Lindewaard.", "hoog", "laag"),
                ("Woningcorporatie Lekstede", "Bouwt en verhuurt de sociale huurwoningen.", "hoog", "hoog"),
                ("Ondernemers", "Winkels en bedrijven aan de Molenzoom.", "middel", "middel"),
            ],
            "contact": ("Marieke Jansen", "projectleider wonen", "m.jansen@lindewaard.example.org", "030 123 45 11"),
            "area": _polygon((5.152, 52.041), (5.163, 52.042), (5.166, 52.036), (5.158, 52.033), (5.150, 52.036)),
            "updates": [
                ("Verslag van de informatieavond", "verslag-informatieavond", -48,
                 "Ruim 80 mensen kwamen naar de informatieavond. Veel vragen gingen over parkeren en verkeer. Lees hier de antwoorden."),
                ("Doe mee met de dialoog", "doe-mee-met-de-dialoog", -40,
                 "De dialoogbijeenkomsten zijn begonnen. Meld u aan en praat mee over groen, spelen en parkeren."),
            ],
        },
        "zorg": {
            "title": "Samen zorgen in De Hoven",
            "slug": "samen-zorgen-in-de-hoven",
            "summary": (
                "Steeds meer ouderen in De Hoven wonen alleen. Hoe zorgen we samen dat niemand er alleen voor staat? "
                "We gaan in gesprek met bewoners, mantelzorgers en zorgaanbieders."
            ),
            "body": [("text", "<p>In De Hoven wonen veel ouderen. Sommigen voelen zich eenzaam of krijgen niet de hulp die ze nodig hebben. "
                              "De gemeente wil samen met de buurt ideeën bedenken en uitproberen.</p>")],
            "ladder_level": "coproduceren",
            "influence_can": "Welke activiteiten er in de buurt komen. Hoe het buurtteam werkt. Waar het geld van het buurtbudget naartoe gaat.",
            "influence_cannot": "De regels van de Wet maatschappelijke ondersteuning (Wmo). Wie recht heeft op zorg.",
            "phases": [
                ("ophalen", "Verhalen ophalen", -10, 30, "We gaan langs de deuren en in het buurthuis in gesprek: wat gaat goed, wat kan beter?"),
                ("dialoog", "Buurtgesprekken", 31, 90, "Bewoners, mantelzorgers en zorgaanbieders maken samen plannen."),
                ("uitvoering", "Uitproberen", 91, 270, "We proberen de beste ideeën een half jaar uit."),
                ("terugkoppeling", "Wat heeft het opgeleverd?", 271, 300, "We vertellen wat er is gebeurd en wat we blijven doen."),
            ],
            "plan": {
                "plan_goals": "Samen ontdekken wat ouderen in De Hoven nodig hebben om fijn en veilig thuis te wonen.",
                "plan_open_topics": "Ontmoeting, hulp van buren, vervoer en de rol van het buurtteam.",
                "plan_intention": "Wat we samen bedenken, voeren we samen uit. De gemeente betaalt uit het buurtbudget van 50.000 euro.",
                "plan_decisions": "De besteding van het buurtbudget en de werkwijze van het buurtteam De Hoven.",
                "plan_process": "Eerst verhalen ophalen, dan buurtgesprekken volgens Waarderend Onderzoek, dan een half jaar uitproberen.",
                "plan_roles": "Bewoners en mantelzorgers bedenken en doen mee. Zorgaanbieders denken mee en helpen. De gemeente faciliteert en betaalt.",
                "plan_expertise": "Kennis van de buurt, van mantelzorg en van de Wmo. Een ervaren gespreksleider begeleidt de gesprekken.",
                "plan_attitude": "Nieuwsgierig zijn naar wat goed gaat, en samen verder bouwen op wat er al is.",
            },
            "end_result": "Drie tot vijf buurtinitiatieven die een half jaar draaien, en een advies over het buurtteam.",
            "groups": [
                ("Ouderen in De Hoven", "Bewoners van 70 jaar en ouder.", "hoog", "hoog"),
                ("Mantelzorgers", "Mensen die zorgen voor een naaste.", "hoog", "middel"),
                ("Zorgaanbieders", "Thuiszorg, huisartsen en welzijnswerk.", "middel", "middel"),
                ("Vrijwilligers", "Buren en vrijwilligers van het buurthuis.", "middel", "laag"),
            ],
            "contact": ("Youssef El Amrani", "beleidsadviseur sociaal domein", "y.elamrani@lindewaard.example.org", "030 123 45 22"),
            "area": _polygon((5.140, 52.031), (5.152, 52.032), (5.154, 52.024), (5.146, 52.021), (5.138, 52.025)),
            "updates": [
                ("We gaan de wijk in", "we-gaan-de-wijk-in", -8,
                 "Deze weken bellen we aan in De Hoven. Wilt u uw verhaal vertellen? Dat kan ook in het buurthuis."),
            ],
        },
        "groen": {
            "title": "Groen Schoneveld",
            "slug": "groen-schoneveld",
            "summary": (
                "Schoneveld wordt groener. Er komen meer bomen, minder stenen en plekken om te spelen en elkaar te ontmoeten. "
                "U kunt ideeën indienen voor uw straat."
            ),
            "body": [("text", "<p>In Schoneveld is veel verharding. Bij hevige regen loopt water de kelders in en in de zomer wordt het er heet. "
                              "Daarom maken we de wijk groener. Bewoners kiezen mee welke plekken eerst aan de beurt zijn.</p>")],
            "ladder_level": "meebeslissen",
            "influence_can": "Welke plekken groen worden. Welke bomen en planten er komen. Waar bankjes en speelplekken komen.",
            "influence_cannot": "Het budget (250.000 euro). Leidingen en kabels onder de grond. De breedte van de straten voor de brandweer.",
            "phases": [
                ("ophalen", "Ideeën ophalen", -200, -140, "Bewoners zetten ideeën op de kaart."),
                ("besluitvorming", "Stemmen op ideeën", -139, -110, "Bewoners kozen de beste ideeën."),
                ("uitvoering", "Aanleg", -109, -6, "De gekozen ideeën worden aangelegd."),
                ("terugkoppeling", "Terugblik", -5, 60, "We kijken samen terug: wat is er gedaan?"),
            ],
            "plan": {
                "plan_goals": "Samen met bewoners Schoneveld groener en koeler maken.",
                "plan_open_topics": "De plek en de soort van het groen, bankjes en speelplekken.",
                "plan_intention": "De ideeën met de meeste stemmen voeren we uit, binnen het budget en de technische grenzen.",
                "plan_decisions": "De keuze van de plekken en de inrichting van het groen in Schoneveld.",
                "plan_process": "Ideeën op de kaart, een stemronde, aanleg en een terugblik.",
                "plan_roles": "Bewoners dienen ideeën in en stemmen. De gemeente toetst de ideeën en legt ze aan.",
                "plan_expertise": "Een groenbeheerder en een ecoloog toetsen de ideeën.",
                "plan_attitude": "Denk mee voor de hele buurt, niet alleen voor uw eigen stoep.",
            },
            "end_result": "Minstens 1.000 m² minder stenen en 40 nieuwe bomen in Schoneveld.",
            "groups": [
                ("Bewoners Schoneveld", "Iedereen die in Schoneveld woont.", "hoog", "hoog"),
                ("Basisschool De Regenboog", "Leerlingen en ouders van de school.", "middel", "middel"),
                ("Hoogheemraadschap", "Zorgt voor het water in de wijk.", "middel", "middel"),
            ],
            "contact": ("Pieter van Dam", "wijkregisseur Schoneveld", "p.vandam@lindewaard.example.org", "030 123 45 33"),
            "area": _polygon((5.168, 52.022), (5.182, 52.023), (5.186, 52.015), (5.175, 52.011), (5.166, 52.015)),
            "updates": [
                ("De uitslag van de stemronde", "uitslag-stemronde", -105,
                 "Bijna 400 bewoners stemden. Deze tien ideeën gaan we uitvoeren."),
                ("De eerste bomen staan er", "eerste-bomen", -20,
                 "Aan de Schoneveldselaan zijn de eerste twaalf bomen geplant. Dank aan alle bewoners die hielpen."),
            ],
        },
    }


def _create_project(index: ProjectIndexPage, spec: dict) -> ProjectPage:
    name, role, email, phone = spec["contact"]
    page = ProjectPage(
        title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"],
        ladder_level=spec["ladder_level"], influence_can=spec["influence_can"],
        influence_cannot=spec["influence_cannot"], end_result=spec["end_result"],
        contact_name=name, contact_role=role,
        contact_email=email, contact_phone=phone, area=spec["area"], **spec["plan"],
    )
    for i, (kind, title, start, end, description) in enumerate(spec["phases"]):
        page.phases.add(ProjectPhase(sort_order=i, kind=kind, title=title, start_date=_days(start),
                                     end_date=_days(end), description=description))
    for i, (group, description, interest, influence) in enumerate(spec["groups"]):
        page.stakeholder_groups.add(StakeholderGroup(sort_order=i, name=group, description=description,
                                                     interest=interest, influence=influence))
    return _publish(index, page)


def seed_projects(*, stdout, home: Page, users: dict) -> dict[str, ProjectPage]:
    index = _child(home, ProjectIndexPage, "projecten")
    if index is None:
        index = _publish(home, ProjectIndexPage(
            title="Projecten", slug="projecten",
            intro="Hier vindt u alle projecten waarover u kunt meepraten. Kies een project om te zien wat u kunt doen.",
        ))
        stdout.write("  projectoverzicht aangemaakt")
    projects = {}
    for key, spec in project_specs().items():
        project = _child(index, ProjectPage, spec["slug"])
        if project is None:
            project = _create_project(index, spec)
            stdout.write(f"  project {project.title} aangemaakt")
        for title, slug, days_ago, intro in spec["updates"]:
            if _child(project, ProjectUpdatePage, slug) is None:
                _publish(project, ProjectUpdatePage(title=title, slug=slug, date=_days(days_ago), intro=intro))
        projects[key] = project
    # Pages made in code pass no "after_create_page" hook: each project gets its editor group here.
    User = get_user_model()
    for project in projects.values():
        services.project_editor_group_ensure(project=project)
    for email, key in PROJECT_EDITORS:
        user = User.objects.get(email__iexact=email)
        user.groups.add(services.project_editor_group_get(projects[key]))
    # The demo resident follows the greening project (after its news was published).
    services.follow_create(project=projects["groen"], user=users["bewoner"])
    return projects


def seed(*, stdout) -> dict[str, ProjectPage]:
    """Create the site, accounts and projects; returns the projects keyed "nieuwbouw", "zorg", "groen".

    Not one transaction: each page is committed when published, so the news of the demo is
    announced (to nobody) before the demo resident starts following. A run that stops
    half-way is completed by the next run."""
    users = seed_accounts(stdout=stdout)
    home, _pages = seed_site(stdout=stdout)
    return seed_projects(stdout=stdout, home=home, users=users)
