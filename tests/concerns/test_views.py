"""The resident's flow over HTTP: the form, the emailed link through a real SMTP server, the results."""

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.urls import reverse

from concerns.models import Submission, SubmissionStatus
from tests.concerns.factories import AreaFactory, ThemeFactory, top3
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db

SMTP_PORT = 18231
URL = "/wat-houdt-u-bezig/"


@pytest.fixture
def wijk(site):
    return AreaFactory(code="WK999902", name="Westwijk")


@pytest.fixture
def themes(db):
    return {name: ThemeFactory(name=name) for name in ("Groen", "Verkeer", "Veiligheid")}


def form_data(wijk, themes, **extra):
    data = {"area": wijk.pk, "theme_1": themes["Groen"].pk, "text_1": "Te weinig bomen in de straat.",
            "theme_2": themes["Verkeer"].pk, "text_2": "Er wordt hard gereden bij de school.", "theme_3": "", "text_3": ""}
    data.update(extra)
    return data


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def test_anonymous_flow_through_a_real_mail_server(client, wijk, themes, settings, django_capture_on_commit_callbacks):
    assert "Uw e-mailadres" in client.get(URL).content.decode()
    with smtp_server(settings, Inbox(), port=SMTP_PORT) as inbox:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, form_data(wijk, themes, email="sanne@example.org", keep_informed="on"), follow=True)
        assert response.status_code == 200
        assert "Kijk in uw e-mail en klik op de link" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.UNCONFIRMED and submission.email == "sanne@example.org"
    [message] = inbox.messages
    assert message["To"] == "sanne@example.org"
    link = re.search(r"http://testserver(/wat-houdt-u-bezig/bevestigen/\S+/)", message.get_body(("plain",)).get_content()).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Ja, dit is mijn top-3" in page.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNCONFIRMED  # a mail scanner's GET confirms nothing
    response = client.post(link, follow=True)
    assert "Uw e-mailadres is bevestigd" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert "al bevestigd" in client.get(link).content.decode()


def test_tampered_link_is_a_friendly_404(client, site):
    response = client.get("/wat-houdt-u-bezig/bevestigen/niet-echt/")
    assert response.status_code == 404 and "Deze link werkt niet" in response.content.decode()


def test_logged_in_verified_resident_is_not_asked_for_an_email(client, wijk, themes, resident):
    client.force_login(resident)
    html = client.get(URL).content.decode()
    assert 'name="email"' not in html and resident.email in html
    response = client.post(URL, form_data(wijk, themes))
    assert response.status_code == 302 and response["Location"] == reverse("concerns:results_area", args=[wijk.code])
    submission = Submission.objects.get()
    assert (submission.user, submission.status, submission.email) == (resident, SubmissionStatus.PENDING, "")
    assert submission.concerns.count() == 2


