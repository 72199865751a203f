import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from geo import services
from geo.models import GeoSettings, Initiative, MapCell, Moderation, Report, Status, StatusChange, Support
from projects.models import OutgoingMail
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory, square
from tests.projects.factories import ProjectPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def create(user, **kwargs):
    data = {"submitter": user, "title": "Bankje bij de speeltuin", "description": "Graag een bankje.", "theme": ThemeFactory(name="Groen"),
            "lat": 52.03, "lon": 5.17}
    data.update(kwargs)
    return services.initiative_create(**data)


def test_create_assigns_area_and_waits_for_moderation(houten, resident):
    noord = AreaFactory(code="WK000101", name="Houten-Noord", geometry=square(5.14, 52.03, 5.20, 52.06))
    AreaFactory(code="WK000102", name="Houten-Zuid", geometry=square(5.14, 51.99, 5.20, 52.0299))
    initiative = create(resident, lat=52.04, lon=5.17)
    assert initiative.area == noord
    assert initiative.moderation == Moderation.PENDING
    assert initiative.status == Status.INGEDIEND
    assert not MapCell.objects.exists()  # not public yet, so not on the map
    assert OutgoingMail.objects.filter(to=resident.email).count() == 1


def test_create_prefers_wijk_over_buurt(houten, resident):
    AreaFactory(code="BU00010101", name="Buurt", kind="buurt", geometry=square(5.16, 52.02, 5.18, 52.04))
    wijk = AreaFactory(code="WK000101", name="Wijk", geometry=square(5.14, 52.00, 5.20, 52.05))
    assert create(resident, lat=52.03, lon=5.17).area == wijk


def test_post_moderation_publishes_at_once(houten, resident):
    settings_obj = GeoSettings.for_site(houten)
    settings_obj.moderation_mode = GeoSettings.Mode.POST
    settings_obj.save()
    initiative = create(resident)
    assert initiative.moderation == Moderation.PUBLISHED
    assert MapCell.objects.filter(level=10, dim="").get().count == 1


def test_create_refuses_point_outside_municipality(houten, resident):
    with pytest.raises(ValidationError) as exc:
        create(resident, lat=52.37, lon=4.89)
    assert "buiten de gemeente Houten" in exc.value.message_dict["location"][0]
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("name, expected", [
    ("Gemeente Lindewaard", "Deze plek ligt buiten de gemeente Lindewaard."),
    ("gemeente Lindewaard", "Deze plek ligt buiten de gemeente Lindewaard."),
    ("Gemeente", "Deze plek ligt buiten de gemeente. Kies"),
])
def test_outside_message_says_gemeente_once_whatever_the_setting(houten, resident, name, expected):
    from home.models import SiteSettings

    settings_obj = SiteSettings.for_site(houten)
    settings_obj.municipality_name = name
    settings_obj.save()
    with pytest.raises(ValidationError) as exc:
        create(resident, lat=52.37, lon=4.89)
    message = exc.value.message_dict["location"][0]
    assert message.startswith(expected) and "gemeente gemeente" not in message.lower()


def test_create_refuses_point_outside_project_area(houten, resident):
    project = ProjectPageFactory(area=square(5.16, 52.02, 5.18, 52.04))
    with pytest.raises(ValidationError) as exc:
        create(resident, lat=52.05, lon=5.22, project=project)
    assert "projectgebied" in exc.value.message_dict["location"][0]
    assert create(resident, lat=52.03, lon=5.17, project=project).project == project


def test_create_without_location(houten, resident):
    initiative = create(resident, lat=52.0, lon=5.0, no_location=True)
    assert initiative.lat is None and initiative.area is None and initiative.no_location


def test_create_needs_a_verified_email(houten):
    with pytest.raises(PermissionDenied):
        create(UserFactory(verified=False))


def test_create_validates_lengths(houten, resident):
    with pytest.raises(ValidationError) as exc:
        create(resident, title="x" * 200)
    assert "title" in exc.value.message_dict


def test_publish_puts_it_on_the_map_and_closes_reports(houten, resident, moderator):
    initiative = create(resident)
    Report.objects.create(initiative=initiative, reason="spam")
    services.initiative_publish(initiative=initiative, moderator=moderator)
    initiative.refresh_from_db()
    assert initiative.moderation == Moderation.PUBLISHED and initiative.published_at
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert [c.count for c in MapCell.objects.filter(level=12, dim="")] == [1]


def test_reject_emails_the_submitter_and_removes_from_map(houten, resident, moderator):
    initiative = create(resident)
    services.initiative_publish(initiative=initiative, moderator=moderator)
    services.initiative_reject(initiative=initiative, moderator=moderator, reason="Er staat een naam in.")
    initiative.refresh_from_db()
    assert initiative.moderation == Moderation.REJECTED
    assert not MapCell.objects.exists()
    mail = OutgoingMail.objects.filter(to=resident.email).order_by("-pk").first()
    assert "Er staat een naam in." in mail.body_text


