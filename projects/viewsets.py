"""Admin viewsets of projects (registered in wagtail_hooks.py)."""

import json

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .mail import RETRYABLE, mail_retry
from .models import Decision, OutgoingMail, ProjectPage, ProjectPhase
from .permissions import decision_policy, manageable_projects
from .sources import memory_changed


class DecisionFilterSet(WagtailFilterSet):
    # Only the projects the user may manage, not every project on the site.
    project = django_filters.ModelChoiceFilter(
        label=_("project"), queryset=lambda request: manageable_projects(getattr(request, "user", None)),
    )
    published = django_filters.BooleanFilter(label=_("gepubliceerd"), widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Decision
        fields = ["project", "published"]


class PhaseSelect(forms.Select):
    """The phase choices, grouped per project; a small script keeps only the chosen project's
    phases visible (without JavaScript the groups "Project – fase" remain)."""

    class Media:
        js = ["projects/decision_form.js"]


class DecisionInstanceMixin:
    """Wagtail checks the model-level permission; a decision belongs to one project, so
    check that project too (403 on another project's decision)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not decision_policy().user_has_permission_for_instance(self.request.user, "change", obj):
            raise PermissionDenied
        return obj


class DecisionFormMixin:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        projects = list(manageable_projects(self.request.user).order_by("title"))
        form.fields["project"].queryset = ProjectPage.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")
        phases = list(ProjectPhase.objects.filter(project__in=[p.pk for p in projects]).order_by("project_id", "sort_order", "pk"))
        field = form.fields["phase"]
        field.queryset = ProjectPhase.objects.filter(pk__in=[p.pk for p in phases])
        by_project: dict[int, list] = {}
        for phase in phases:
            by_project.setdefault(phase.project_id, []).append(phase)
        # Validation still uses the queryset; the model's clean() refuses a phase of another project.
        field.choices = [("", "---------")] + [
            (project.title, [(phase.pk, f"{project.title} – {phase.title}") for phase in by_project[project.pk]])
            for project in projects if project.pk in by_project
        ]
        field.widget = PhaseSelect(choices=field.choices, attrs={
            "data-phases-by-project": json.dumps({str(k): [p.pk for p in v] for k, v in by_project.items()}),
            "data-project-field": form["project"].auto_id,
        })
        return form


class DecisionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(project__in=manageable_projects(self.request.user)).select_related("project")


class DecisionMemoryMixin:
    """A published decision is in the search: Wagtail's generic views save it inside their
    transaction, and the memory follows in that same transaction."""

    def save_instance(self):
        instance = super().save_instance()
        memory_changed([f"decision:{instance.pk}"])
        return instance


class DecisionCreateView(DecisionMemoryMixin, DecisionFormMixin, generic.CreateView):
    pass


class DecisionEditView(DecisionMemoryMixin, DecisionInstanceMixin, DecisionFormMixin, generic.EditView):
    pass


class DecisionDeleteView(DecisionInstanceMixin, generic.DeleteView):
    def delete_action(self):
        key = f"decision:{self.object.pk}"
        with transaction.atomic():
            super().delete_action()
            memory_changed([key])


class DecisionHistoryView(DecisionInstanceMixin, generic.HistoryView):
    pass


class DecisionUsageView(DecisionInstanceMixin, UsageView):
    pass


def _published_label(decision: Decision) -> str:
    return _gettext("Gepubliceerd") if decision.published else _gettext("Concept")


class DecisionViewSet(ModelViewSet):
    """Decisions per project, with their reasoning, shown on "Wat is er met uw inbreng gedaan".

    Scoped like the project's pages (``projects.permissions.decision_policy``): an
    editor sees, adds, changes and deletes only the decisions of projects whose page they may
    edit. Wagtail's generic views write the audit log (``wagtail.create``/``edit``/``delete``),
    shown in each decision's history."""

    model = Decision
    icon = "doc-full"
    menu_label = _("Besluiten")
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = DecisionIndexView
    add_view_class = DecisionCreateView
    edit_view_class = DecisionEditView
    delete_view_class = DecisionDeleteView
    history_view_class = DecisionHistoryView
    usage_view_class = DecisionUsageView
    copy_view_enabled = False
    filterset_class = DecisionFilterSet
    form_fields = ["project", "phase", "title", "decided_on", "reasoning", "published"]
    list_display = ["title", "project", "decided_on",
                    Column("published", label=_("status"), accessor=_published_label)]
    search_fields = ["title", "reasoning"]
    ordering = ["-decided_on"]


decision_viewset = DecisionViewSet("decisions")


# --- The outbox ------------------------------------------------------------------------


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """The outbox is read-only in the admin, for superusers too: mail is written by the code
    that sends it. Viewing (which shows personal data: addresses and content) needs
    ``projects.view_outgoingmail``; trying again needs ``projects.retry_outgoingmail``."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(OutgoingMail, OutboxPermissionPolicy(OutgoingMail))
register_permission_policy(Decision, decision_policy())


def _can_retry(user) -> bool:
    return user.has_perm("projects.retry_outgoingmail")


class OutboxIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The listing never shows the content; it can be large.
        return super().get_base_queryset().defer("body_text", "body_html", "attachments")

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if _can_retry(self.request.user):
            buttons.append(HeaderButton(_("Alle mislukte en onzekere opnieuw proberen"),
                                        url=reverse("outbox:retry") + "?alle=1", icon_name="resubmit"))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if _can_retry(self.request.user) and instance.status in RETRYABLE:
            buttons.append(ListingButton(_("Opnieuw proberen"), url=reverse("outbox:retry") + f"?id={instance.pk}",
                                         icon_name="resubmit", priority=5))
        return buttons


class OutboxInspectView(generic.InspectView):
    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if _can_retry(self.request.user) and self.object.status in RETRYABLE:
            buttons.append(HeaderButton(_("Opnieuw proberen"), url=reverse("outbox:retry") + f"?id={self.object.pk}",
                                        icon_name="resubmit"))
        return buttons


def outbox_retry(request):
    """Confirm (GET) and do (POST) "Opnieuw proberen" for one mail (``id``) or for every failed
    and uncertain mail (``alle``)."""
    if not _can_retry(request.user):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    if params.get("alle"):
        mails = OutgoingMail.objects.filter(status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.UNCERTAIN])
    else:
        ids = params.getlist("id")
        if not ids or not all(value.isdigit() for value in ids):
            return HttpResponseBadRequest(_gettext("Geef aan welke e-mail opnieuw verstuurd moet worden."))
        mails = OutgoingMail.objects.filter(pk__in=[int(value) for value in ids], status__in=RETRYABLE)
    ids = list(mails.values_list("pk", flat=True))
    if request.method == "POST":
        count = mail_retry(mail_ids=ids, user=request.user)
        messages.success(request, ngettext("%(count)s e-mail wordt opnieuw verstuurd.",
                                           "%(count)s e-mails worden opnieuw verstuurd.", count) % {"count": count})
        return redirect("outbox:index")
    return TemplateResponse(request, "projects/admin/outbox_retry.html", {
        "title": _gettext("Opnieuw proberen"), "mails": mails.order_by("pk")[:50], "count": len(ids),
        "ids": ids if not params.get("alle") else [], "all": bool(params.get("alle")),
    })


class OutboxViewSet(ModelViewSet):
    """The outbox: waiting, failed and uncertain mail with the reason, for administrators."""

    model = OutgoingMail
    icon = "mail"
    menu_label = _("Uitgaande e-mail")
    menu_order = 900
    add_to_settings_menu = True
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    inspect_view_fields = ["to", "subject", "status", "attempts", "last_error", "created_at", "next_attempt_at",
                           "sent_at", "body_text"]
    form_fields = ["to"]  # never editable (see OutboxPermissionPolicy); required by ModelViewSet
    list_display = ["subject", "to", "status", "attempts", Column("last_error", label=_("laatste fout")),
                    "next_attempt_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    ordering = ["-created_at"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("opnieuw/", outbox_retry, name="retry")]


outbox_viewset = OutboxViewSet("outbox", url_prefix="uitgaande-email")
