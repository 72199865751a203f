from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from projects.sections import HOME_SECTIONS_HOOK, PROJECT_SECTIONS_HOOK, PageSection
from projects.sources import CommitmentStatus

from .viewsets import AreaViewSet, ModerationViewSet, ThemeViewSet

register_snippet(ThemeViewSet)
register_snippet(AreaViewSet)


@hooks.register("register_admin_viewset")
def register_moderation_viewset():
    return ModerationViewSet("geo_moderation", url_prefix="initiatieven")


@hooks.register(PROJECT_SECTIONS_HOOK)
def project_initiatives(*, project, request):
    from .selectors import initiative_list_public

    latest = list(initiative_list_public(project=project)[:5])
    return PageSection(
        key="geo-initiatives", title=str(_("Initiatieven")), template="geo/includes/project_section.html",
        context={"project_initiatives": latest}, order=20,
    )


@hooks.register(HOME_SECTIONS_HOOK)
def home_map(*, page, request):
    from .selectors import initiative_list_public
    from .views import map_url

    latest = list(initiative_list_public()[:3])
    return PageSection(
        key="geo-map", title=str(_("Initiatieven op de kaart")), template="geo/includes/home_section.html",
        context={"latest_initiatives": latest, "initiatives_map_url": map_url()}, order=30,
    )


@hooks.register("register_log_actions")
def register_execution_log_actions(actions):
    @actions.register_action("geo.initiative_execution_update")
    class ExecutionUpdate(LogFormatter):
        label = _("Uitvoering bijgewerkt")

        def format_message(self, log_entry):
            data = log_entry.data or {}

            def label(value):
                return CommitmentStatus(value).label if value in CommitmentStatus.values else value

            return _("Uitvoering: %(from)s → %(to)s%(progress)s") % {
                "from": label(data.get("from_status", "")), "to": label(data.get("to_status", "")),
                "progress": _(", voortgang aangepast") if data.get("progress_changed") else "",
            }


@hooks.register("register_log_actions")
def register_initiative_log_actions(actions):
    """Moderation in the audit log (``geo.services`` writes them; the moderation page lists them)."""
    from .models import Status

    def status_label(value):
        return Status(value).label if value in Status.values else value

    @actions.register_action("geo.initiative_publish")
    class Publish(LogFormatter):
        label = _("Initiatief gepubliceerd")
        message = _("Gepubliceerd")

    @actions.register_action("geo.initiative_reject")
    class Reject(LogFormatter):
        label = _("Initiatief afgewezen")

        def format_message(self, log_entry):
            return gettext("Afgewezen. Reden: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action("geo.initiative_edit")
    class Edit(LogFormatter):
        label = _("Initiatief aangepast door moderator")

        def format_message(self, log_entry):
            fields = log_entry.data.get("fields") or []
            if not fields:
                return gettext("Aangepast (alleen een notitie)")
            return gettext("Aangepast: %(fields)s") % {"fields": ", ".join(dict.fromkeys(str(EDIT_FIELD_LABELS.get(f, f)) for f in fields))}

    @actions.register_action("geo.initiative_status")
    class StatusChanged(LogFormatter):
        label = _("Status van initiatief veranderd")

        def format_message(self, log_entry):
            return gettext("Status van '%(from)s' naar '%(to)s'") % {
                "from": status_label(log_entry.data.get("from")), "to": status_label(log_entry.data.get("to"))}

    @actions.register_action("geo.initiative_reports_resolve")
    class ReportsResolved(LogFormatter):
        label = _("Meldingen over initiatief afgehandeld")

        def format_message(self, log_entry):
            return gettext("Meldingen afgehandeld, het initiatief blijft staan (%(n)s)") % {"n": log_entry.data.get("reports", 0)}


EDIT_FIELD_LABELS = {
    "title": _("titel"), "description": _("beschrijving"), "theme_id": _("thema"), "lat": _("plek"), "lon": _("plek"),
    "no_location": _("geen specifieke plek"), "address": _("adres"), "area_id": _("wijk"),
}


@hooks.register("register_log_actions")
def register_reaction_log_actions(actions):
    """Moderating reactions, logged on their initiative (``geo.reaction_services``): the
    reaction's number and the public reason, never its text or author."""

    @actions.register_action("geo.reaction_hide")
    class ReactionHide(LogFormatter):
        label = _("Reactie verborgen")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return gettext("Reactie %(id)s verborgen. Reden: %(reason)s") % {"id": data.get("reaction", ""), "reason": data.get("reason", "")}

    @actions.register_action("geo.reaction_reports_dismiss")
    class ReactionReportsDismiss(LogFormatter):
        label = _("Meldingen over reactie afgehandeld")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return gettext("Meldingen over reactie %(id)s afgehandeld, de reactie blijft staan (%(n)s)") % {
                "id": data.get("reaction", ""), "n": data.get("reports", 0)}
