import pytest
from django.core.management import call_command

from geo.models import Initiative, Moderation, Status

pytestmark = pytest.mark.django_db


def test_demo_has_initiatives_in_every_status_and_is_idempotent(seeded_demo):
    published = Initiative.objects.filter(moderation=Moderation.PUBLISHED)
    assert set(published.values_list("status", flat=True)) == set(Status.values)
    assert Initiative.objects.filter(moderation=Moderation.PENDING).exists()
    assert Initiative.objects.filter(moderation=Moderation.REJECTED).exists()
    assert Initiative.objects.filter(project__slug="groen-schoneveld").exists()
    assert published.filter(support_count__gt=0).exists()
    counts = (Initiative.objects.count(), sum(published.values_list("support_count", flat=True)))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Initiative.objects.count(), sum(published.values_list("support_count", flat=True))) == counts


def test_demo_has_adopted_initiatives_with_who_and_due_date_on_the_accountability_page(client, seeded_demo):
    carried = Initiative.objects.filter(project__slug="groen-schoneveld", moderation=Moderation.PUBLISHED).exclude(responsible="")
    assert carried.exists() and carried.filter(due_date__isnull=False).exists()
    html = client.get("/verantwoording/").content.decode()
    assert carried.first().title in html and "Gemeente, team Buitenruimte" in html


def test_demo_has_reactions_and_replies_over_wijken_and_months_and_is_idempotent(client, seeded_demo):
    from geo.models import Reaction, ReactionReport

    visible = Reaction.objects.filter(hidden_at__isnull=True, erased=False)
    assert visible.filter(parent__isnull=False).exists()
    assert visible.values("initiative__area").distinct().count() >= 4
    months = {(d.year, d.month) for d in visible.values_list("created_at", flat=True)}
    assert len(months) >= 3
    assert Reaction.objects.filter(hidden_at__isnull=False).exists()
    assert ReactionReport.objects.filter(resolved_at__isnull=True).exists()
    for initiative in Initiative.objects.filter(reactions__isnull=False).distinct():
        assert initiative.reaction_count == visible.filter(initiative=initiative).count()
    counts = Reaction.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Reaction.objects.count() == counts
    shown = visible.select_related("initiative").first()
    assert shown.body in client.get(shown.initiative.get_absolute_url()).content.decode()
