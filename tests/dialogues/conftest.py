import pytest

from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory


@pytest.fixture
def round_page(site):
    return DialogueRoundPageFactory()


@pytest.fixture
def session(round_page):
    return DialogueSessionFactory(round=round_page)


@pytest.fixture(autouse=True)
def _default_site(request):
    """Transactional tests (PostgreSQL concurrency) truncate the Site table; rebuild it for
    every database test so factories always find the default site."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("site")
