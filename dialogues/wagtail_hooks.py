from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from projects.sections import HOME_SECTIONS_HOOK, PROJECT_SECTIONS_HOOK, SLOT_RESULTS, PageSection
from projects.sources import CommitmentStatus

from . import admin_urls
from .models import DialogueRoundPage
from .selectors import outcome_list_published, session_list_upcoming
from .viewsets import outcome_viewset, session_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [session_viewset, outcome_viewset]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("dialogen/", include((admin_urls, "dialogues_admin"), namespace="dialogues_admin"))]


@hooks.register(PROJECT_SECTIONS_HOOK)
def project_sessions(*, project, request):
    sections = []
    sessions = session_list_upcoming(project=project, limit=20)
    if sessions:
        sections.append(PageSection(
            key="dialogues-sessions", title=str(_("Kom naar een bijeenkomst")),
            template="dialogues/includes/project_sessions.html", context={"sessions": sessions}, order=10,
        ))
    rounds = list(DialogueRoundPage.objects.live().public().child_of(project))
    if rounds:
        sections.append(PageSection(
            key="dialogues-rounds", title=str(_("Dialoogrondes")), template="dialogues/includes/project_rounds.html",
            context={"rounds": rounds}, order=20,
        ))
    outcomes = outcome_list_published(project=project)
    if outcomes:
        sections.append(PageSection(
            key="dialogues-outcomes", title=str(_("Uitkomsten van de bijeenkomsten")),
            template="dialogues/includes/project_outcomes.html", context={"outcomes": outcomes}, order=20, slot=SLOT_RESULTS,
        ))
    return sections


@hooks.register(HOME_SECTIONS_HOOK)
def home_sessions(*, page, request):
    sessions = session_list_upcoming(limit=6)
    if not sessions:
        return None
    return PageSection(
        key="dialogues-upcoming", title=str(_("Praat mee")), template="dialogues/includes/home_sessions.html",
        context={"upcoming_sessions": sessions}, order=20,
    )


@hooks.register("register_log_actions")
def register_agreement_log_actions(actions):
    @actions.register_action("dialogues.agreement_update")
    class AgreementUpdate(LogFormatter):
        label = _("Afspraak bijgewerkt")

        def format_message(self, log_entry):
            data = log_entry.data or {}

            def label(value):
                return CommitmentStatus(value).label if value in CommitmentStatus.values else value

            return _("Afspraak %(id)s: status %(from)s → %(to)s%(progress)s") % {
                "id": data.get("agreement", "?"), "from": label(data.get("from_status", "")), "to": label(data.get("to_status", "")),
                "progress": _(", voortgang aangepast") if data.get("progress_changed") else "",
            }
