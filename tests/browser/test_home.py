import datetime

import pytest

from tests.browser.conftest import assert_accessible
from tests.projects.factories import ProjectPageFactory, phase

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_shows_running_project_and_is_accessible(page, live_server):
    today = datetime.date.today()
    project = ProjectPageFactory(
        title="Groen in de wijk",
        phases=[phase("dialoog", "Gesprekken", today - datetime.timedelta(days=2), today + datetime.timedelta(days=9))],
    )
    page.goto("/")
    assert page.get_by_role("link", name="Groen in de wijk").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Groen in de wijk").click()
    page.wait_for_url(f"**{project.url}")
    assert page.get_by_role("heading", level=1).inner_text() == "Groen in de wijk"
    assert_accessible(page)
