"""Demo content for reactions on initiatives: reactions and replies on the published demo
initiatives in every wijk, spread over the last months (so "Wat leeft er" has a trend to show),
one reported and hidden by the moderator, one reported and waiting in the queue.

Built through ``geo.reaction_services`` (which also mails the opted-in submitters and supporters,
into the outbox). Only the dates are moved back afterwards, as if the reactions came in over
time. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from geo import reaction_services
from geo.models import Initiative, Moderation, Reaction

REACTIONS = [
    "Goed idee! Hier loop ik elke dag langs.",
    "Dit zou de buurt echt beter maken.",
    "Ik twijfel. Wie gaat het onderhoud doen?",
    "Eindelijk! Daar wachten wij al jaren op.",
    "Kan dit ook in de straat hiernaast?",
    "Mooi plan, maar denk ook aan de parkeerplaatsen.",
    "Mijn kinderen zouden hier blij van worden.",
    "Let op de bomen die er nu al staan.",
]
REPLIES = [
    "Dat vroeg ik mij ook af.",
    "Goed punt, daar had ik nog niet aan gedacht.",
    "De gemeente heeft gezegd dat zij het onderhoud doet.",
    "Helemaal mee eens.",
]


def seed(*, stdout) -> None:
    User = get_user_model()
    residents = list(User.objects.filter(username__startswith="buurtbewoner").order_by("username"))
    bewoner = User.objects.filter(username="bewoner").first()
    if bewoner is not None:
        residents.insert(0, bewoner)
    moderator = User.objects.filter(username="moderator").first()
    if not residents or moderator is None or Reaction.objects.filter(author__in=residents).exists():
        return
    rng = random.Random(2611)
    now = timezone.now()
    initiatives = list(Initiative.objects.filter(moderation=Moderation.PUBLISHED).order_by("pk"))
    made = 0
    for number, initiative in enumerate(initiatives):
        if number % 4 == 3:
            continue  # not every initiative gets reactions
        others = [r for r in residents if r.pk != initiative.submitter_id]
        for i in range(rng.randint(1, 4)):
            # Spread over six months; more recently for some themes, so trends differ.
            days_ago = rng.randint(0, 60) if initiative.theme.name in ("Verkeer", "Groen") else rng.randint(0, 180)
            author = others[(number + i) % len(others)]
            top = reaction_services.reaction_create(initiative=initiative, author=author, body=REACTIONS[(number + i) % len(REACTIONS)])
            moment = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 20))
            Reaction.objects.filter(pk=top.pk).update(created_at=moment)
            made += 1
            if rng.random() < 0.4:
                replier = initiative.submitter if initiative.submitter_id and rng.random() < 0.5 else others[(number + i + 1) % len(others)]
                if replier is not None and replier.pk != author.pk:
                    reply = reaction_services.reaction_create(initiative=initiative, author=replier, body=REPLIES[(number + i) % len(REPLIES)], parent=top)
                    Reaction.objects.filter(pk=reply.pk).update(created_at=min(now, moment + datetime.timedelta(hours=rng.randint(1, 48))))
                    made += 1
    if initiatives:
        target = initiatives[0]
        rude = reaction_services.reaction_create(initiative=target, author=residents[-1], body="Wat een onzin, bel me maar op 06-12345678.")
        reaction_services.reaction_report(reaction=rude, reporter=residents[0])
        reaction_services.reaction_hide(reaction=rude, moderator=moderator, reason="Er stond een telefoonnummer in.")
        doubt = reaction_services.reaction_create(initiative=initiatives[-1], author=residents[-1], body="Dit is geldverspilling.")
        reaction_services.reaction_report(reaction=doubt, reporter=residents[0])
        made += 2
    stdout.write(f"  {made} reacties aangemaakt (een verborgen, een gemeld)")
