"""Simultaneous clicks: the support count stays exact (PostgreSQL, real transactions)."""


import pytest

from geo import clustering, services
from geo.models import Initiative, MapCell, Support
from tests.concurrency import run_concurrently
from tests.conftest import ensure_site
from tests.geo.conftest import moderators_group
from tests.geo.factories import InitiativeFactory, ThemeFactory
from tests.projects.factories import UserFactory




@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_are_counted_exactly():
    ensure_site()
    initiative = InitiativeFactory()
    users = [UserFactory() for _ in range(8)]
    # every user clicks twice at the same moment; each may count once
    targets = [lambda u=u: services.support_add(initiative=initiative, user=u) for u in users for _ in range(2)]
    assert run_concurrently(targets) == []
    initiative.refresh_from_db()
    assert initiative.support_count == 8 == Support.objects.filter(initiative=initiative).count()
    targets = [lambda u=u: services.support_remove(initiative=initiative, user=u) for u in users[:5] for _ in range(2)]
    assert run_concurrently(targets) == []
    initiative.refresh_from_db()
    assert initiative.support_count == 3 == Support.objects.filter(initiative=initiative).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_publications_keep_map_cells_exact():
    ensure_site()
    moderator = UserFactory()
    moderator.groups.add(moderators_group())
    theme = ThemeFactory()
    pending = [InitiativeFactory(theme=theme, moderation="pending", lat=52.03 + i * 1e-4, lon=5.17) for i in range(8)]
    assert run_concurrently([lambda i=i: services.initiative_publish(initiative=i, moderator=moderator) for i in pending]) == []
    snapshot = set(MapCell.objects.values_list("dim", "level", "cx", "cy", "count"))
    clustering.cells_rebuild()
    assert set(MapCell.objects.values_list("dim", "level", "cx", "cy", "count")) == snapshot
    assert MapCell.objects.get(level=10, dim="").count == Initiative.objects.count() == 8
