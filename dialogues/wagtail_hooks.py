from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from projects import page_cache
from projects.selectors import live_public
from projects.sections import HOME_SECTIONS_HOOK, PROJECT_SECTIONS_HOOK, SLOT_RESULTS, PageSection
from projects.sources import CommitmentStatus

from . import admin_urls, venue
from .cache_tags import round_tag
from .models import DialogueRoundPage
from .selectors import outcome_list_published, session_list_upcoming
from .viewsets import outcome_viewset, session_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [session_viewset, outcome_viewset]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("dialogen/", include((admin_urls, "dialogues_admin"), namespace="dialogues_admin"))]


@hooks.register("register_admin_urls")
def register_venue_urls():
    # Admin URLs require admin access; the views also require the right to plan sessions.
    return [
        path("dialogen/locatie/zoeken/", venue.venue_suggest, name="dialogues_venue_suggest"),
        path("dialogen/locatie/plek/", venue.venue_lookup, name="dialogues_venue_lookup"),
    ]


@hooks.register(PROJECT_SECTIONS_HOOK)
def project_sessions(*, project, request):
    sections = []
    sessions = session_list_upcoming(project=project, limit=20)
    if sessions:
        sections.append(PageSection(
            key="dialogues-sessions", title=str(_("Kom naar een bijeenkomst")),
            template="dialogues/includes/project_sessions.html", context={"sessions": sessions}, order=10,
        ))
    rounds = list(live_public(DialogueRoundPage.objects.child_of(project)))
    page_cache.depends_on(*[round_tag(r.pk) for r in rounds])  # their sessions and outcomes are shown here
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


# Staff actions on a session, written by dialogues.services (``_audit``) and shown in the
# session's history in the admin: (action, label, message).
LOG_ACTIONS = [
    ("check_in", _("Ingecheckt"), _("Deelnemer als aanwezig gemeld")),
    ("no_show", _("Niet gekomen"), _("Deelnemer als niet gekomen gemeld")),
    ("walk_in", _("Binnenloper"), _("Binnenloper toegevoegd")),
    ("outcome_publish", _("Uitkomst gepubliceerd"), _("Uitkomst gepubliceerd en deelnemers gemaild")),
    ("outcome_unpublish", _("Uitkomst niet meer openbaar"), _("Uitkomst niet meer openbaar gemaakt")),
    ("message_send", _("Bericht aan iedereen"), _("Bericht aan alle deelnemers verstuurd")),
    ("session_cancel", _("Bijeenkomst afgelast"), _("Bijeenkomst afgelast en deelnemers gemaild")),
    ("session_mark_held", _("Gehouden"), _("Bijeenkomst gemarkeerd als gehouden")),
    ("registration_cancel", _("Aanmelding afgezegd"), _("Aanmelding afgezegd door een medewerker")),
    ("registration_on_behalf", _("Aangemeld door medewerker"), _("Iemand aangemeld door een medewerker")),
    ("waitlist_promote_by_hand", _("Van wachtlijst naar plaats"), _("Iemand van de wachtlijst op een plaats gezet")),
    ("evaluation_send", _("Evaluatie verstuurd"), _("Uitnodigingen voor de evaluatie verstuurd")),
]


@hooks.register("register_log_actions")
def register_dialogue_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(f"dialogues.{action}", label, message)


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
