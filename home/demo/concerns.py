"""Demo content for concerns: residents' Top-3's spread over the demo wijken and the last six
months (so "Wat leeft er" shows trends), some for the project "groen", a few still waiting.

Made through the app's services (create, confirm, publish, reject); only the dates are moved
back afterwards, since the services stamp "now". Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime
import importlib
import random

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from concerns import services
from concerns.models import Submission
from geo.models import Area, Theme

from .geo import _resident

SENTENCES = {
    "Groen": ["Er zijn te weinig bomen in onze straat.", "Het park wordt slecht onderhouden.", "Ik mis een plek om te wandelen.",
              "De stoep ligt vol tegels, er kan geen water weg."],
    "Verkeer": ["Er wordt te hard gereden bij de school.", "Ik kan mijn fiets nergens kwijt.", "De oversteek bij de bakker is gevaarlijk.",
                "Er staan te veel auto's op de stoep."],
    "Spelen": ["Kinderen hebben geen plek om te spelen.", "De speeltuin is kapot.", "Voor tieners is er niets te doen."],
    "Veiligheid": ["Het steegje is 's avonds donker.", "Er wordt ingebroken in schuurtjes.", "Bij de bushalte voel ik me niet veilig."],
    "Samen leven": ["Ik ken mijn buren bijna niet.", "Er is geen plek om samen te komen.", "Ouderen zitten veel alleen thuis."],
    "Duurzaam": ["Mijn huis is slecht geïsoleerd.", "Er is geen plek voor oud plastic.", "Ik wil zonnepanelen maar weet niet hoe."],
}
# Themes that rise in the last weeks in some wijken, so "Wat leeft er" has a signal to show.
RISING = {"WK999901": "Verkeer", "WK999903": "Veiligheid"}


def seed(*, stdout, projects: dict) -> None:
    if Submission.objects.exists():
        return
    wijken = list(Area.objects.filter(kind=Area.Kind.WIJK).order_by("code"))
    themes = {t.name: t for t in Theme.objects.filter(name__in=SENTENCES)}
    if not wijken or not themes:
        return
    moderator = get_user_model().objects.get(username="moderator")
    if not moderator.has_perm("concerns.moderate_submission"):  # a test flush removed the migration's rights
        importlib.import_module("concerns.migrations.0001_initial").moderators_may_moderate(apps, None)
        moderator = get_user_model().objects.get(pk=moderator.pk)
    residents = [_resident(f"zorgbewoner{i}", f"zorgbewoner{i}@example.org") for i in range(1, 25)]
    groen = projects.get("groen")
    rng = random.Random(2027)
    now = timezone.now()
    made = 0
    for number, resident in enumerate(residents * 3):
        wijk = wijken[number % len(wijken)]
        days_ago = rng.randint(0, 180)
        names = rng.sample(sorted(themes), k=rng.randint(1, 3))
        concerns = [(themes[name], rng.choice(SENTENCES[name])) for name in names]
        project = groen if groen is not None and number % 4 == 0 else None
        if number % 2:
            # Half come in without logging in: an email, the emailed link, then moderation.
            submission = services.submission_create(
                area=wijk, concerns=concerns, email=f"anoniem{number}@example.org", keep_informed=number % 3 == 0, project=project,
            )
            if number % 23 == 0:
                continue  # never confirmed: not in the queue, removed after 30 days
            services.submission_confirm(submission_id=submission.pk)
        else:
            submission = services.submission_create(area=wijk, concerns=concerns, user=resident, keep_informed=number % 3 == 0, project=project)
        # Those of the last three days stay with the moderator, so the demo's queue is not empty.
        if days_ago >= 3 and number % 17 == 0:
            services.submission_reject(submission=submission, moderator=moderator, reason="Dit gaat niet over de wijk.")
        elif days_ago >= 3:
            services.submission_publish(submission=submission, moderator=moderator)
        moment = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 12))
        Submission.objects.filter(pk=submission.pk).update(
            created_at=moment, published_at=moment + datetime.timedelta(days=1) if submission.published_at else None,
        )
        made += 1
    by_code = {w.code: w for w in wijken}
    for code, name in RISING.items():
        if code not in by_code or name not in themes:
            continue
        for i, resident in enumerate(residents[:5]):
            submission = services.submission_create(
                area=by_code[code], concerns=[(themes[name], SENTENCES[name][i % len(SENTENCES[name])])], user=resident,
            )
            services.submission_publish(submission=submission, moderator=moderator)
            moment = now - datetime.timedelta(days=4 + 5 * i)
            Submission.objects.filter(pk=submission.pk).update(created_at=moment, published_at=moment + datetime.timedelta(hours=6))
            made += 1
    stdout.write(f"  {made} top-3's van bewoners aangemaakt")
