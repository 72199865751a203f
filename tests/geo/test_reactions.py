"""Reactions on initiatives: react and reply (one level), report, hide and dismiss by role, the
emails to the submitter and opted-in supporters, counts, the thread's query count, the reads
other parts use (memory texts, signals) and the AVG erasure."""

from __future__ import annotations

import datetime
import re
from email import message_from_bytes

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from geo import clustering, reaction_services
from geo.models import Initiative, Moderation, Reaction, ReactionReport, Support
from geo.reactions import reaction_signal_counts, reaction_texts, reaction_thread
from geo.sources import InitiativeSource
from projects import sources
from projects.models import OutgoingMail
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory
from tests.geo.test_moderation import editor_for
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db
QUEUE = "/admin/initiatieven/"
REACTIONS_ADMIN = "/admin/initiatieven/reacties/"


@pytest.fixture
def memory(monkeypatch):
    """The keys the memory is told about (the search's listener, stood in by a list)."""
    seen: list[str] = []
    monkeypatch.setattr(sources, "_memory_listeners", [seen.extend])
    return seen


@pytest.fixture
def world(site, moderator):
    school, park = ProjectPageFactory(title="Nieuwe school"), ProjectPageFactory(title="Stadspark")
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    submitter = UserFactory(username="indiener", email="indiener@example.org")
    initiative = InitiativeFactory(title="Zebrapad bij de school", project=school, submitter=submitter, keep_informed=True)
    users = {
        "anonymous": None, "unverified": UserFactory(username="onbevestigd", verified=False),
        "resident": UserFactory(username="bewoner", email="bewoner@example.org"), "council": council, "moderator": moderator,
        "editor": editor_for(school, "school"), "editor_elsewhere": editor_for(park, "park"),
    }
    return {"school": school, "park": park, "initiative": initiative, "users": users, "submitter": submitter}


def login(client, user):
    if user is not None:
        client.force_login(user)


def react(client, initiative, body, reply_to=None):
    data = {"reactie-body": body} if reply_to is None else {f"antwoord-{reply_to}-body": body, "antwoord_op": reply_to}
    return client.post(reverse("geo:react", args=[initiative.pk]), data)


# --- the resident's flow ----------------------------------------------------------------------

def test_resident_reacts_replies_and_the_thread_is_oldest_first_with_replies_under_their_parent(client, world, memory):
    initiative, resident = world["initiative"], world["users"]["resident"]
    client.force_login(resident)
    response = react(client, initiative, "Goed plan, de kinderen steken daar elke dag over.")
    first = Reaction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{initiative.get_absolute_url()}#reactie-{first.pk}"
    client.force_login(world["submitter"])
    react(client, initiative, "Dank u! Steunt u het ook?", reply_to=first.pk)
    reply = Reaction.objects.latest("pk")
    client.force_login(resident)
    react(client, initiative, "Ja, zeker.", reply_to=reply.pk)  # a reply to a reply: under the top-level one
    react(client, initiative, "Een tweede reactie.")

    assert list(Reaction.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)) == [first.pk, first.pk]
    initiative.refresh_from_db()
    assert initiative.reaction_count == 4
    assert memory == [f"initiative:{initiative.pk}"] * 4

    html = client.get(initiative.get_absolute_url()).content.decode()
    order = [html.index(t) for t in ("Goed plan", "Dank u!", "Ja, zeker.", "Een tweede reactie.")]
    assert order == sorted(order)
    assert "De indiener van het initiatief" in html  # the submitter's reply, without a name
    assert "indiener@example.org" not in html and "bewoner@example.org" not in html and "bewoner<" not in html
    thread = reaction_thread(initiative)
    assert [len(item.replies) for item in thread] == [2, 0]


def test_errors_appear_next_to_the_field_with_the_text_kept(client, world):
    initiative = world["initiative"]
    client.force_login(world["users"]["resident"])
    response = react(client, initiative, "   ")
    assert response.status_code == 400
    assert "Schrijf uw reactie." in response.content.decode()
    assert 'id="id_reactie-body_error"' in response.content.decode()

    long_text = "<b>lang</b> " * 200
    response = react(client, initiative, long_text)
    html = response.content.decode()
    assert response.status_code == 400 and "Uw reactie is te lang" in html
    assert "&lt;b&gt;lang&lt;/b&gt;" in html and "<b>lang</b>" not in html  # kept, and escaped

    top = reaction_services.reaction_create(initiative=initiative, author=world["submitter"], body="Eerste")
    response = react(client, initiative, "", reply_to=top.pk)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_antwoord-{top.pk}-body_error"' in html
    assert re.search(r'<details class="geo-reply" open>', html)
    assert not Reaction.objects.exclude(pk=top.pk).exists()


