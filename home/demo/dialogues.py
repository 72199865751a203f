"""Demo content for dialogues: rounds and sessions in every state, built through the services.

Idempotent: a round is found by its slug and a session by its title within the round; what
exists already is left alone, so running seed_demo twice changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from dialogues import services
from dialogues.models import Agreement, DialogueRoundPage, DialogueSession, Quote, Registration, SessionOutcome

FIRST_NAMES = ["Anna", "Bram", "Chantal", "Dirk", "Esra", "Frank", "Gül", "Hanneke", "Ivo", "Jamal", "Kim", "Lotte"]


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    local = timezone.localtime() + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _round(project, *, slug, title, theme, introduction, groups) -> DialogueRoundPage:
    existing = DialogueRoundPage.objects.child_of(project).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = DialogueRoundPage(title=title, slug=slug, theme=theme, introduction=introduction, target_groups=groups)
    project.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _people(groups: list[str], n: int, prefix: str) -> list[dict]:
    return [
        {"name": f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {prefix.title()}{i}", "email": f"{prefix}{i}@example.org",
         "stakeholder_group": groups[i % len(groups)], "consent": True, "contact_consent": i % 2 == 0}
        for i in range(n)
    ]


@transaction.atomic
def _session(round_page, *, title, state, start, groups, prefix, capacity=12, online=False, attendees=0,
             waiting=0, outcome=None) -> DialogueSession | None:
    if DialogueSession.objects.filter(round=round_page, title=title).exists():
        return None
    session = services.session_create(
        round_page=round_page, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        venue="Buurthuis De Linde", address="Lindeplein 4, Lindewaard", latitude=52.0365, longitude=5.1522,
        online_url="https://meet.lindewaard.example.org/dialoog" if online else "",
        capacity_onsite=capacity, capacity_online=6 if online else 0, facilitator="Petra de Wit",
        accessibility="Rolstoeltoegankelijk, ringleiding in de grote zaal.",
        announced_at=start - datetime.timedelta(days=30),
    )
    before = start - datetime.timedelta(days=5)
    people = _people(groups, attendees + waiting, prefix)
    registrations = [services.registration_create(session_id=session.pk, now=before, **p) for p in people]
    if state == "held":
        for i, registration in enumerate(registrations):
            if registration.status == "pending":
                services.registration_confirm(registration_id=registration.pk, now=before)
            services.registration_check_in(registration_id=registration.pk, attended=i % 7 != 6, now=start)
        services.registration_add_walk_in(session_id=session.pk, stakeholder_group=groups[0], name="Binnenloper", now=start)
        services.session_mark_held(session_id=session.pk)
        if outcome:
            _outcome(session, **outcome)
    elif state == "open":
        for registration in registrations[: max(len(registrations) - 2, 0)]:
            if registration.status == "pending":
                services.registration_confirm(registration_id=registration.pk, now=before)
    elif state == "cancelled":
        services.session_cancel(session_id=session.pk, message="De gespreksleider is ziek. We plannen een nieuwe datum.")
    return session


def _outcome(session, *, summary, notes, themes, quotes, agreements, scores):
    outcome = SessionOutcome(session=session, summary=summary, **{f"notes_{k}": v for k, v in notes.items()})
    outcome.save()
    outcome.themes.add(*themes)
    outcome.save()
    for i, (text, group) in enumerate(quotes):
        Quote.objects.create(outcome=outcome, text=text, group=group, sort_order=i)
    for i, (what, who, days, status) in enumerate(agreements):
        Agreement.objects.create(outcome=outcome, what=what, who=who, status=status, sort_order=i,
                                 due_date=timezone.localdate() + datetime.timedelta(days=days))
    services.outcome_publish(outcome_id=outcome.pk, now=session.ends_at + datetime.timedelta(days=3))
    attended = Registration.objects.filter(session=session, status="attended", walk_in=False).order_by("pk")
    for registration, (heard, useful) in zip(attended, scores):
        services.evaluation_submit(registration_id=registration.pk, heard=heard, useful=useful)


def seed(*, stdout, projects: dict) -> None:
    """Create demo content idempotently. ``projects`` maps demo keys to ProjectPage objects."""
    zorg = projects.get("zorg")
    nieuwbouw = projects.get("nieuwbouw")
    created = 0
    if zorg is not None:
        groups = [g.name for g in zorg.stakeholder_groups.all()] or ["Bewoner"]
        rnd = _round(
            zorg, slug="samen-zorgen", title="Samen zorgen in De Hoven", theme="Minder alleen, meer samen",
            introduction="<p>In drie gesprekken praten ouderen, mantelzorgers, zorgaanbieders en vrijwilligers over wat er nodig is om elkaar beter te vinden.</p>",
            groups=groups + ["Bewoner"],
        )
        created += bool(_session(
            rnd, title="Gesprek 1: wat gaat er al goed?", state="held", start=_at(-20, 14), groups=groups, prefix="zorg-a",
            attendees=10, outcome={
                "summary": "Er gebeurt al veel in De Hoven, maar mensen weten het niet van elkaar. We maken een buurtagenda en een vast koffie-uur.",
                "notes": {"discover": "Het buurthuis en de huisarts worden genoemd als plekken waar mensen zich welkom voelen.",
                          "dream": "Over twee jaar weet iedereen in De Hoven waar hij terecht kan, ook zonder internet.",
                          "design": "Een papieren buurtagenda, een vast koffie-uur en een telefoonlijn van vrijwilligers.",
                          "destiny": "Drie afspraken, zie hieronder."},
                "themes": ["eenzaamheid", "zorg", "ontmoeten"],
                "quotes": [("Ik wist niet dat er op dinsdag een koffie-ochtend is.", "Ouderen in De Hoven"),
                           ("Als mantelzorger heb ik vooral behoefte aan even een adempauze.", "Mantelzorgers")],
                "agreements": [("Buurtagenda op papier, elke maand", "Welzijnswerk De Hoven", 30, "bezig"),
                               ("Vast koffie-uur op woensdag in het buurthuis", "Vrijwilligers buurthuis", -5, "gedaan"),
                               ("Onderzoek naar een telefoonlijn van vrijwilligers", "Gemeente (Youssef El Amrani)", 60, "open")],
                "scores": [(5, 4), (4, 4), (4, 5), (3, 4), (5, 5), (4, 3), (5, 4)],
            },
        ))
        created += bool(_session(rnd, title="Gesprek 2: dromen en ontwerpen", state="full", start=_at(9, 19, 30), groups=groups,
                                 prefix="zorg-b", capacity=6, attendees=6, waiting=3))
        created += bool(_session(rnd, title="Gesprek 3: afspraken maken", state="open", start=_at(23, 19, 30), groups=groups,
                                 prefix="zorg-c", capacity=20, online=True, attendees=5))
    if nieuwbouw is not None:
        groups = [g.name for g in nieuwbouw.stakeholder_groups.all()] or ["Bewoner"]
        rnd = _round(
            nieuwbouw, slug="dialoog-molenzoom", title="Dialoog over de Molenzoom", theme="Wonen, groen en parkeren op het oude sportveld",
            introduction="<p>Bewoners, de woningcorporatie en ondernemers praten samen over het plan voor het oude sportveld.</p>",
            groups=groups + ["Bewoner"],
        )
        created += bool(_session(
            rnd, title="Avond 1: wat vinden we belangrijk?", state="held", start=_at(-35, 19, 30), groups=groups, prefix="mz-a", capacity=16,
            attendees=14, outcome={
                "summary": "Groen en veilig verkeer zijn het belangrijkst. Over parkeren zijn de meningen verdeeld.",
                "notes": {"discover": "De bomen langs de Molenzoom en het speelveld worden gewaardeerd.",
                          "dream": "Een wijk waar kinderen veilig buiten spelen en ouderen kunnen blijven wonen.",
                          "design": "Parkeren aan de rand, een groene as door het midden, woningen voor starters en ouderen.",
                          "destiny": "De corporatie maakt twee varianten voor parkeren."},
                "themes": ["wonen", "groen", "parkeren"],
                "quotes": [("Laat de grote kastanje staan, daar zijn we allemaal mee opgegroeid.", "Omwonenden Molenzoom")],
                "agreements": [("Twee varianten voor parkeren uitwerken", "Woningcorporatie Lekstede", 20, "bezig"),
                               ("Bomen inmeten en de kastanje sparen", "Gemeente", 45, "open")],
                "scores": [(4, 4), (3, 4), (4, 3), (2, 3), (5, 4), (4, 4), (3, 3), (4, 5)],
            },
        ))
        created += bool(_session(rnd, title="Avond 2: de varianten", state="cancelled", start=_at(5, 19, 30), groups=groups, prefix="mz-b",
                                 attendees=4))
        created += bool(_session(rnd, title="Avond 2 (nieuwe datum): de varianten", state="open", start=_at(16, 19, 30), groups=groups,
                                 prefix="mz-c", capacity=30, online=True, attendees=8))
    resident = get_user_model().objects.filter(email="bewoner@example.org").first()
    if resident is not None and zorg is not None:
        session = DialogueSession.objects.filter(round__slug="samen-zorgen", title="Gesprek 3: afspraken maken").first()
        if session and not session.registrations.filter(email__iexact=resident.email).exists():
            services.registration_create(session_id=session.pk, name="Demo Bewoner", email=resident.email,
                                         stakeholder_group="Bewoner", consent=True, user=resident)
    stdout.write(f"  dialogen: {created} bijeenkomsten aangemaakt")
