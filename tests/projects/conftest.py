import pytest

from tests.geo.conftest import moderators_group
from tests.projects.factories import UserFactory


@pytest.fixture
def moderator(site):
    """A member of "Moderatoren" (geo's data migration gives them every initiative)."""
    user = UserFactory(username="moderator-projects")
    user.groups.add(moderators_group())
    return user
