from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from projects.sections import HOME_SECTIONS_HOOK, PROJECT_SECTIONS_HOOK, PageSection

from .viewsets import ModerationViewSet


@hooks.register("register_admin_viewset")
def register_moderation_viewset():
    return ModerationViewSet("concerns_moderation", url_prefix="top-3")


@hooks.register(HOME_SECTIONS_HOOK)
def home_concerns(*, page, request):
    return PageSection(
        key="concerns", title=str(_("Wat houdt u bezig in uw buurt?")), template="concerns/includes/home_section.html", order=40,
    )


@hooks.register(PROJECT_SECTIONS_HOOK)
def project_concerns(*, project, request):
    """Offered on a running project's page only: a finished one takes no new Top-3's."""
    from .selectors import project_running_get, results_by_area

    if project_running_get(project.pk) is None:
        return None
    results = results_by_area(project=project)
    return PageSection(
        key="concerns", title=str(_("Wat houdt u bezig in uw buurt?")), template="concerns/includes/project_section.html",
        context={"project_concern_results": results, "project_concern_residents": sum(r["residents"] for r in results)},
        order=30,
    )


@hooks.register("register_log_actions")
def register_concern_log_actions(actions):
    """Moderation in the audit log (``concerns.services`` writes them; the moderation page lists them)."""

    @actions.register_action("concerns.submission_publish")
    class Publish(LogFormatter):
        label = _("Top-3 gepubliceerd")
        message = _("Gepubliceerd: telt mee in de uitkomst")

    @actions.register_action("concerns.submission_reject")
    class Reject(LogFormatter):
        label = _("Top-3 afgewezen")

        def format_message(self, log_entry):
            return gettext("Afgewezen (de reden staat bij de top-3)")
