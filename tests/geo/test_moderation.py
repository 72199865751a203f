"""The moderation queue per project, who may moderate what, the audit log of every moderation
write, and the submitter's email on publication (through the outbox)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, ModelLogEntry

from geo import services
from geo.models import Moderation, Report, Status
from projects.models import OutgoingMail
from tests.geo.factories import InitiativeFactory
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/initiatieven/"


def editor_for(page, name):
    group = Group.objects.create(name=f"Redactie {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"),
        )
    user = UserFactory(username=f"editor-{name}")
    user.groups.add(group)
    return user


@pytest.fixture
def world(site, moderator):
    school, park = ProjectPageFactory(title="Nieuwe school"), ProjectPageFactory(title="Stadspark")
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    submitter = UserFactory(username="indiener", email="indiener@example.org")
    initiatives = {
        "school": InitiativeFactory(title="Zebrapad bij de school", project=school, moderation=Moderation.PENDING, submitter=submitter),
        "park": InitiativeFactory(title="Bankjes in het park", project=park, moderation=Moderation.PENDING, submitter=submitter),
        "none": InitiativeFactory(title="Losse lantaarnpaal", moderation=Moderation.PENDING, submitter=submitter),
        "old": InitiativeFactory(title="Al gepubliceerd", project=school),
    }
    users = {
        "anonymous": None, "resident": UserFactory(username="bewoner"), "council": council, "moderator": moderator,
        "editor": editor_for(school, "school"), "editor_elsewhere": editor_for(park, "park"),
    }
    return {"school": school, "park": park, "initiatives": initiatives, "users": users, "submitter": submitter}


def login(client, user):
    if user is not None:
        client.force_login(user)


# --- the queue filtered by project ------------------------------------------------------------

def test_moderator_filters_the_queue_by_project_and_without_project(client, world):
    client.force_login(world["users"]["moderator"])
    html = client.get(QUEUE).content.decode()
    assert all(t in html for t in ("Zebrapad bij de school", "Bankjes in het park", "Losse lantaarnpaal"))
    assert "Al gepubliceerd" not in html  # not waiting
    assert "Zonder project" in html and "Nieuwe school" in html and "Stadspark" in html

    html = client.get(QUEUE, {"project": world["school"].pk}).content.decode()
    assert "Zebrapad bij de school" in html and "Bankjes in het park" not in html and "Losse lantaarnpaal" not in html

    html = client.get(QUEUE, {"project": "geen"}).content.decode()
    assert "Losse lantaarnpaal" in html and "Zebrapad bij de school" not in html and "Bankjes in het park" not in html

    html = client.get(QUEUE, {"project": world["school"].pk, "toon": "alle"}).content.decode()
    assert "Al gepubliceerd" in html and "Zebrapad bij de school" in html and "Bankjes in het park" not in html
    assert f"?toon=wachtrij&amp;project={world['school'].pk}" in html  # the other view keeps the filter


def test_unknown_project_in_the_filter_is_a_400_with_a_reason(client, world):
    client.force_login(world["users"]["moderator"])
    response = client.get(QUEUE, {"project": "99999"})
    assert response.status_code == 400
    assert "Dit project heeft geen initiatieven" in response.content.decode()
    assert client.get(QUEUE, {"project": "<script>"}).status_code == 400


@pytest.mark.parametrize("role, sees, filter_choices", [
    ("moderator", {"school", "park", "none"}, {"Nieuwe school", "Stadspark", "Zonder project"}),
    ("editor", {"school"}, {"Nieuwe school"}),
    ("editor_elsewhere", {"park"}, {"Stadspark"}),
])
def test_queue_lists_only_what_the_role_may_moderate(client, world, role, sees, filter_choices):
    client.force_login(world["users"][role])
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    for key, initiative in world["initiatives"].items():
        if key != "old":
            assert (initiative.title in html) == (key in sees), (role, key)
    for label in ("Nieuwe school", "Stadspark", "Zonder project"):
        assert (f">{label}</option>" in html) == (label in filter_choices), (role, label)
    # An editor asking for another project's initiatives gets a reason, not that list.
    if role == "editor":
        response = client.get(QUEUE, {"project": world["park"].pk})
        assert response.status_code == 400 and "Bankjes in het park" not in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "resident", "council"])
def test_queue_refused_to_residents_and_council(client, world, role):
    login(client, world["users"][role])
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in ("/admin/login/", "/admin/")
    assert b"Zebrapad" not in response.content


@pytest.mark.parametrize("role, allowed", [
    ("anonymous", False), ("resident", False), ("council", False), ("editor_elsewhere", False), ("editor", True), ("moderator", True),
])
def test_moderation_page_and_publish_per_role(client, world, role, allowed):
    initiative = world["initiatives"]["school"]
    login(client, world["users"][role])
    url = f"{QUEUE}{initiative.pk}/"
    response = client.get(url)
    if allowed:
        assert response.status_code == 200 and "Logboek" in response.content.decode()
    else:
        assert response.status_code == 302 and b"indiener@example.org" not in response.content
    client.post(url, {"action": "publish"})
    initiative.refresh_from_db()
    assert (initiative.moderation == Moderation.PUBLISHED) == allowed
    assert ModelLogEntry.objects.filter(action="geo.initiative_publish").exists() == allowed


def test_project_editor_cannot_moderate_initiatives_without_project(client, world):
    client.force_login(world["users"]["editor"])
    initiative = world["initiatives"]["none"]
    assert client.get(f"{QUEUE}{initiative.pk}/").status_code == 302
    client.post(f"{QUEUE}{initiative.pk}/", {"action": "publish"})
    initiative.refresh_from_db()
    assert initiative.moderation == Moderation.PENDING


# --- the audit log -----------------------------------------------------------------------------

def entries(initiative):
    return list(ModelLogEntry.objects.for_instance(initiative).order_by("timestamp", "pk"))


def test_every_moderation_write_is_in_the_audit_log_without_personal_data(houten, world):
    moderator = world["users"]["moderator"]
    initiative = world["initiatives"]["school"]
    Report.objects.create(initiative=initiative, reporter=world["users"]["resident"], reason="Er staat een telefoonnummer in")
    services.initiative_edit_by_moderator(
        initiative=initiative, moderator=moderator, note="Telefoonnummer weggehaald", title=initiative.title,
        description="Zonder nummer", theme=initiative.theme, lat=initiative.lat, lon=initiative.lon, no_location=False,
    )
    services.initiative_publish(initiative=initiative, moderator=moderator)
    Report.objects.create(initiative=initiative, reporter=world["users"]["resident"], reason="Kwetsend")
    services.initiative_publish(initiative=initiative, moderator=moderator)  # "laat staan": the report is handled
    services.initiative_set_status(initiative=initiative, to_status=Status.IN_BEHANDELING, answer="Wij kijken ernaar.", by=moderator)
    services.initiative_reject(initiative=initiative, moderator=moderator, reason="Het gaat niet over de openbare ruimte.")

    log = entries(initiative)
    assert [e.action for e in log] == [
        "geo.initiative_edit", "geo.initiative_publish", "geo.initiative_reports_resolve", "geo.initiative_status", "geo.initiative_reject",
    ]
    assert all(e.user_id == moderator.pk for e in log)
    assert log[0].data == {"fields": ["description"]}
    assert log[0].message == "Aangepast: beschrijving"
    assert log[1].data == {"reports": 1} and log[1].message == "Gepubliceerd"
    assert log[2].data == {"reports": 1}
    assert log[3].data == {"from": "ingediend", "to": "in_behandeling"}
    assert log[3].message == "Status van 'Ingediend' naar 'In behandeling'"
    assert log[4].data["reason"] == "Het gaat niet over de openbare ruimte."
    assert "Het gaat niet over de openbare ruimte." in log[4].message
    for entry in log:  # the log outlives the personal data: no email, no name
        assert "indiener" not in str(entry.data) and "@" not in str(entry.data)
        assert "Zonder nummer" not in str(entry.data)  # field names only, never the texts


def test_actions_have_dutch_labels():
    from wagtail.log_actions import registry

    labels = dict(registry.get_choices())
    assert labels["geo.initiative_publish"] == "Initiatief gepubliceerd"
    assert labels["geo.initiative_reject"] == "Initiatief afgewezen"
    assert labels["geo.initiative_edit"] == "Initiatief aangepast door moderator"
    assert labels["geo.initiative_status"] == "Status van initiatief veranderd"
    assert labels["geo.initiative_reports_resolve"] == "Meldingen over initiatief afgehandeld"


def test_moderation_page_shows_the_log(client, world):
    moderator = world["users"]["moderator"]
    initiative = world["initiatives"]["school"]
    client.force_login(moderator)
    url = f"{QUEUE}{initiative.pk}/"
    assert "Nog niets gedaan met dit initiatief." in client.get(url).content.decode()
    client.post(url, {"action": "publish"})
    client.post(url, {"action": "status", "status-to_status": "in_behandeling", "status-answer": "Wij kijken ernaar."})
    html = client.get(url).content.decode()
    assert "Logboek" in html and "Gepubliceerd" in html
    assert "Status van &#x27;Ingediend&#x27; naar &#x27;In behandeling&#x27;" in html
    assert moderator.get_username() in html or (moderator.get_full_name() and moderator.get_full_name() in html)


# --- the submitter is told when the initiative goes public --------------------------------------

def test_publish_emails_the_submitter_once(houten, world):
    moderator = world["users"]["moderator"]
    initiative = world["initiatives"]["school"]
    before = OutgoingMail.objects.filter(to="indiener@example.org").count()
    services.initiative_publish(initiative=initiative, moderator=moderator)
    mails = OutgoingMail.objects.filter(to="indiener@example.org").order_by("pk")[before:]
    assert len(mails) == 1
    assert "staat op de kaart" in mails[0].subject and "Zebrapad bij de school" in mails[0].subject
    assert f"/initiatief/{initiative.pk}/" in mails[0].body_text
    # Publishing again ("laat staan" after a report) tells nobody anything new.
    services.initiative_publish(initiative=initiative, moderator=moderator)
    assert OutgoingMail.objects.filter(to="indiener@example.org").count() == before + 1


def test_no_publication_mail_without_a_submitter_or_an_address(houten, world):
    moderator = world["users"]["moderator"]
    erased = InitiativeFactory(moderation=Moderation.PENDING, submitter=None)
    no_address = InitiativeFactory(moderation=Moderation.PENDING, submitter=UserFactory(username="zonder", email=""))
    before = OutgoingMail.objects.count()
    services.initiative_publish(initiative=erased, moderator=moderator)
    services.initiative_publish(initiative=no_address, moderator=moderator)
    assert OutgoingMail.objects.count() == before


def test_erased_submitter_gets_no_publication_mail(houten, world):
    from geo.services import personal_data_erase

    personal_data_erase(user=world["submitter"])
    before = OutgoingMail.objects.count()
    services.initiative_publish(initiative=world["initiatives"]["park"], moderator=world["users"]["moderator"])
    assert OutgoingMail.objects.count() == before


@pytest.mark.parametrize("role", ["resident", "council", "editor_elsewhere"])
def test_services_refuse_who_may_not_moderate(houten, world, role):
    """The rule holds for every caller of the services, not only for the admin's pages."""
    from django.core.exceptions import PermissionDenied

    user = world["users"][role]
    initiative = world["initiatives"]["school"]
    public = world["initiatives"]["old"]
    with pytest.raises(PermissionDenied):
        services.initiative_publish(initiative=initiative, moderator=user)
    with pytest.raises(PermissionDenied):
        services.initiative_reject(initiative=initiative, moderator=user, reason="Nee")
    with pytest.raises(PermissionDenied):
        services.initiative_set_status(initiative=public, to_status=Status.IN_BEHANDELING, answer="Ja", by=user)
    with pytest.raises(PermissionDenied):
        services.initiative_edit_by_moderator(
            initiative=initiative, moderator=user, note="x", title="x", description="x", theme=initiative.theme,
            lat=initiative.lat, lon=initiative.lon, no_location=False,
        )
    initiative.refresh_from_db()
    assert initiative.moderation == Moderation.PENDING and initiative.title == "Zebrapad bij de school"
    assert not ModelLogEntry.objects.filter(action__startswith="geo.").exists()


def test_project_editor_answers_own_project_through_the_service(houten, world):
    editor = world["users"]["editor"]
    change = services.initiative_set_status(initiative=world["initiatives"]["old"], to_status=Status.IN_BEHANDELING, answer="Wij kijken.", by=editor)
    assert change.changed_by == editor
    assert ModelLogEntry.objects.get(action="geo.initiative_status").user_id == editor.pk