def test_errors_next_to_the_field_and_values_kept(client, wijk, themes, site):
    response = client.post(URL, form_data(wijk, themes, text_2="", theme_3=themes["Veiligheid"].pk, text_3="x" * 201, email="fout"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Schrijf in één zin wat u bezighoudt." in html  # row 2: theme without a sentence
    assert "Schrijf hoogstens 200 tekens. U schreef er 201." in html
    assert "Vul een geldig e-mailadres in" in html
    assert "Te weinig bomen in de straat." in html and 'value="fout"' in html
    assert Submission.objects.count() == 0


def test_nothing_named_asks_for_one(client, wijk, site):
    response = client.post(URL, {"area": wijk.pk, "email": "a@example.org"})
    assert response.status_code == 400 and "Noem ten minste één onderwerp" in response.content.decode()


@pytest.mark.parametrize("data", [{"area": "abc"}, {"area": "999999"}, {"theme_1": "x' OR 1=1"}])
def test_malformed_input_is_a_400(client, wijk, themes, data):
    response = client.post(URL, {**form_data(wijk, themes, email="a@example.org"), **data})
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_malformed_or_unknown_project_in_the_link(client, site):
    assert client.get(URL + "?project=abc").status_code == 400
    assert client.get(URL + "?project=²").status_code == 400  # a digit to str.isdigit, not to int()
    assert client.get(URL + "?project=999999").status_code == 404


def test_for_a_project(client, wijk, themes, resident):
    project = ProjectPageFactory()
    page = client.get(project.url).content.decode()
    assert "Wat houdt u bezig in uw buurt?" in page and f"{URL}?project={project.pk}" in page
    client.force_login(resident)
    assert project.title in client.get(f"{URL}?project={project.pk}").content.decode()
    client.post(f"{URL}?project={project.pk}", form_data(wijk, themes))
    assert Submission.objects.get().project_id == project.pk


def test_home_page_links_to_the_form(client, site):
    html = client.get("/").content.decode()
    assert 'href="/wat-houdt-u-bezig/"' in html


def test_csrf_is_checked(wijk, themes, site):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, form_data(wijk, themes, email="a@example.org"))
    assert response.status_code == 403 and Submission.objects.count() == 0


def test_rate_limit_per_email_keeps_the_input_on_the_form(client, wijk, themes):
    for _ in range(3):
        assert client.post(URL, form_data(wijk, themes, email="veel@example.org")).status_code == 302
    response = client.post(URL, form_data(wijk, themes, email="veel@example.org"))
    assert response.status_code == 400 and "Probeer het over een uur opnieuw" in response.content.decode()
    assert "Te weinig bomen in de straat." in response.content.decode()
    assert Submission.objects.count() == 3


def test_rate_limit_per_ip(client, wijk, themes, monkeypatch):
    from concerns import ratelimit

    monkeypatch.setitem(ratelimit.LIMITS, "ip", (2, 3600))
    for i in range(2):
        assert client.post(URL, form_data(wijk, themes, email=f"p{i}@example.org")).status_code == 302
    assert client.post(URL, form_data(wijk, themes, email="p9@example.org")).status_code == 400


def test_results_count_published_only_and_never_show_who(client, wijk, themes):
    other = AreaFactory(code="WK999903", name="Oostwijk")
    top3(area=wijk, items=[("Groen", "Meer bomen graag."), ("Verkeer", "Drempels.")], email="geheim@example.org",
         user=UserFactory(username="jan", first_name="Jan", last_name="Geheim"))
    top3(area=wijk, items=[("Groen", "Het park is vies.")])
    top3(area=wijk, items=[("Groen", "Nog niet bekeken.")], status=SubmissionStatus.PENDING)
    top3(area=other, items=[("Veiligheid", "Donkere steeg.")], status=SubmissionStatus.REJECTED)
    html = client.get("/wat-houdt-u-bezig/uitkomst/").content.decode()
    assert "Westwijk" in html and "Oostwijk" not in html
    assert "<strong>Groen</strong>: 2 bewoners" in html and "<strong>Verkeer</strong>: 1 bewoner" in html
    area_html = client.get(f"/wat-houdt-u-bezig/uitkomst/{wijk.code}/").content.decode()
    assert "Meer bomen graag." in area_html and "Het park is vies." in area_html and "Nog niet bekeken." not in area_html
    for secret in ("geheim@example.org", "Geheim", "jan"):
        assert secret not in html and secret not in area_html
    assert client.get(f"/wat-houdt-u-bezig/uitkomst/{other.code}/").status_code == 200
    assert client.get("/wat-houdt-u-bezig/uitkomst/ONBEKEND/").status_code == 404


def test_my_data_shows_my_top3_with_status(client, wijk, resident):
    top3(area=wijk, items=[("Groen", "Mijn eigen zin.")], user=resident, status=SubmissionStatus.PENDING)
    client.force_login(resident)
    html = client.get("/mijn/").content.decode()
    assert "Mijn top-3" in html and "Mijn eigen zin." in html and "Wacht op controle" in html