def test_user_content_is_escaped(client, world):
    reaction_services.reaction_create(initiative=world["initiative"], author=world["users"]["resident"], body='<script>alert("x")</script>')
    html = client.get(world["initiative"].get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("role", ["anonymous", "unverified"])
def test_without_a_verified_account_a_clear_line_with_a_login_link_and_no_reaction(client, world, role):
    initiative = world["initiative"]
    login(client, world["users"][role])
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert 'name="reactie-body"' not in html
    if role == "anonymous":
        assert "Inloggen om te reageren" in html and reverse("account_login") + "?next=" in html
    else:
        assert "Om te reageren moet uw e-mailadres bevestigd zijn." in html
    response = react(client, initiative, "Mag ik ook?")
    assert response.status_code == (200 if role == "anonymous" else 403)
    assert "Eerst inloggen" in response.content.decode()
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_no_reactions_on_initiatives_that_are_not_public(client, world, moderation):
    initiative = InitiativeFactory(moderation=moderation, submitter=world["submitter"])
    client.force_login(world["submitter"])  # even its submitter, who sees the page
    response = react(client, initiative, "Mijn eigen initiatief")
    assert response.status_code == 404
    assert 'name="reactie-body"' not in client.get(initiative.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        reaction_services.reaction_create(initiative=initiative, author=world["submitter"], body="Via de service")
    assert not Reaction.objects.exists()
    initiative.refresh_from_db()
    assert initiative.reaction_count == 0


def test_malformed_requests_are_a_400_with_a_reason(client, world):
    initiative, other = world["initiative"], InitiativeFactory()
    elsewhere = reaction_services.reaction_create(initiative=other, author=world["submitter"], body="Elders")
    client.force_login(world["users"]["resident"])
    response = client.post(reverse("geo:react", args=[initiative.pk]), {"antwoord_op": "abc", "antwoord-abc-body": "x"})
    assert response.status_code == 400 and "antwoord_op" in response.content.decode()
    response = react(client, initiative, "Op een reactie elders", reply_to=elsewhere.pk)
    assert response.status_code == 400 and "bestaat niet bij dit initiatief" in response.content.decode()
    assert client.get(reverse("geo:react", args=[initiative.pk])).status_code == 405
    assert Reaction.objects.count() == 1


def test_reacting_is_rate_limited(client, world, settings):
    settings.PARTICIPATIE = {**settings.PARTICIPATIE, "GEO_RATE_LIMITS": {"react": (2, 600)}}
    client.force_login(world["users"]["resident"])
    for n in range(2):
        assert react(client, world["initiative"], f"Reactie {n}").status_code == 302
    response = react(client, world["initiative"], "Nog een")
    assert response.status_code == 400 and "Probeer het over een paar minuten opnieuw" in response.content.decode()
    assert "Nog een" in response.content.decode()  # the text is kept
    assert Reaction.objects.count() == 2


# --- reports ----------------------------------------------------------------------------------

def test_report_once_per_resident_and_it_enters_the_moderators_list(client, world):
    reaction = reaction_services.reaction_create(initiative=world["initiative"], author=world["submitter"], body="Iets kwetsends")
    url = reverse("geo:reaction_report", args=[world["initiative"].pk, reaction.pk])
    client.force_login(world["users"]["resident"])
    assert client.post(url).status_code == 302
    client.post(url)  # twice: still one report
    assert ReactionReport.objects.count() == 1
    assert "U heeft deze reactie gemeld." in client.get(world["initiative"].get_absolute_url()).content.decode()

    client.force_login(world["users"]["moderator"])
    assert "Gemelde reacties: 1" in client.get(QUEUE).content.decode()
    assert "Iets kwetsends" in client.get(REACTIONS_ADMIN).content.decode()


def test_anonymous_report_asks_to_log_in(client, world):
    reaction = reaction_services.reaction_create(initiative=world["initiative"], author=world["submitter"], body="Tekst")
    response = client.post(reverse("geo:reaction_report", args=[world["initiative"].pk, reaction.pk]))
    assert response.status_code == 200 and "Eerst inloggen" in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_a_hidden_reaction_cannot_be_reported_or_answered(client, world):
    reaction = reaction_services.reaction_create(initiative=world["initiative"], author=world["submitter"], body="Tekst")
    reaction_services.reaction_hide(reaction=reaction, moderator=world["users"]["moderator"], reason="Scheldwoord")
    client.force_login(world["users"]["resident"])
    assert client.post(reverse("geo:reaction_report", args=[world["initiative"].pk, reaction.pk])).status_code == 400
    response = react(client, world["initiative"], "Toch antwoorden", reply_to=reaction.pk)
    assert response.status_code == 400 and "verborgen reactie" in response.content.decode()


# --- moderation per role ----------------------------------------------------------------------

def _reported(world):
    reaction = reaction_services.reaction_create(initiative=world["initiative"], author=world["submitter"], body="Gemelde tekst")
    reaction_services.reaction_report(reaction=reaction, reporter=world["users"]["resident"])
    return reaction


@pytest.mark.parametrize("role, may", [
    ("moderator", True), ("editor", True), ("editor_elsewhere", False), ("council", False), ("resident", False), ("anonymous", False),
])
def test_who_sees_and_hides_reported_reactions(client, world, role, may):
    reaction = _reported(world)
    login(client, world["users"][role])
    response = client.get(REACTIONS_ADMIN)
    if role in ("moderator", "editor"):
        assert response.status_code == 200 and "Gemelde tekst" in response.content.decode()
    elif role == "editor_elsewhere":
        # Editors of another project may open the list (they moderate their own) but see nothing of this one.
        assert response.status_code == 200 and "Gemelde tekst" not in response.content.decode()
    else:
        assert response.status_code == 302  # Wagtail: to the login page or the dashboard
    response = client.post(REACTIONS_ADMIN, {"reaction": reaction.pk, "action": "hide", f"hide-{reaction.pk}-reason": "Kwetsend"})
    reaction.refresh_from_db()
    assert (reaction.hidden_at is not None) is may
    if may:
        assert response.status_code == 302
        assert reaction.hidden_by == world["users"][role] and reaction.hidden_reason == "Kwetsend"
        html = client.get(world["initiative"].get_absolute_url()).content.decode()
        assert "Deze reactie is verborgen door de moderator: Kwetsend" in html and "Gemelde tekst" not in html
    else:
        assert not ModelLogEntry.objects.filter(action="geo.reaction_hide").exists()


@pytest.mark.parametrize("role", ["editor_elsewhere", "council", "resident"])
def test_the_services_refuse_who_may_not_moderate(world, role):
    reaction = _reported(world)
    with pytest.raises(PermissionDenied):
        reaction_services.reaction_hide(reaction=reaction, moderator=world["users"][role], reason="Nee")
    with pytest.raises(PermissionDenied):
        reaction_services.reaction_reports_dismiss(reaction=reaction, moderator=world["users"][role])
    assert ReactionReport.objects.filter(resolved_at__isnull=True).count() == 1


def test_moderators_see_reactions_on_initiatives_without_a_project_and_editors_do_not(client, world):
    loose = InitiativeFactory(title="Losse lantaarnpaal")
    reaction = reaction_services.reaction_create(initiative=loose, author=world["submitter"], body="Zonder project")
    reaction_services.reaction_report(reaction=reaction, reporter=world["users"]["resident"])
    client.force_login(world["users"]["editor"])
    assert "Zonder project" not in client.get(REACTIONS_ADMIN).content.decode()
    client.force_login(world["users"]["moderator"])
    assert "Zonder project" in client.get(REACTIONS_ADMIN).content.decode()


def test_hide_needs_a_reason_shown_next_to_the_field(client, world):
    reaction = _reported(world)
    client.force_login(world["users"]["moderator"])
    response = client.post(REACTIONS_ADMIN, {"reaction": reaction.pk, "action": "hide", f"hide-{reaction.pk}-reason": "  "})
    assert response.status_code == 400
    assert "Schrijf op waarom u deze reactie verbergt" in response.content.decode()
    reaction.refresh_from_db()
    assert reaction.hidden_at is None
    assert client.post(REACTIONS_ADMIN, {"reaction": "x", "action": "hide"}).status_code == 400
    assert client.post(REACTIONS_ADMIN, {"reaction": reaction.pk, "action": "weg"}).status_code == 400


def test_hide_and_dismiss_write_the_audit_log_on_the_initiative_without_names(client, world, memory):
    initiative = world["initiative"]
    hidden, kept = _reported(world), _reported(world)
    memory.clear()
    client.force_login(world["users"]["moderator"])
    client.post(REACTIONS_ADMIN, {"reaction": hidden.pk, "action": "hide", f"hide-{hidden.pk}-reason": "Persoonlijke gegevens"})
    client.post(REACTIONS_ADMIN, {"reaction": kept.pk, "action": "dismiss"})
    assert memory == [f"initiative:{initiative.pk}"]  # hiding changes the public text, dismissing does not
    entries = {e.action: e for e in ModelLogEntry.objects.filter(object_id=str(initiative.pk))}
    assert entries["geo.reaction_hide"].data == {"reaction": hidden.pk, "reason": "Persoonlijke gegevens", "reports": 1}
    assert entries["geo.reaction_reports_dismiss"].data == {"reaction": kept.pk, "reports": 1}
    for entry in entries.values():
        assert "@" not in str(entry.data) and "Gemelde tekst" not in str(entry.data)
    assert not ReactionReport.objects.filter(resolved_at__isnull=True).exists()
    page = client.get(f"{QUEUE}{initiative.pk}/").content.decode()  # the initiative's moderation page lists them
    assert "Reactie %s verborgen. Reden: Persoonlijke gegevens" % hidden.pk in page
    assert "Meldingen over reactie %s afgehandeld" % kept.pk in page
    initiative.refresh_from_db()
    assert initiative.reaction_count == 1
    kept.refresh_from_db()
    assert kept.hidden_at is None


# --- notifications ----------------------------------------------------------------------------

def create(commit, **kwargs):
    """A reaction through the service, with its after-commit job (the mail) run."""
    with commit(execute=True):
        return reaction_services.reaction_create(**kwargs)


def test_submitter_and_opted_in_supporters_are_mailed_not_the_reactor(world, django_capture_on_commit_callbacks):
    commit = django_capture_on_commit_callbacks
    initiative = world["initiative"]
    informed, quiet = UserFactory(username="steun-ja"), UserFactory(username="steun-nee")
    Support.objects.create(initiative=initiative, user=informed, keep_informed=True)
    Support.objects.create(initiative=initiative, user=quiet, keep_informed=False)
    reaction = create(commit, initiative=initiative, author=informed, body="Ik doe mee!")
    mails = {m.to: m for m in OutgoingMail.objects.all()}
    assert set(mails) == {"indiener@example.org"}  # the supporter reacted: no mail to themself
    mail = mails["indiener@example.org"]
    assert "Zebrapad bij de school" in mail.subject and "Ik doe mee!" in mail.body_text
    assert f"/initiatief/{initiative.pk}/#reactie-{reaction.pk}" in mail.body_text
    assert "Wilt u geen e-mails meer over dit initiatief?" in mail.body_text

    OutgoingMail.objects.all().delete()
    create(commit, initiative=initiative, author=world["submitter"], body="Dank!", parent=reaction)
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == [informed.email]


def test_a_submitter_who_did_not_opt_in_gets_no_mail(world, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(submitter=world["submitter"], keep_informed=False)
    create(django_capture_on_commit_callbacks, initiative=initiative, author=world["users"]["resident"], body="Hallo")
    assert Reaction.objects.filter(body="Hallo").exists()
    assert not OutgoingMail.objects.exists()


def test_the_stop_link_stops_the_emails_after_a_button(client, world, django_capture_on_commit_callbacks):
    commit = django_capture_on_commit_callbacks
    initiative, supporter = world["initiative"], UserFactory(username="steun")
    Support.objects.create(initiative=initiative, user=supporter, keep_informed=True)
    create(commit, initiative=initiative, author=world["users"]["resident"], body="Eerste")
    mail = OutgoingMail.objects.get(to=supporter.email)
    path = re.search(r"https?://[^/\s]+(/initiatief/berichten/stoppen/[^\s]+/)", mail.body_text).group(1)
    assert client.get(path).status_code == 200  # a mail scanner following the link changes nothing
    assert Support.objects.get(user=supporter).keep_informed
    client.post(path)
    assert not Support.objects.get(user=supporter).keep_informed
    initiative.refresh_from_db()
    assert initiative.keep_informed  # only this person's choice changed
    OutgoingMail.objects.all().delete()
    create(commit, initiative=initiative, author=world["users"]["resident"], body="Tweede")
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["indiener@example.org"]
    assert client.get("/initiatief/berichten/stoppen/vervalst/").status_code == 404


class Collect:
    def __init__(self):
        self.received = []  # (recipients, message)

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_the_reaction_mail_reaches_a_real_smtp_server(world, settings, django_capture_on_commit_callbacks):
    with smtp_server(settings, Collect(), port=18331) as handler:
        create(django_capture_on_commit_callbacks, initiative=world["initiative"], author=world["users"]["resident"], body="Via SMTP")
    [(recipients, message)] = handler.received
    assert recipients == ["indiener@example.org"]
    text = _text(message)
    assert "Via SMTP" in text and "Met vriendelijke groet," in text and "/initiatief/berichten/stoppen/" in text
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_a_reaction_commits_when_the_mail_server_is_down(client, world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 18332, 1  # nothing listens there
    client.force_login(world["users"]["resident"])
    with django_capture_on_commit_callbacks(execute=True):
        response = react(client, world["initiative"], "Blijft staan")
    assert response.status_code == 302
    assert Reaction.objects.filter(body="Blijft staan").exists()
    mail = OutgoingMail.objects.get(to="indiener@example.org")  # in the outbox, retried later
    assert mail.status == OutgoingMail.Status.PENDING and mail.attempts == 1


# --- counts and queries -----------------------------------------------------------------------

def test_counts_on_the_popup_the_list_and_the_cards(client, world, houten):
    initiative = world["initiative"]
    resident = world["users"]["resident"]
    for n in range(3):
        reaction_services.reaction_create(initiative=initiative, author=resident, body=f"Reactie {n}")
    hidden = Reaction.objects.first()
    reaction_services.reaction_hide(reaction=hidden, moderator=world["users"]["moderator"], reason="Weg")
    clustering.cells_rebuild()
    data = client.get(reverse("geo:api_initiatives"), {"bbox": "5.10,51.99,5.24,52.06", "zoom": "17"}).json()
    [feature] = [f for f in data["features"] if f["properties"].get("id") == initiative.pk]
    assert feature["properties"]["reactions"] == 2
    assert "2 reacties" in client.get(reverse("geo:map")).content.decode()
    assert "2 reacties" in client.get(world["school"].url).content.decode()
    assert "Reacties <span class=\"geo-reaction-count\">(2)</span>" in client.get(initiative.get_absolute_url()).content.decode()


def _thread_of(initiative, n, authors):
    tops = []
    for i in range(n):
        if i % 3 == 2 and tops:
            reaction_services.reaction_create(initiative=initiative, author=authors[i % len(authors)], body=f"Antwoord {i}", parent=tops[-1])
        else:
            tops.append(reaction_services.reaction_create(initiative=initiative, author=authors[i % len(authors)], body=f"Reactie {i}"))
    for reaction in Reaction.objects.filter(initiative=initiative)[:2]:
        ReactionReport.objects.get_or_create(reaction=reaction, reporter=authors[0])


@pytest.mark.parametrize("n", [2, 20])
def test_the_thread_loads_in_a_constant_number_of_queries(client, world, django_assert_num_queries, n):
    """The page with 2 or 20 reactions (with replies and reports) asks the database as often as
    the same page without any."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    initiative = world["initiative"]
    client.force_login(world["users"]["resident"])
    client.get(initiative.get_absolute_url())  # warm up: session, site, settings caches
    with CaptureQueriesContext(connection) as empty:
        client.get(initiative.get_absolute_url())
    _thread_of(initiative, n, [world["users"]["resident"], world["submitter"], UserFactory(username="derde")])
    with django_assert_num_queries(len(empty.captured_queries)):
        response = client.get(initiative.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and html.count('<article class="geo-reaction') == n
    assert "U heeft deze reactie gemeld." in html  # the per-user annotation is in the same query


# --- what other parts read --------------------------------------------------------------------

def test_reaction_texts_holds_visible_bodies_of_public_initiatives_only(world):
    initiative, resident = world["initiative"], world["users"]["resident"]
    pending = InitiativeFactory(moderation=Moderation.PUBLISHED)
    reaction_services.reaction_create(initiative=initiative, author=resident, body="Eerste")
    gone = reaction_services.reaction_create(initiative=initiative, author=resident, body="Verborgen")
    reaction_services.reaction_create(initiative=initiative, author=world["submitter"], body="Tweede")
    reaction_services.reaction_create(initiative=pending, author=resident, body="Later afgewezen")
    reaction_services.reaction_hide(reaction=gone, moderator=world["users"]["moderator"], reason="Weg")
    Initiative.objects.filter(pk=pending.pk).update(moderation=Moderation.REJECTED)
    assert reaction_texts([initiative.pk, pending.pk, 999999]) == {initiative.pk: ["Eerste", "Tweede"]}


def test_reaction_signal_counts_by_theme_and_area_in_one_query(world, django_assert_num_queries):
    green, traffic = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    north, south = AreaFactory(code="WK000101", name="Noord"), AreaFactory(code="WK000102", name="Zuid")
    resident = world["users"]["resident"]
    a = InitiativeFactory(theme=green, area=north)
    b = InitiativeFactory(theme=traffic, area=south)
    c = InitiativeFactory(theme=green, area=None)
    now = timezone.now()
    for initiative, count in ((a, 3), (b, 1), (c, 2)):
        for i in range(count):
            reaction_services.reaction_create(initiative=initiative, author=resident, body=f"R{i}")
    old = reaction_services.reaction_create(initiative=a, author=resident, body="Oud")
    Reaction.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=60))
    reaction_services.reaction_hide(reaction=Reaction.objects.filter(initiative=b).first(), moderator=world["users"]["moderator"], reason="Weg")
    with django_assert_num_queries(1):
        counts = reaction_signal_counts(since=now - datetime.timedelta(days=30), until=now + datetime.timedelta(minutes=1))
    assert {(c.theme, c.area, c.count) for c in counts} == {("Groen", "WK000101", 3), ("Groen", "", 2)}
    assert {(c.source, c.kind, c.kind_label, c.awaiting, c.answered) for c in counts} == {("initiatives", "reaction", "Reacties", 0, 0)}


# --- AVG --------------------------------------------------------------------------------------

def test_personal_data_lists_reactions_and_erasure_keeps_the_replies_in_place(client, world, memory):
    initiative, resident = world["initiative"], world["users"]["resident"]
    mine = reaction_services.reaction_create(initiative=initiative, author=resident, body="Mijn mening")
    reply = reaction_services.reaction_create(initiative=initiative, author=world["submitter"], body="Een antwoord", parent=mine)
    reaction_services.reaction_report(reaction=reply, reporter=resident)
    source = InitiativeSource()
    data = source.personal_data(resident)
    assert [r["body"] for r in data["reactions"]] == ["Mijn mening"]
    client.force_login(resident)
    assert "Mijn mening" in client.get(reverse("projects:my_data")).content.decode()

    memory.clear()
    source.personal_data_delete(resident)
    mine.refresh_from_db()
    assert mine.author is None and mine.erased and mine.body == "Deze reactie is verwijderd."
    assert Reaction.objects.get(pk=reply.pk).parent_id == mine.pk
    assert ReactionReport.objects.get().reporter is None
    assert memory == [f"initiative:{initiative.pk}"]
    initiative.refresh_from_db()
    assert initiative.reaction_count == 1
    assert reaction_texts([initiative.pk]) == {initiative.pk: ["Een antwoord"]}
    client.logout()
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Deze reactie is verwijderd." in html and "Mijn mening" not in html and "Een antwoord" in html
    assert source.personal_data(resident)["reactions"] == []


# --- the reactions in the memory and in "Wat leeft er" (wired through geo's source) -----------


def test_reactions_are_found_by_the_search_and_counted_in_what_lives(client, world):
    initiative, resident = world["initiative"], world["users"]["resident"]
    reaction = reaction_services.reaction_create(initiative=initiative, author=resident, body="Graag meer speeltoestellen hier.")
    response = client.get(reverse("projects:search"), {"q": "speeltoestellen"})
    assert response.status_code == 200 and initiative.title in response.content.decode()
    now = timezone.now()
    counts = InitiativeSource().signal_counts(since=now - datetime.timedelta(days=1), until=now + datetime.timedelta(minutes=1))
    assert [c.count for c in counts if c.kind == "reaction"] == [1]
    reaction_services.reaction_hide(reaction=reaction, moderator=world["users"]["moderator"], reason="Weg")
    response = client.get(reverse("projects:search"), {"q": "speeltoestellen"})
    assert initiative.title not in response.content.decode()
