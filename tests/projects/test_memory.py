"""The memory and its search (/zoeken/): Dutch stemming, filters, what is never found, writes
that change it at once, the rebuild, a constant number of queries and the system check.
Stemming needs PostgreSQL's "dutch" configuration: those tests are marked postgres (CI runs them)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from dialogues import services as dialogue_services
from dialogues.models import Agreement, Quote, SessionOutcome
from geo import services as geo_services
from geo.models import Moderation
from projects.checks import check_search_config
from projects.memory import memory_rebuild, memory_refresh
from projects.models import Decision, MemoryEntry, ProjectPage
from projects.selectors import MemoryFilters, MemoryPaginator, memory_search
from projects.reports import report_freeze
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.factories import AreaFactory, InitiativeFactory, ThemeFactory
from tests.projects.factories import ProjectPageFactory, ProjectUpdatePageFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = "/zoeken/"


@pytest.fixture
def project(site):
    return ProjectPageFactory(title="Groene Lindelaan", summary="Wij maken de Lindelaan groener.")


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content[:500]
    return response


def found_keys(response) -> list[str]:
    return [r["entry"].key for r in response.context["results"]]


def published_initiative(moderator, **kwargs):
    initiative = InitiativeFactory(moderation=Moderation.PENDING, **kwargs)
    return geo_services.initiative_publish(initiative=initiative, moderator=moderator)


def held_outcome(round_page, *, summary, themes=(), publish=True):
    start = timezone.now() - datetime.timedelta(days=3)
    session = DialogueSessionFactory(round=round_page, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    outcome = SessionOutcome.objects.create(session=session, summary=summary)
    for theme in themes:
        outcome.themes.add(theme)
    outcome.save()
    if publish:
        dialogue_services.outcome_publish(outcome_id=outcome.pk)
    return outcome


# --- Dutch: stemming ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_dutch_stemming_finds_singular_for_plural(client, moderator, project):
    boom = published_initiative(moderator, title="Een boom bij de school", description="Schaduw op het plein.", project=project)
    fiets = published_initiative(moderator, title="Veilig naar school", description="Een breed fietspad langs de dijk.")
    other = published_initiative(moderator, title="Bankje", description="Om even te zitten.")
    assert found_keys(search(client, q="bomen")) == [f"initiative:{boom.pk}"]
    assert found_keys(search(client, q="fietspaden")) == [f"initiative:{fiets.pk}"]
    assert f"initiative:{other.pk}" not in found_keys(search(client, q="school"))


@pytest.mark.postgres
def test_snippet_marks_the_matched_words_and_escapes_the_rest(client, moderator):
    published_initiative(moderator, title="Plein", description="Zet <b>meer</b> bomen op het plein & in 1 < 2 straten.")
    response = search(client, q="boom")
    html = response.content.decode()
    snippet = html.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert "<mark>bomen</mark>" in snippet
    # Content never brings its own HTML: tags are gone from the document, the rest is escaped.
    assert "<b>" not in snippet and "&amp; in 1 &lt; 2" in snippet


def test_title_weighs_more_than_body(client, moderator):
    in_body = published_initiative(moderator, title="Plan voor het park", description="Meer speeltoestellen in het park.")
    in_title = published_initiative(moderator, title="Speeltoestellen", description="Voor de kinderen van de buurt.")
    assert found_keys(search(client, q="speeltoestellen"))[:2] == [f"initiative:{in_title.pk}", f"initiative:{in_body.pk}"]


# --- every kind, and what is never found -----------------------------------------------------


def test_projects_news_rounds_outcomes_decisions_and_reports_are_found(client, project):
    news = ProjectUpdatePageFactory(parent=project, title="Start van de werkzaamheden", intro="De kraan komt maandag.")
    round_page = DialogueRoundPageFactory(parent=project, title="Gesprek over de kademuur", theme="Kademuur")
    outcome = held_outcome(round_page, summary="Iedereen wil een zitplek aan de kademuur.", themes=["Water"])
    Quote.objects.create(outcome=outcome, text="Het water hoort bij ons dorp.")
    Agreement.objects.create(outcome=outcome, what="Zitplekken tekenen", who="Gemeente, team Ruimte")
    dialogue_services.outcome_memory_refresh(outcome_id=outcome.pk)
    decision = Decision.objects.create(project=project, title="Besluit over de kademuur", decided_on=datetime.date(2025, 3, 1),
                                       reasoning="Wij volgen het advies van de bewoners.", published=True)
    memory_refresh([f"decision:{decision.pk}"])
    report = report_freeze(project=project)
    assert found_keys(search(client, q="Lindelaan groener")) == [f"project:{project.pk}"]
    assert found_keys(search(client, q="kraan")) == [f"news:{news.pk}"]
    assert set(found_keys(search(client, q="kademuur"))) >= {
        f"round:{round_page.pk}", f"outcome:{outcome.pk}", f"decision:{decision.pk}"}
    assert found_keys(search(client, q="dorp")) == [f"outcome:{outcome.pk}"]  # a quote
    assert f"outcome:{outcome.pk}" in found_keys(search(client, q="zitplekken tekenen"))  # an agreement
    assert f"report:{report.pk}" in found_keys(search(client, soort="report"))
    entry = MemoryEntry.objects.get(key=f"outcome:{outcome.pk}")
    assert entry.project_id == project.pk and entry.theme_list == ["water"]


def test_pending_and_rejected_initiatives_are_never_found(client, moderator):
    pending = InitiativeFactory(title="Zonnepanelen op de sporthal", moderation=Moderation.PENDING)
    shown = published_initiative(moderator, title="Zonnepanelen op het buurthuis")
    rejected = published_initiative(moderator, title="Zonnepanelen op de kerk")
    geo_services.initiative_reject(initiative=rejected, moderator=moderator, reason="Dubbel ingediend.")
    memory_rebuild()
    assert found_keys(search(client, q="zonnepanelen")) == [f"initiative:{shown.pk}"]
    assert not MemoryEntry.objects.filter(key__in=[f"initiative:{pending.pk}", f"initiative:{rejected.pk}"]).exists()


def test_unpublished_outcomes_draft_and_private_pages_are_never_found(client, project):
    round_page = DialogueRoundPageFactory(parent=project, title="Ronde over de haven", theme="Haven")
    hidden = held_outcome(round_page, summary="Een haventje met vissersboten.", publish=False)
    draft = ProjectPage(title="Geheime haven", slug="geheime-haven", summary="Vissersboten in de haven.", live=False)
    project.get_parent().add_child(instance=draft)
    draft.save_revision()
    private = ProjectPageFactory(title="Besloten haven", summary="Vissersboten voor leden.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim")
    memory_rebuild()
    assert found_keys(search(client, q="vissersboten")) == []
    assert not MemoryEntry.objects.filter(key__in=[f"outcome:{hidden.pk}", f"project:{draft.pk}", f"project:{private.pk}"]).exists()


def test_no_personal_data_in_any_result(client, moderator, project):
    submitter = UserFactory(username="jjansen", email="jan.jansen@example.org", first_name="Jan", last_name="Jansen")
    supporter = UserFactory(username="pietersen", email="p.pietersen@example.org", first_name="Piet", last_name="Pietersen")
    initiative = published_initiative(moderator, title="Hondenuitlaatplek", description="Een veld om honden los te laten.",
                                      submitter=submitter)
    geo_services.support_add(initiative=initiative, user=supporter)
    round_page = DialogueRoundPageFactory(parent=project, title="Ronde honden", theme="Honden")
    outcome = held_outcome(round_page, summary="Een hondenveld.", publish=False)
    reg = dialogue_services.registration_create(
        session_id=outcome.session_id, now=outcome.session.starts_at - datetime.timedelta(days=2),
        **registration_data(name="Klaas Klaassen", email="klaas@example.org", phone="0612345678"))
    dialogue_services.registration_check_in(registration_id=reg.pk, attended=True)
    dialogue_services.outcome_publish(outcome_id=outcome.pk)
    memory_rebuild()
    for word in ("Jansen", "jan.jansen@example.org", "Pietersen", "Klaassen", "klaas@example.org", "0612345678",
                 "Sanne", "s.devries@gemeente.example"):
        assert found_keys(search(client, q=word)) == [], word
    everything = " ".join(f"{e.title} {e.body}" for e in MemoryEntry.objects.all())
    for word in ("Jansen", "Pietersen", "Klaassen", "@example.org", "0612345678"):
        assert word not in everything
    html = search(client, q="honden").content.decode()
    assert "Jansen" not in html and "Klaassen" not in html


# --- filters -----------------------------------------------------------------------------------


def test_each_filter(client, moderator, project):
    groen, verkeer = ThemeFactory(name="Groen"), ThemeFactory(name="Verkeer")
    noord = AreaFactory(code="WK099901", name="Noord")
    a = published_initiative(moderator, title="Speelplek noord", theme=groen, project=project)
    b = published_initiative(moderator, title="Speelplek zuid", theme=verkeer)
    geo_services.initiative_areas_refresh()  # both lie in Noord's square: the refresh moves the wijk filter too
    MemoryEntry.objects.filter(key=f"initiative:{b.pk}").update(date=datetime.date(2020, 5, 1), area="WK000000")
    news = ProjectUpdatePageFactory(parent=project, title="Speelplek geopend", intro="Kom kijken.", date=datetime.date(2024, 6, 1))
    assert set(found_keys(search(client, q="speelplek"))) == {f"initiative:{a.pk}", f"initiative:{b.pk}", f"news:{news.pk}"}
    assert set(found_keys(search(client, q="speelplek", soort="initiative"))) == {f"initiative:{a.pk}", f"initiative:{b.pk}"}
    assert set(found_keys(search(client, q="speelplek", project=project.pk))) == {f"initiative:{a.pk}", f"news:{news.pk}"}
    assert found_keys(search(client, q="speelplek", wijk=noord.code)) == [f"initiative:{a.pk}"]
    assert found_keys(search(client, q="speelplek", thema="verkeer")) == [f"initiative:{b.pk}"]  # any case
    assert found_keys(search(client, q="speelplek", van="2020-01-01", tot="2020-12-31")) == [f"initiative:{b.pk}"]
    assert found_keys(search(client, q="speelplek", van="2024-06-01", tot="2024-06-01")) == [f"news:{news.pk}"]


def test_filters_without_words_list_newest_first(client, moderator):
    old = published_initiative(moderator, title="Oud")
    new = published_initiative(moderator, title="Nieuw")
    MemoryEntry.objects.filter(key=f"initiative:{old.pk}").update(date=datetime.date(2019, 1, 1))
    response = search(client, soort="initiative")
    assert found_keys(response) == [f"initiative:{new.pk}", f"initiative:{old.pk}"]
    assert "2 resultaten" in response.content.decode()


@pytest.mark.parametrize("params", [
    {"soort": "onbekend"}, {"project": "abc"}, {"project": "999999"}, {"wijk": "WK123"}, {"thema": "Bestaat niet"},
    {"van": "31-12-2024"}, {"tot": "2024-02-30"}, {"van": "2025-01-02", "tot": "2025-01-01"}, {"q": "x" * 201},
])
def test_a_bad_parameter_answers_400_with_a_dutch_reason(client, site, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Niet alles is goed ingevuld" in html
    assert 'class="error"' in html


def test_the_page_without_parameters_shows_the_form(client, site):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert reverse("projects:search") == SEARCH


def test_every_page_header_has_the_search_box(client, project):
    html = client.get(project.url).content.decode()
    assert 'role="search"' in html and f'action="{SEARCH}"' in html


# --- writes change the memory at once ----------------------------------------------------------


def test_reject_and_unpublish_remove_at_once(client, moderator, project):
    initiative = published_initiative(moderator, title="Watertappunt")
    assert found_keys(search(client, q="watertappunt")) == [f"initiative:{initiative.pk}"]
    geo_services.initiative_reject(initiative=initiative, moderator=moderator, reason="Staat er al.")
    assert found_keys(search(client, q="watertappunt")) == []

    round_page = DialogueRoundPageFactory(parent=project, title="Ronde", theme="Thema")
    outcome = held_outcome(round_page, summary="Een watertappunt bij het station.")
    assert found_keys(search(client, q="watertappunt")) == [f"outcome:{outcome.pk}"]
    dialogue_services.outcome_unpublish(outcome_id=outcome.pk)
    assert found_keys(search(client, q="watertappunt")) == []

    news = ProjectUpdatePageFactory(parent=project, title="Watertappunt geplaatst")
    assert found_keys(search(client, q="watertappunt")) == [f"news:{news.pk}"]
    news.unpublish()
    assert found_keys(search(client, q="watertappunt")) == []


def test_status_answer_and_moderator_edit_update_the_document(client, moderator):
    theme = ThemeFactory(name="Groen")
    initiative = published_initiative(moderator, title="Geveltuintjes", theme=theme)
    geo_services.initiative_set_status(initiative=initiative, to_status="overgenomen", answer="Wij leggen ze aan in mei.", by=moderator)
    assert found_keys(search(client, q="leggen mei")) == [f"initiative:{initiative.pk}"]
    geo_services.initiative_edit_by_moderator(
        initiative=initiative, moderator=moderator, note="Spelling", title="Geveltuinen", description="Groen aan de gevel.",
        theme=theme, lat=initiative.lat, lon=initiative.lon, no_location=False)
    assert MemoryEntry.objects.get(key=f"initiative:{initiative.pk}").title == "Geveltuinen"


def test_a_project_unpublished_takes_its_children_and_decisions_along(client, project):
    news = ProjectUpdatePageFactory(parent=project, title="Nieuws over de markt")
    decision = Decision.objects.create(project=project, title="Markt blijft", decided_on=datetime.date(2025, 1, 1),
                                       reasoning="De markt blijft op zaterdag.", published=True)
    memory_refresh([f"decision:{decision.pk}"])
    assert len(found_keys(search(client, q="markt"))) == 2
    editor = UserFactory(username="redacteur-markt", is_superuser=True, is_staff=True)
    UnpublishPageAction(project, user=editor, include_descendants=True).execute(skip_permission_checks=True)
    assert found_keys(search(client, q="markt")) == []
    assert not MemoryEntry.objects.filter(key__in=[f"news:{news.pk}", f"decision:{decision.pk}"]).exists()


def test_a_write_that_rolls_back_leaves_the_memory_as_it_was(moderator):
    from django.db import transaction

    initiative = InitiativeFactory(moderation=Moderation.PENDING, title="Terugdraaien")
    with pytest.raises(RuntimeError), transaction.atomic():
        geo_services.initiative_publish(initiative=initiative, moderator=moderator)
        assert MemoryEntry.objects.filter(key=f"initiative:{initiative.pk}").exists()
        raise RuntimeError
    assert not MemoryEntry.objects.filter(key=f"initiative:{initiative.pk}").exists()


# --- rebuild -----------------------------------------------------------------------------------


def test_rebuild_is_idempotent_and_removes_stale_entries(client, moderator, project):
    InitiativeFactory.create_batch(3, title="Buurtmoestuin")  # made without the services: not yet in the memory
    first = memory_rebuild(chunk_size=2)
    assert first["written"] == 3 and first["deleted"] == 0  # the project was there since it was published
    keys = set(MemoryEntry.objects.values_list("key", flat=True))
    assert len(found_keys(search(client, q="buurtmoestuin"))) == 3
    second = memory_rebuild(chunk_size=2)
    assert second == {"documents": first["documents"], "written": 0, "deleted": 0}
    assert set(MemoryEntry.objects.values_list("key", flat=True)) == keys
    MemoryEntry.objects.create(key="initiative:999999", source="initiatives", kind="initiative", title="Weg", url="/", date=datetime.date.today())
    call_command("participatie_memory_rebuild", stdout=open("/dev/null", "w"))
    assert not MemoryEntry.objects.filter(key="initiative:999999").exists()


# --- speed: the query count does not grow with the results --------------------------------------


def test_query_count_is_constant_in_the_number_of_results(client, moderator, project):
    theme = ThemeFactory(name="Groen")

    def count(n_new):
        for i in range(n_new):
            published_initiative(moderator, title=f"Boomspiegel {i}", theme=theme, project=project)
        search(client, q="boomspiegel", thema="Groen")  # warm caches (the site's root paths, settings)
        with CaptureQueriesContext(connection) as queries:
            response = search(client, q="boomspiegel", thema="Groen")
        return len(found_keys(response)), len(queries)

    few, few_queries = count(2)
    many, many_queries = count(20)
    assert (few, many) == (2, 20)
    assert many_queries == few_queries


@pytest.mark.postgres
def test_words_are_matched_through_the_gin_index_and_counted_without_ranking(client, moderator):
    """At 50,000 documents only an indexed match is fast (bench/search.py): the planner must be
    able to answer the words from the GIN index, and the count must not rank every match."""
    published_initiative(moderator, title="Een boom bij de school")
    queryset = memory_search(MemoryFilters(q="bomen", theme="Groen"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "projects_memory_vector" in plan, plan
    assert "wagtailsearch_indexentry" not in sql
    with CaptureQueriesContext(connection) as queries:
        search(client, q="bomen")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "projects_memoryentry" in q["sql"]]
    assert len(counts) == 1 and "ts_rank" not in counts[0] and "LIMIT 1001" in counts[0], counts


def test_more_than_the_cap_says_so_and_pages_only_up_to_it(client, moderator, monkeypatch):
    monkeypatch.setattr(MemoryPaginator, "cap", 3)
    for i in range(5):
        published_initiative(moderator, title=f"Picknicktafel {i}")
    response = search(client, q="picknicktafel")
    html = response.content.decode()
    assert "Meer dan 3 resultaten" in html and "die het best passen" in html
    assert response.context["page_obj"].paginator.count == 3
    assert len(found_keys(search(client, soort="initiative"))) == 3
    assert "U ziet de 3 nieuwste" in search(client, soort="initiative").content.decode()
    # At the cap exactly: the real number.
    monkeypatch.setattr(MemoryPaginator, "cap", 5)
    assert "5 resultaten" in search(client, q="picknicktafel").content.decode()
    assert "Meer dan" not in search(client, q="picknicktafel").content.decode()


@pytest.mark.postgres
def test_web_search_syntax_phrase_or_and_minus(client, moderator):
    speeltuin = published_initiative(moderator, title="Speeltuin aan het water", description="Met een glijbaan.")
    bankje = published_initiative(moderator, title="Bankje aan het water", description="Om te zitten.")
    assert set(found_keys(search(client, q="water"))) == {f"initiative:{speeltuin.pk}", f"initiative:{bankje.pk}"}
    assert found_keys(search(client, q="water -speeltuin")) == [f"initiative:{bankje.pk}"]
    assert set(found_keys(search(client, q="glijbaan or zitten"))) == {f"initiative:{speeltuin.pk}", f"initiative:{bankje.pk}"}
    assert found_keys(search(client, q='"bankje aan het water"')) == [f"initiative:{bankje.pk}"]
    # Only stop words or signs: nothing found, and no error.
    assert found_keys(search(client, q="de het")) == []
    assert found_keys(search(client, q="!!! & | ( :*")) == []


@pytest.mark.postgres
def test_rebuild_restores_missing_or_stale_vectors(client, moderator, settings):
    """Rows from before the column (migration 0012 fills them too) and vectors in another text
    search configuration are recomputed by the rebuild, and only those."""
    initiative = published_initiative(moderator, title="Fietsenstalling", description="Bij het station.")
    MemoryEntry.objects.filter(key=f"initiative:{initiative.pk}").update(search_vector=None)
    assert found_keys(search(client, q="fietsenstalling")) == []
    assert memory_rebuild()["written"] == 1
    assert found_keys(search(client, q="fietsenstallingen")) == [f"initiative:{initiative.pk}"]
    assert memory_rebuild()["written"] == 0
    settings.PARTICIPATIE = {**getattr(settings, "PARTICIPATIE", {}), "SEARCH_CONFIG": "simple"}
    assert memory_rebuild()["written"] == MemoryEntry.objects.count()
    assert found_keys(search(client, q="fietsenstallingen")) == []  # "simple" does not stem
    assert found_keys(search(client, q="fietsenstalling")) == [f"initiative:{initiative.pk}"]


# --- the system check ---------------------------------------------------------------------------


def test_check_warns_on_postgresql_without_dutch(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    ids = [w.id for w in check_search_config()]
    assert ids == (["participatie.W006"] if connection.vendor == "postgresql" else [])
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}}
    assert check_search_config() == []
    # Another search backend for Wagtail: the memory's own setting says Dutch.
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.elasticsearch8"}}
    assert [w.id for w in check_search_config()] == (["participatie.W006"] if connection.vendor == "postgresql" else [])
    settings.PARTICIPATIE = {**getattr(settings, "PARTICIPATIE", {}), "SEARCH_CONFIG": "dutch"}
    assert check_search_config() == []
