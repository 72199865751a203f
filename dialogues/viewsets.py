"""Admin viewsets: sessions and outcomes, scoped to the projects the user may edit.
Registered in wagtail_hooks.py; the per-session registration views live in admin_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from . import services
from .filters import SessionFilterSet
from .panels import ScheduleChangeWarningPanel
from .venue import VenueMapPanel
from .models import DialogueSession, SessionOutcome
from .permissions import manageable_rounds, outcome_policy, session_policy


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(round__in=manageable_rounds(self.request.user)).select_related("round")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(ListingButton(
            _("Aanmeldingen"), url=reverse("dialogues_admin:registrations", args=[instance.pk]), icon_name="group", priority=5,
        ))
        return buttons


class InstancePermissionMixin:
    """Wagtail checks model-level permission; a session belongs to one project, so check that too."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj):
            raise PermissionDenied
        return obj


class RoundScopedFormMixin:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if "round" in form.fields:
            form.fields["round"].queryset = manageable_rounds(self.request.user)
        return form


class SessionCreateView(RoundScopedFormMixin, generic.CreateView):
    pass


class SessionEditView(InstancePermissionMixin, RoundScopedFormMixin, generic.EditView):
    def save_instance(self):
        # Through the service: a new time or place bumps the calendar and emails everyone;
        # more seats promote people from the waiting list.
        data = {name: self.form.cleaned_data[name] for name in self.form.changed_data if name in self.form.cleaned_data}
        return services.session_update(session_id=self.object.pk, data=data)


class SessionDeleteView(InstancePermissionMixin, generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        session = DialogueSession.objects.filter(pk=kwargs.get("pk")).first()
        if session is not None and (session.registrations.exists() or session.evaluations.exists()):
            messages.error(request, _("Er zijn aanmeldingen voor deze bijeenkomst. U kunt hem niet verwijderen, wel afgelasten."))
            return redirect("dialogues_admin:registrations", session.pk)
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        services.session_delete(session_id=self.object.pk)


class SessionHistoryView(generic.HistoryView):
    """The audit trail of one session: only for those who may manage its project."""

    def get_object(self):
        obj = super().get_object()
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj):
            raise PermissionDenied
        return obj


class DialogueSessionViewSet(ModelViewSet):
    model = DialogueSession
    icon = "date"
    menu_label = gettext_lazy("Bijeenkomsten")
    menu_name = "dialogue-sessions"
    url_prefix = "dialogues/sessions"
    add_to_admin_menu = True
    menu_order = 210
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    history_view_class = SessionHistoryView
    list_display = [
        "title", "round", "starts_at", "status",
        Column("seats_taken", label=gettext_lazy("Bezet")), Column("capacity", label=gettext_lazy("Plaatsen")),
    ]
    filterset_class = SessionFilterSet
    search_fields = ["title", "venue"]
    ordering = ["-starts_at"]
    inspect_view_enabled = False
    copy_view_enabled = False
    panels = [
        FieldPanel("round"),
        FieldPanel("title"),
        ScheduleChangeWarningPanel(),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        MultiFieldPanel([
            FieldPanel("venue"), FieldPanel("address"),
            VenueMapPanel(),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            FieldPanel("online_url"),
        ], heading=gettext_lazy("Waar")),
        FieldRowPanel([FieldPanel("capacity_onsite"), FieldPanel("capacity_online")], heading=gettext_lazy("Plaatsen")),
        FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")], heading=gettext_lazy("Aanmelden")),
        FieldPanel("facilitator"),
        FieldPanel("accessibility"),
    ]


class OutcomeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(session__round__in=manageable_rounds(self.request.user)).select_related("session")


class OutcomeCreateView(generic.CreateView):
    """An outcome always belongs to one session: it is started from that session's page."""

    def dispatch(self, request, *args, **kwargs):
        messages.info(request, _("Kies eerst een bijeenkomst. Bij de aanmeldingen vindt u 'Uitkomst en afspraken'."))
        return redirect("dialogue_sessions:index")


class OutcomeEditView(InstancePermissionMixin, generic.EditView):
    def save_instance(self):
        instance = super().save_instance()  # inside the view's transaction
        services.outcome_memory_refresh(outcome_id=instance.pk)
        return instance


class OutcomeDeleteView(InstancePermissionMixin, generic.DeleteView):
    def delete_action(self):
        outcome_id = self.object.pk
        with transaction.atomic():
            super().delete_action()
            services.outcome_memory_refresh(outcome_id=outcome_id)


class SessionOutcomeViewSet(ModelViewSet):
    model = SessionOutcome
    icon = "clipboard-list"
    menu_label = gettext_lazy("Uitkomsten")
    url_prefix = "dialogues/outcomes"
    add_to_admin_menu = False
    index_view_class = OutcomeIndexView
    add_view_class = OutcomeCreateView
    edit_view_class = OutcomeEditView
    delete_view_class = OutcomeDeleteView
    list_display = ["session", "published_at"]
    inspect_view_enabled = False
    copy_view_enabled = False
    panels = [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("notes_discover"), FieldPanel("notes_dream"), FieldPanel("notes_design"), FieldPanel("notes_destiny")],
                        heading=gettext_lazy("Notities per fase")),
        FieldPanel("themes"),
        InlinePanel("quotes", label=gettext_lazy("Citaten (anoniem)"), heading=gettext_lazy("Citaten")),
        InlinePanel("agreements", label=gettext_lazy("Afspraken"), heading=gettext_lazy("Afspraken")),
    ]


register_permission_policy(DialogueSession, session_policy(), exact_class=True)
register_permission_policy(SessionOutcome, outcome_policy(), exact_class=True)

session_viewset = DialogueSessionViewSet("dialogue_sessions")
outcome_viewset = SessionOutcomeViewSet("dialogue_outcomes")
