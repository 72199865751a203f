import datetime
import json
import re

import pytest
from django.urls import reverse

from projects.models import ProjectFollow
from projects.services import follow_create, follow_token
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory, phase

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
AREA = {"type": "Polygon", "coordinates": [[[5.15, 52.02], [5.17, 52.02], [5.17, 52.03], [5.15, 52.02]]]}


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def project(home_page):
    return ProjectPageFactory(
        title="Nieuwbouw Molenzoom",
        summary="Er komen 120 woningen.",
        ladder_level="adviseren",
        influence_can="Het groen en de speelplekken.",
        influence_cannot="Het aantal woningen.",
        plan_goals="Samen een goede wijk maken.",
        plan_attitude="Open luisteren.",
        contact_name="Marieke Jansen",
        contact_phone="030 123 45 11",
        area=AREA,
        phases=[
            phase("informeren", "Informatieavond", days(-30), days(-10)),
            phase("dialoog", "Dialoogbijeenkomsten", days(-9), days(20)),
            phase("besluitvorming", "Besluit gemeenteraad", days(21), days(60)),
        ],
        groups=["Omwonenden", "Ondernemers"],
    )


def _text(response):
    return response.content.decode()


def test_project_page_sections_in_design_order(client, project):
    html = _text(client.get(project.url))
    order = ["Wat gebeurt er en waarom?", "Waar heeft u invloed op?", "Planning", "Het participatieplan",
             "Wie doen er mee?", "Doe mee", "Contactpersoon"]
    positions = [html.index(f">{heading}</h2>") for heading in order]
    assert positions == sorted(positions)
    assert "Er komen 120 woningen." in html
    assert "Uw invloed: Adviseren." in html and "de gemeenteraad besluit" in html
    assert "Het groen en de speelplekken." in html and "Het aantal woningen." in html
    assert "Wat is de participatieladder?" in html
    assert "Marieke Jansen" in html


def test_timeline_marks_current_phase_with_text_not_only_colour(client, project):
    html = _text(client.get(project.url))
    current = re.search(r'<li class="current" aria-current="step">(.*?)</li>', html, re.S).group(1)
    assert "Dialoogbijeenkomsten" in current and "(nu bezig)" in current
    assert html.count('aria-current="step"') == 2  # the timeline and the ladder step
    assert "(klaar)" in html


def test_plan_shows_only_answered_questions(client, project):
    html = _text(client.get(project.url))
    assert "Wat is het doel van de dialoog?" in html and "Welke houding vragen we van de deelnemers?" in html
    assert "Wie speelt welke rol?" not in html


def test_map_is_an_enhancement_with_the_area_as_json(client, project):
    html = _text(client.get(project.url))
    config = json.loads(re.search(r'<script id="project-map-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["area"] == AREA
    assert 'data-project-map hidden' in html  # shown by the script only
    assert "/static/leaflet/leaflet.js" in html and "unpkg" not in html and "cdn" not in html.lower()


def test_page_without_area_loads_no_map(client, home_page):
    html = _text(client.get(ProjectPageFactory().url))
    assert "leaflet.js" not in html and "project-map-config" not in html


def test_user_content_is_escaped(client, home_page):
    html = _text(client.get(ProjectPageFactory(summary="<script>alert(1)</script>").url))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_news_on_project_page_and_update_page(client, project):
    update = ProjectUpdatePageFactory(parent=project, title="De eerste bomen", intro="Twaalf bomen geplant.")
    html = _text(client.get(project.url))
    assert "De eerste bomen" in html and update.url in html
    html = _text(client.get(update.url))
    assert "<h1>De eerste bomen</h1>" in html and "Twaalf bomen geplant." in html
    assert project.url in html


def test_index_cards_with_phase_ladder_and_filter(client, project):
    ProjectPageFactory(title="Groen Schoneveld", ladder_level="meebeslissen",
                       phases=[phase("uitvoering", "Aanleg", days(-5), days(50))])
    index_url = project.get_parent().url
    html = _text(client.get(index_url))
    assert "Nieuwbouw Molenzoom" in html and "Groen Schoneveld" in html
    assert "Dialoogbijeenkomsten" in html and "Uw invloed" in html and "Meebeslissen" in html
    html = _text(client.get(index_url, {"fase": "uitvoering"}))
    assert "Groen Schoneveld" in html and "Nieuwbouw Molenzoom" not in html
    assert '<option value="uitvoering" selected>' in html
    # Nonsense in the query string: all projects, no error.
    response = client.get(index_url, {"fase": "<b>"})
    assert response.status_code == 200 and "Nieuwbouw Molenzoom" in _text(response)


def test_anonymous_sees_login_link_back_to_the_project(client, project):
    html = _text(client.get(project.url))
    assert f'href="/account/login/?next={project.url}"' in html
    assert reverse("projects:follow", args=[project.pk]) not in html


def test_anonymous_post_to_follow_goes_to_login_and_back(client, project):
    response = client.post(reverse("projects:follow", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={project.url}"
    assert not ProjectFollow.objects.exists()


def test_follow_and_unfollow(client, project):
    user = UserFactory()
    client.force_login(user)
    html = _text(client.get(project.url))
    assert reverse("projects:follow", args=[project.pk]) in html and "csrfmiddlewaretoken" in html
    response = client.post(reverse("projects:follow", args=[project.pk]), follow=True)
    assert ProjectFollow.objects.filter(project=project, user=user).exists()
    html = _text(response)
    assert "U volgt dit project. U krijgt een e-mail bij nieuws." in html  # message
    assert reverse("projects:unfollow", args=[project.pk]) in html
    response = client.post(reverse("projects:unfollow", args=[project.pk]), follow=True)
    assert not ProjectFollow.objects.exists()
    assert "U volgt dit project niet meer." in _text(response)


def test_follow_needs_post(client, project):
    client.force_login(UserFactory())
    assert client.get(reverse("projects:follow", args=[project.pk])).status_code == 405
    assert not ProjectFollow.objects.exists()


def test_cannot_follow_unpublished_project(client, project):
    client.force_login(UserFactory())
    project.unpublish()
    assert client.post(reverse("projects:follow", args=[project.pk])).status_code == 404


def test_unfollow_by_token_without_login(client, project):
    follow = follow_create(project=project, user=UserFactory())
    url = reverse("projects:unfollow_token", args=[follow_token(follow)])
    html = _text(client.get(url))
    assert "Ja, stop met volgen" in html and "Nieuwbouw Molenzoom" in html
    assert ProjectFollow.objects.exists()  # a GET (mail scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "U volgt dit project niet meer" in _text(response)
    assert not ProjectFollow.objects.exists()
    # The used link now tells the user it no longer works.
    response = client.get(url)
    assert response.status_code == 404 and "Deze link werkt niet" in _text(response)


def test_tampered_token_gives_friendly_404(client, project):
    follow = follow_create(project=project, user=UserFactory())
    token = follow_token(follow)
    for bad in (token[:-3] + "abc", "zomaar-iets"):
        response = client.post(reverse("projects:unfollow_token", args=[bad]))
        assert response.status_code == 404
        assert "Deze link werkt niet" in _text(response)
    assert ProjectFollow.objects.exists()
