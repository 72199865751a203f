"""The protocol says what it means: a third source (a PERIOD activity, input that is only
aggregated, and a kind of its own that awaits an answer) is judged and labelled by its own
nature in the policy, the report, the results page, the admin panel and the council view."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from projects.models import ParticipationPolicy
from projects.policy import AWAITING_ANSWER, MET, NOT_APPLICABLE, NOT_MET, RULES, policy_for, project_compliance, project_warnings
from projects.reports import report_build
from projects.sources import ActivityCategory, participation_for
from tests.projects.factories import ProjectPageFactory, UserFactory
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    concern, fake_source, initiative, only_fake_sources, outcome, question, session, third_source, top3_round, walk,
)

pytestmark = pytest.mark.django_db


def rules(project):
    return {r.key: r for r in project_compliance(project)}


def test_rules_declare_what_they_apply_to():
    meeting = (ActivityCategory.MEETING,)
    assert RULES["sessions_announced"].activity_categories == meeting
    assert RULES["outcome_published"].activity_categories == meeting
    assert RULES["evaluation_asked"].activity_categories == meeting
    assert RULES["initiatives_answered"].inputs == AWAITING_ANSWER
    assert RULES["groups_reached"].activity_categories is None and RULES["groups_reached"].inputs is None


def test_a_period_is_never_judged_as_a_meeting(site, fake_source, third_source):
    project = ProjectPageFactory()
    # Never announced, over for ten days, no outcome, no evaluation: all of it is wrong for a
    # meeting, and none of it applies to a period for input.
    third_source.set(project, activities=[top3_round(start_days=3, end_days=30), top3_round("Najaar", start_days=-40, end_days=-10)])
    results = rules(project)
    for key in ("sessions_announced", "outcome_published", "evaluation_asked"):
        assert results[key].status == NOT_APPLICABLE, key
    assert results["sessions_announced"].reason == "Er zijn geen bijeenkomsten."
    assert results["no_participation_reason"].status == NOT_APPLICABLE  # it is participation all the same


def test_a_period_next_to_meetings_is_left_out_of_their_count(site, fake_source, third_source):
    project = ProjectPageFactory()
    fake_source.set(project, activities=[session(start_days=-5, announced_days=-30, published_days=-4)])
    third_source.set(project, activities=[top3_round()])
    results = rules(project)
    assert results["sessions_announced"].status == MET
    assert results["sessions_announced"].reason == "Alle bijeenkomsten zijn minstens 14 dagen vooraf aangekondigd."
    assert results["outcome_published"].status == MET and results["evaluation_asked"].status == MET


def test_input_that_awaits_no_answer_is_never_unanswered(site, fake_source, third_source):
    project = ProjectPageFactory()
    third_source.set(project, inputs=[concern(days=-100), concern("Zwerfafval", days=-90)])
    result = rules(project)["initiatives_answered"]
    assert result.status == NOT_APPLICABLE
    assert result.reason == "Er is geen inbreng die op een eigen antwoord wacht."
    data = participation_for([project])[project.pk]
    assert data.answerable_inputs == [] and len(data.outcome_inputs) == 2


def test_a_kind_of_its_own_that_awaits_an_answer_is_judged_in_its_own_words(site, fake_source, third_source):
    project = ProjectPageFactory()
    fake_source.set(project, inputs=[initiative(submitted_days=-10)])
    third_source.set(project, inputs=[question(days=-60), concern(days=-100)])
    result = rules(project)["initiatives_answered"]
    assert result.status == NOT_MET
    assert result.reason == "1 inzending (Buurtvraag, Initiatief) is langer dan 6 weken onbeantwoord."

    only_initiatives = ProjectPageFactory()
    fake_source.set(only_initiatives, inputs=[initiative(submitted_days=-60)])
    assert rules(only_initiatives)["initiatives_answered"].reason == "1 initiatief is langer dan 6 weken onbeantwoord."


def test_meetings_of_two_sources_are_named_in_their_words(site, fake_source, third_source):
    project = ProjectPageFactory()
    fake_source.set(project, activities=[session(start_days=-2, announced_days=-5)])  # 3 days ahead: late
    third_source.set(project, activities=[walk(), top3_round()])
    results = rules(project)
    assert results["sessions_announced"].status == NOT_MET
    assert results["sessions_announced"].reason == "1 van 2 activiteiten (Bijeenkomst, Buurtwandeling) is niet 14 dagen vooraf aangekondigd."


def test_warnings_follow_the_declarations(site, fake_source, third_source):
    project = ProjectPageFactory()
    policy = policy_for(project)
    # A period starting in 17 days, not announced: for a meeting the 14-day deadline would pass
    # within the 7-day warning window. An old concern would be "due" if it awaited an answer.
    third_source.set(project, activities=[top3_round(start_days=17, end_days=40)], inputs=[concern(days=-38)])
    data = participation_for([project])[project.pk]
    assert project_warnings(project, policy=policy, data=data, report_dates=[], now=timezone.now()) == []
    fake_source.set(project, activities=[session(start_days=17, announced_days=None)], inputs=[initiative(submitted_days=-38)])
    data = participation_for([project])[project.pk]
    warnings = project_warnings(project, policy=policy, data=data, report_dates=[], now=timezone.now())
    assert len(warnings) == 2 and "1 initiatief" in warnings[0] and "1 bijeenkomst" in warnings[1]


@pytest.fixture
def mixed(site, fake_source, third_source):
    project = ProjectPageFactory(title="Veilig Noord")
    fake_source.set(project, activities=[session("Avond", start_days=-20, published_days=-18)],
                    inputs=[outcome("Avond", days=-20, answer="Meer drempels."),
                            initiative("Drempel Dorpsstraat", answer="Komt er.", answered_days=-5, status="overgenomen",
                                       status_label="Overgenomen")])
    third_source.set(project, activities=[top3_round()],
                     inputs=[concern("Te hard rijden"), concern("Zwerfafval", themes=("Schoon",)), question()])
    return project


def test_report_groups_inputs_by_kind_in_the_sources_words(mixed):
    report = report_build(mixed)
    kinds = {(k["source_label"], k["kind_label"]): (k["total"], k["awaits_answer"]) for k in report["input_kinds"]}
    assert kinds == {
        ("Proefbron", "Uitkomst van een bijeenkomst"): (1, False), ("Proefbron", "Initiatief"): (1, True),
        ("Buurtpeiling", "Zorg uit de buurt"): (2, False), ("Buurtpeiling", "Buurtvraag"): (1, True),
    }
    assert report["inputs"]["total"] == 2  # the initiative and the question, not the concerns
    assert sorted(o["kind_label"] for o in report["outcomes"]) == ["Uitkomst van een bijeenkomst", "Zorg uit de buurt", "Zorg uit de buurt"]
    third = next(m for m in report["methods"] if m["name"] == "Buurtpeiling")
    assert third["parts"] == [{"label": "Top-3-ronde", "count": 1}, {"label": "Zorg uit de buurt", "count": 2},
                              {"label": "Buurtvraag", "count": 1}]


def test_report_page_and_pdf_name_the_kinds(client, mixed):
    from tests.projects.test_reports import pdf_text

    html = client.get(f"/projecten/{mixed.pk}/verslag/").content.decode()
    assert "Inbreng per soort" in html
    assert "<td>Zorg uit de buurt</td><td>Buurtpeiling</td><td>2</td>" in html
    assert "<td>Buurtvraag</td><td>Buurtpeiling</td><td>1</td>" in html
    assert "Buurtpeiling: Top-3-ronde 1; Zorg uit de buurt 2; Buurtvraag 1" in html
    assert "bijeenkomsten</li>" not in html.split("Vormen van participatie")[1].split("</ul>")[0]
    text = pdf_text(client.get(f"/projecten/{mixed.pk}/verslag.pdf").content)
    assert "Zorg uit de buurt" in text and "Buurtvraag" in text


def test_results_page_labels_each_input(client, mixed):
    html = client.get(f"/projecten/{mixed.pk}/resultaten/").content.decode()
    outcomes = html.split('id="outcomes"')[1].split("</section>")[0]
    answers = html.split('id="inputs"')[1].split("</section>")[0]
    assert "Te hard rijden" in outcomes and '<span class="tag">Zorg uit de buurt</span>' in outcomes
    assert "Te hard rijden" not in answers and "nog geen antwoord" not in outcomes
    assert "Waarom geen zebrapad?" in answers and "Buurtvraag: nog geen antwoord van de gemeente." in answers
    assert "Drempel Dorpsstraat" in answers and '<span class="tag">Initiatief</span>' in answers


def test_admin_results_panel_gives_the_reason_in_the_sources_words(client, mixed):
    client.force_login(UserFactory(username="beheerder", is_superuser=True, is_staff=True))
    html = client.get(f"/admin/participatie/project/{mixed.pk}/resultaten/").content.decode()
    assert "1 inzending (Buurtvraag, Initiatief) is langer dan 6 weken onbeantwoord." in html
    assert "<td>Zorg uit de buurt</td><td>2</td><td>0</td><td>nee</td>" in html
    assert "<td>Buurtvraag</td><td>1</td><td>0</td><td>ja</td>" in html


def test_council_view_counts_each_kind_under_its_own_word(client, mixed, third_source):
    only_third = ProjectPageFactory(title="Alleen peiling")
    third_source.set(only_third, inputs=[concern()], activities=[top3_round()])
    council = UserFactory(username="raadslid")
    council.groups.add(Group.objects.get(name="Raadsleden"))
    client.force_login(council)
    html = client.get("/raad/").content.decode()
    mixed_card = html.split("Veilig Noord")[1].split("</li>")[0]
    assert "<dt>Buurtvraag</dt><dd>1, waarvan 0 beantwoord</dd>" in mixed_card
    assert "<dt>Initiatief</dt><dd>1, waarvan 1 beantwoord</dd>" in mixed_card
    assert "<dt>Zorg uit de buurt</dt><dd>2</dd>" in mixed_card
    third_card = html.split("Alleen peiling")[1].split("</li>")[0]
    assert "Initiatie" not in third_card and "<dt>Zorg uit de buurt</dt><dd>1</dd>" in third_card
    assert "aangekondigd" not in third_card  # the period is not a meeting "not announced"


def test_disabling_a_rule_still_works_with_scoped_rules(site, fake_source, third_source):
    policy = ParticipationPolicy.for_site(site)
    policy.initiatives_answered = False
    policy.save()
    project = ProjectPageFactory()
    third_source.set(project, inputs=[question(days=-90)])
    assert "initiatives_answered" not in rules(project)