def test_reject_needs_a_reason(houten, resident, moderator):
    initiative = create(resident)
    with pytest.raises(ValidationError):
        services.initiative_reject(initiative=initiative, moderator=moderator, reason="  ")


def test_edit_by_moderator_moves_point_and_keeps_note(houten, resident, moderator):
    initiative = InitiativeFactory(lat=52.03, lon=5.17)
    services.initiative_edit_by_moderator(
        initiative=initiative, moderator=moderator, note="Naam weggehaald", title="Nieuwe titel", description="Zonder naam",
        theme=initiative.theme, lat=52.05, lon=5.20, no_location=False,
    )
    initiative.refresh_from_db()
    assert initiative.title == "Nieuwe titel" and "Naam weggehaald" in initiative.moderator_note
    cell = MapCell.objects.get(level=18, dim="")
    assert cell.count == 1 and cell.sum_lat == pytest.approx(52.05)


@pytest.mark.parametrize(
    "path, ok",
    [
        (["in_behandeling", "overgenomen", "uitgevoerd"], True),
        (["deels_overgenomen", "uitgevoerd"], True),
        (["niet_overgenomen", "in_behandeling", "niet_overgenomen"], True),
        (["uitgevoerd"], False),
        (["overgenomen", "in_behandeling"], False),
    ],
)
def test_status_transitions(houten, moderator, path, ok):
    initiative = InitiativeFactory()
    if ok:
        for status in path:
            services.initiative_set_status(initiative=initiative, to_status=status, answer=f"Antwoord {status}", by=moderator)
        initiative.refresh_from_db()
        assert initiative.status == path[-1]
        assert list(StatusChange.objects.values_list("to_status", flat=True)) == path
        assert initiative.answer == f"Antwoord {path[-1]}" and initiative.answered_at
    else:
        with pytest.raises(ValidationError):
            for status in path:
                services.initiative_set_status(initiative=initiative, to_status=status, answer="Antwoord", by=moderator)


def test_status_change_needs_answer_and_publication(houten, moderator):
    initiative = InitiativeFactory()
    with pytest.raises(ValidationError):
        services.initiative_set_status(initiative=initiative, to_status="in_behandeling", answer="", by=moderator)
    pending = InitiativeFactory(moderation=Moderation.PENDING)
    with pytest.raises(ValidationError):
        services.initiative_set_status(initiative=pending, to_status="in_behandeling", answer="Ja", by=moderator)


def test_status_change_emails_submitter_and_informed_supporters(houten, resident, moderator, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(submitter=resident)
    informed, silent = UserFactory(), UserFactory()
    services.support_add(initiative=initiative, user=informed, keep_informed=True)
    services.support_add(initiative=initiative, user=silent, keep_informed=False)
    before = OutgoingMail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_set_status(initiative=initiative, to_status="overgenomen", answer="Wij plaatsen het bankje.", by=moderator)
    new = OutgoingMail.objects.order_by("pk")[before:]
    assert sorted(m.to for m in new) == sorted([resident.email, informed.email])
    assert all("Wij plaatsen het bankje." in m.body_text for m in new)


def test_support_once_and_withdraw(houten, resident):
    initiative = InitiativeFactory()
    assert services.support_add(initiative=initiative, user=resident) is True
    assert services.support_add(initiative=initiative, user=resident) is False
    initiative.refresh_from_db()
    assert initiative.support_count == 1 == Support.objects.count()
    assert services.support_remove(initiative=initiative, user=resident) is True
    assert services.support_remove(initiative=initiative, user=resident) is False
    initiative.refresh_from_db()
    assert initiative.support_count == 0


def test_support_needs_published_and_verified(houten, resident):
    with pytest.raises(ValidationError):
        services.support_add(initiative=InitiativeFactory(moderation=Moderation.PENDING), user=resident)
    with pytest.raises(PermissionDenied):
        services.support_add(initiative=InitiativeFactory(), user=UserFactory(verified=False))


def test_report_once_while_open(houten, resident):
    initiative = InitiativeFactory()
    services.report_create(initiative=initiative, reporter=resident, reason="Kwetsend")
    with pytest.raises(ValidationError):
        services.report_create(initiative=initiative, reporter=resident, reason="Nog steeds")
    with pytest.raises(ValidationError):
        services.report_create(initiative=initiative, reporter=UserFactory(), reason=" ")


def test_personal_data_erase_keeps_public_initiative_and_counts(houten, resident):
    mine = InitiativeFactory(submitter=resident, keep_informed=True)
    other = InitiativeFactory()
    services.support_add(initiative=other, user=resident, keep_informed=True)
    services.personal_data_erase(user=resident)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.submitter is None and mine.moderation == Moderation.PUBLISHED
    assert other.support_count == 1 == Support.objects.filter(initiative=other, user__isnull=True).count()
    assert not Support.objects.filter(user=resident).exists()
