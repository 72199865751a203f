import pytest
from django.urls import reverse

from tests.projects.factories import ProjectPageFactory, phase
import datetime

pytestmark = pytest.mark.django_db


def test_home_and_project_page_render(client, home_page):
    today = datetime.date.today()
    project = ProjectPageFactory(
        title="Groen in de wijk",
        phases=[phase("dialoog", "Gesprekken", today - datetime.timedelta(days=3), today + datetime.timedelta(days=3))],
    )
    response = client.get("/")
    assert response.status_code == 200
    assert "Groen in de wijk" in response.content.decode()
    response = client.get(project.url)
    assert response.status_code == 200
    assert "Gesprekken" in response.content.decode()


def test_unknown_page_is_friendly_404(client, home_page):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
