"""Each rule of the participation policy: a case that meets it and one that misses it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import ParticipationPolicy, ParticipationReport, PhaseKind
from projects.policy import MET, NOT_APPLICABLE, NOT_MET, project_compliance
from projects.sources import Reach
from projects.tasks import policy_warn_contacts
from tests.projects.factories import ProjectPageFactory, phase
from tests.projects.sources_fake import (  # noqa: F401 (fixtures)
    fake_source, initiative, only_fake_sources, outcome, session,
)

pytestmark = pytest.mark.django_db

PLAN = {
    "plan_goals": "Samen een plan maken.", "plan_open_topics": "De inrichting.", "plan_intention": "Wij luisteren.",
    "plan_decisions": "Het ontwerp.", "plan_process": "Drie avonden.", "plan_roles": "Gemeente en bewoners.",
    "plan_expertise": "Een ontwerper.", "plan_attitude": "Open.",
}


def rule(project, key, **kwargs):
    results = {r.key: r for r in project_compliance(project, **kwargs)}
    return results[key]


@pytest.fixture
def policy(site):
    return ParticipationPolicy.for_site(site)


def test_plan_complete(site, fake_source):
    complete = ProjectPageFactory(**PLAN)
    incomplete = ProjectPageFactory(**{**PLAN, "plan_roles": "", "plan_attitude": " "})
    assert rule(complete, "plan_complete").status == MET
    result = rule(incomplete, "plan_complete")
    assert result.status == NOT_MET
    assert result.reason == "2 vragen van het plan zijn niet beantwoord."


def test_influence_stated(site, fake_source):
    stated = ProjectPageFactory(influence_can="Het ontwerp van het plein.", influence_cannot="Het budget.")
    missing = ProjectPageFactory(influence_can="Het ontwerp.", influence_cannot="")
    assert rule(stated, "influence_stated").status == MET
    result = rule(missing, "influence_stated")
    assert result.status == NOT_MET
    assert "geen invloed" in result.reason


def test_no_participation_reason(site, fake_source):
    explained = ProjectPageFactory(no_participation_reason="Het gaat om groot onderhoud.")
    silent = ProjectPageFactory()
    participating = ProjectPageFactory()
    fake_source.set(participating, inputs=[initiative()])
    assert rule(explained, "no_participation_reason").status == MET
    assert rule(silent, "no_participation_reason").status == NOT_MET
    assert rule(participating, "no_participation_reason").status == NOT_APPLICABLE


def test_sessions_announced(site, fake_source, policy):
    policy.announce_days = 14
    policy.save()
    on_time = ProjectPageFactory()
    fake_source.set(on_time, activities=[session(start_days=10, announced_days=-5), session(start_days=-2, announced_days=-20)])
    late = ProjectPageFactory()
    fake_source.set(late, activities=[
        session(start_days=-2, announced_days=-5),  # announced 3 days ahead
        session(start_days=5, announced_days=None),  # not announced, starts in 5 days: too late already
        session(start_days=40, announced_days=None),  # not announced yet, still in time
        session(start_days=-1, announced_days=-2, cancelled=True),  # cancelled: does not count
    ])
    assert rule(on_time, "sessions_announced").status == MET
    result = rule(late, "sessions_announced")
    assert result.status == NOT_MET
    assert result.reason == "2 van 3 bijeenkomsten zijn niet 14 dagen vooraf aangekondigd."
    assert rule(ProjectPageFactory(), "sessions_announced").status == NOT_APPLICABLE


def test_groups_reached(site, fake_source):
    reached = ProjectPageFactory(groups=["Ondernemers", "Zorgaanbieders"])
    fake_source.set(reached, reach=Reach(participants=5, by_group={"ondernemers": 2}, invited_by_group={"Zorgaanbieders": 1}))
    missed = ProjectPageFactory(groups=["Ondernemers", "Jongeren"])
    fake_source.set(missed, reach=Reach(participants=3, by_group={"Ondernemers": 3, "Bewoner": 4}))
    assert rule(reached, "groups_reached").status == MET
    result = rule(missed, "groups_reached")
    assert result.status == NOT_MET
    assert result.reason == "Nog niet bereikt: Jongeren."
    assert rule(ProjectPageFactory(), "groups_reached").status == NOT_APPLICABLE


def test_initiatives_answered(site, fake_source, policy):
    policy.answer_weeks = 6
    policy.save()
    good = ProjectPageFactory()
    fake_source.set(good, inputs=[
        initiative(submitted_days=-60, answered_days=-40, answer="Ja."),  # answered within 6 weeks
        initiative(submitted_days=-20),  # open, still in time
    ])
    bad = ProjectPageFactory()
    fake_source.set(bad, inputs=[initiative(submitted_days=-50), initiative(submitted_days=-45), initiative(submitted_days=-43),
                                 initiative(submitted_days=-10)])
    assert rule(good, "initiatives_answered").status == MET
    result = rule(bad, "initiatives_answered")
    assert result.status == NOT_MET
    assert result.reason == "3 initiatieven zijn langer dan 6 weken onbeantwoord."
    late = ProjectPageFactory()
    fake_source.set(late, inputs=[initiative(submitted_days=-100, answered_days=-10, answer="Ja.")])
    assert rule(late, "initiatives_answered").reason == "1 initiatief kreeg pas na 6 weken antwoord."


def test_session_outcomes_are_not_initiatives(site, fake_source):
    project = ProjectPageFactory()
    fake_source.set(project, activities=[session(start_days=-100, published_days=-99)],
                    inputs=[outcome(days=-100, answer="")])
    assert rule(project, "initiatives_answered").status == NOT_APPLICABLE


def test_outcome_published(site, fake_source, policy):
    policy.outcome_days = 14
    policy.save()
    good = ProjectPageFactory()
    fake_source.set(good, activities=[session(start_days=-30, published_days=-25), session(start_days=-3)])
    bad = ProjectPageFactory()
    fake_source.set(bad, activities=[session(start_days=-30, published_days=-1), session(start_days=-20)])
    assert rule(good, "outcome_published").status == MET
    result = rule(bad, "outcome_published")
    assert result.status == NOT_MET
    assert result.reason == "Van 2 bijeenkomsten is de uitkomst niet binnen 14 dagen gepubliceerd."
    future = ProjectPageFactory()
    fake_source.set(future, activities=[session(start_days=20)])
    assert rule(future, "outcome_published").status == NOT_APPLICABLE


def test_report_before_decision(site, fake_source):
    today = timezone.localdate()
    decision_phase = phase(PhaseKind.BESLUITVORMING, "Besluit", today - datetime.timedelta(days=5), today + datetime.timedelta(days=30))
    missed = ProjectPageFactory(phases=[decision_phase])
    assert rule(missed, "report_before_decision").status == NOT_MET

    in_time = ProjectPageFactory(phases=[decision_phase])
    ParticipationReport.objects.create(project=in_time, version=1, data={}, html="",
                                       vastgesteld_at=timezone.now() - datetime.timedelta(days=10))
    assert rule(in_time, "report_before_decision").status == MET

    too_late = ProjectPageFactory(phases=[decision_phase])
    ParticipationReport.objects.create(project=too_late, version=1, data={}, html="", vastgesteld_at=timezone.now())
    assert rule(too_late, "report_before_decision").status == NOT_MET

    upcoming = ProjectPageFactory(phases=[phase(PhaseKind.BESLUITVORMING, "Besluit", today + datetime.timedelta(days=10),
                                                today + datetime.timedelta(days=30))])
    assert rule(upcoming, "report_before_decision").status == NOT_APPLICABLE
    assert rule(ProjectPageFactory(), "report_before_decision").status == NOT_APPLICABLE


def test_evaluation_asked(site, fake_source):
    good = ProjectPageFactory()
    fake_source.set(good, activities=[session(start_days=-3, evaluation=True), session(start_days=10, evaluation=False)])
    bad = ProjectPageFactory()
    fake_source.set(bad, activities=[session(start_days=-3, evaluation=False), session(start_days=-10, evaluation=True)])
    assert rule(good, "evaluation_asked").status == MET
    result = rule(bad, "evaluation_asked")
    assert result.status == NOT_MET
    assert result.reason == "Na 1 bijeenkomst is niet om een evaluatie gevraagd."


def test_mandatory_participation(site, fake_source, policy):
    policy.mandatory_categories = "Woningbouw\nGrote evenementen"
    policy.save()
    done = ProjectPageFactory(participation_mandatory=True, mandatory_category="Woningbouw")
    fake_source.set(done, reach=Reach(participants=4))
    missing = ProjectPageFactory(participation_mandatory=True, mandatory_category="Woningbouw")
    assert rule(done, "mandatory").status == MET
    assert rule(missing, "mandatory").status == NOT_MET
    assert "mandatory" not in {r.key for r in project_compliance(ProjectPageFactory())}


def test_disabled_rules_are_left_out(site, fake_source, policy):
    policy.plan_complete = False
    policy.evaluation_asked = False
    policy.save()
    keys = {r.key for r in project_compliance(ProjectPageFactory())}
    assert "plan_complete" not in keys and "evaluation_asked" not in keys
    assert "influence_stated" in keys


@pytest.mark.parametrize("field,value", [("announce_days", 0), ("answer_weeks", 0), ("outcome_days", 0), ("warning_days", 0),
                                         ("answer_weeks", 53), ("announce_days", 1000)])
def test_nonsense_thresholds_are_refused(site, policy, field, value):
    setattr(policy, field, value)
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("value,message", [("-3", "Zorg ervoor dat deze waarde minstens 0 is."),
                                           ("0", "Zorg ervoor dat deze waarde minstens 1 is.")])
def test_nonsense_threshold_refused_in_the_settings_form(admin_client, site, value, message):
    data = {"plan_complete": "on", "announce_days": value, "answer_weeks": "6", "outcome_days": "14", "warning_days": "7",
            "mandatory_categories": ""}
    response = admin_client.post(f"/admin/settings/projects/participationpolicy/{site.pk}/", data)
    assert response.status_code == 200  # the form again, with the error beside the field
    assert message in response.content.decode()
    assert ParticipationPolicy.for_site(site).announce_days == 14


def test_duplicate_categories_refused(site, policy):
    policy.mandatory_categories = "Woningbouw\nwoningbouw"
    with pytest.raises(ValidationError) as error:
        policy.full_clean()
    assert "mandatory_categories" in error.value.message_dict


def test_mandatory_category_must_be_on_the_council_list(site, policy):
    policy.mandatory_categories = "Woningbouw\nVerkeer"
    policy.save()
    project = ProjectPageFactory()
    project.participation_mandatory = True
    project.mandatory_category = "Sport"
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "Woningbouw, Verkeer" in error.value.message_dict["mandatory_category"][0]
    project.mandatory_category = "verkeer"
    project.full_clean()
    project.mandatory_category = ""
    with pytest.raises(ValidationError):
        project.full_clean()


def test_compliance_panel_on_the_edit_screen(rf, admin_user, site, fake_source):
    from projects.models import ProjectPage
    from projects.panels import ComplianceStatusPanel

    project = ProjectPageFactory(**{**PLAN, "plan_goals": ""})
    handler = ProjectPage.get_edit_handler()
    participation_tab = next(child for child in handler.children if str(child.heading) == "Participatie")
    panel = next(child for child in participation_tab.children if isinstance(child, ComplianceStatusPanel))
    request = rf.get("/")
    request.user = admin_user
    form = handler.get_form_class()(instance=project, for_user=admin_user)
    html = panel.get_bound_panel(instance=project, request=request, form=form).render_html()
    assert "Het participatieplan is compleet" in html
    assert "1 vraag van het plan is niet beantwoord." in html
    assert f"/admin/participatie/project/{project.pk}/resultaten/" in html


def test_nightly_warning_emails_the_contact(site, fake_source, policy, django_capture_on_commit_callbacks):
    policy.answer_weeks = 6
    policy.warning_days = 7
    policy.save()
    project = ProjectPageFactory(contact_email="contact@gemeente.example")
    fake_source.set(project, inputs=[initiative(submitted_days=-38), initiative(submitted_days=-39), initiative(submitted_days=-10)],
                    activities=[session(start_days=18, announced_days=None)])
    quiet = ProjectPageFactory(contact_email="rustig@gemeente.example")
    fake_source.set(quiet, inputs=[initiative(submitted_days=-3)])
    with django_capture_on_commit_callbacks(execute=True):
        sent = policy_warn_contacts()
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["contact@gemeente.example"]]
    body = mail.outbox[0].body
    assert "2 initiatieven moeten binnen 7 dagen een antwoord krijgen." in body
    assert "1 bijeenkomst moet binnen 7 dagen worden aangekondigd." in body


def test_page_form_refuses_a_category_not_on_the_list(admin_client, site, fake_source, policy):
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    policy.mandatory_categories = "Woningbouw"
    policy.save()
    project = ProjectPageFactory()

    def post(category):
        data = nested_form_data({
            "title": project.title, "slug": project.slug, "summary": project.summary, "body": streamfield([]),
            "phases": inline_formset([]), "stakeholder_groups": inline_formset([]), "criteria": inline_formset([]), "ladder_level": "adviseren",
            "participation_mandatory": "on", "mandatory_category": category,
        })
        return admin_client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)

    refused = post("Sporthal")
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Kies een categorie uit de lijst van de raad: Woningbouw." in html
    assert 'value="Sporthal"' in html  # the form keeps what the editor typed
    assert post("Woningbouw").status_code == 302


def test_edit_screen_shows_the_compliance_panel(admin_client, site, fake_source):
    from django.urls import reverse

    project = ProjectPageFactory(**{**PLAN, "plan_roles": ""})
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])).content.decode()
    assert "1 vraag van het plan is niet beantwoord." in html
    assert f"/admin/participatie/project/{project.pk}/resultaten/" in html
