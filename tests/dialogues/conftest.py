import pytest

from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory


@pytest.fixture
def round_page(site):
    return DialogueRoundPageFactory()


@pytest.fixture
def session(round_page):
    return DialogueSessionFactory(round=round_page)
