"""Wagtail admin: the moderation queue with its actions, themes and areas."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from . import reaction_services, services
from .forms import ModeratorEditForm, QueueFilterForm, ReactionHideForm, RejectForm, StatusForm
from .models import Area, Initiative, Moderation, Reaction, Theme
from .reactions import reaction_moderation_list, reaction_open_report_count
from .selectors import initiative_log_entries, moderation_list_all, moderation_projects, moderation_queue, moderation_scope


def moderator_required(view):
    """The queue at all: moderators, and editors of a project (who see only theirs)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not services.user_can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return services.user_can_moderate(request.user)


def _apply_errors(form, exc: ValidationError):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@moderator_required
def queue_view(request):
    show = "alle" if request.GET.get("toon") == "alle" else "wachtrij"
    within = moderation_scope(request.user)
    form = QueueFilterForm(request.GET or None, projects=moderation_projects(within=within), without_project=within is None)
    project = form.selected_project() if form.is_bound else None
    if form.is_bound and not form.is_valid():
        return TemplateResponse(request, "geo/admin/queue.html", {"initiatives": [], "rows": [], "show": show, "filter_form": form}, status=400)
    initiatives = moderation_list_all(project=project, within=within) if show == "alle" else moderation_queue(project=project, within=within)
    return TemplateResponse(request, "geo/admin/queue.html", {
        "initiatives": initiatives, "rows": initiatives, "show": show, "filter_form": form, "reported_reactions": reaction_open_report_count(within=within),
        "project_query": f"&project={form.cleaned_data['project']}" if form.is_bound and form.cleaned_data.get("project") else "",
    })


@moderator_required
def initiative_view(request, pk: int):
    initiative = get_object_or_404(Initiative.objects.select_related("theme", "area", "submitter", "project"), pk=pk)
    if not services.user_can_moderate(request.user, initiative):
        raise PermissionDenied
    allowed = sorted(services.ALLOWED_TRANSITIONS.get(initiative.status, set()))
    reject_form = RejectForm(prefix="reject")
    status_form = StatusForm(prefix="status", allowed=allowed)
    edit_form = ModeratorEditForm(prefix="edit", initial={
        "title": initiative.title, "description": initiative.description, "theme": initiative.theme_id,
        "address": initiative.address, "lat": initiative.lat, "lon": initiative.lon, "no_location": initiative.no_location,
    })
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.initiative_publish(initiative=initiative, moderator=request.user)
                messages.success(request, _("Het initiatief is gepubliceerd."))
                return redirect("geo_moderation:initiative", pk=pk)
            if action == "reject":
                reject_form = RejectForm(request.POST, prefix="reject")
                if reject_form.is_valid():
                    services.initiative_reject(initiative=initiative, moderator=request.user, reason=reject_form.cleaned_data["reason"])
                    messages.success(request, _("Het initiatief is afgewezen. De indiener krijgt een e-mail."))
                    return redirect("geo_moderation:queue")
            if action == "status":
                status_form = StatusForm(request.POST, prefix="status", allowed=allowed)
                if status_form.is_valid():
                    services.initiative_set_status(
                        initiative=initiative, to_status=status_form.cleaned_data["to_status"], answer=status_form.cleaned_data["answer"], by=request.user,
                    )
                    messages.success(request, _("De status is veranderd. De indiener en de steuners krijgen een e-mail."))
                    return redirect("geo_moderation:initiative", pk=pk)
            if action == "edit":
                edit_form = ModeratorEditForm(request.POST, prefix="edit")
                if edit_form.is_valid():
                    services.initiative_edit_by_moderator(initiative=initiative, moderator=request.user, **edit_form.cleaned_data)
                    messages.success(request, _("Het initiatief is aangepast."))
                    return redirect("geo_moderation:initiative", pk=pk)
        except ValidationError as exc:
            form = {"reject": reject_form, "status": status_form, "edit": edit_form}.get(action)
            if form is not None:
                _apply_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return TemplateResponse(request, "geo/admin/initiative.html", {
        "initiative": initiative, "reject_form": reject_form, "status_form": status_form, "edit_form": edit_form,
        "reports": initiative.reports.filter(resolved_at__isnull=True).order_by("created_at"),
        "history": initiative.status_changes.order_by("created_at"), "is_published": initiative.moderation == Moderation.PUBLISHED,
        "log_entries": initiative_log_entries(initiative),
        "can_change_status": bool(allowed) and initiative.moderation == Moderation.PUBLISHED,
    })


@moderator_required
def reactions_view(request):
    """Reported reactions the user may moderate: hide one with a public reason, or let it stand."""
    within = moderation_scope(request.user)
    failed = None
    if request.method == "POST":
        raw = request.POST.get("reaction", "")
        if not raw.isdigit():
            return TemplateResponse(request, "geo/admin/reactions.html", {"rows": [], "bad_action": True}, status=400)
        reaction = get_object_or_404(Reaction, pk=int(raw))
        action = request.POST.get("action")
        try:
            if action == "hide":
                form = ReactionHideForm(request.POST, prefix=f"hide-{reaction.pk}")
                if form.is_valid():
                    reaction_services.reaction_hide(reaction=reaction, moderator=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("De reactie is verborgen. Iedereen ziet de reden."))
                    return redirect("geo_moderation:reactions")
                failed = (reaction.pk, form)
            elif action == "dismiss":
                reaction_services.reaction_reports_dismiss(reaction=reaction, moderator=request.user)
                messages.success(request, _("De meldingen zijn afgehandeld. De reactie blijft staan."))
                return redirect("geo_moderation:reactions")
            else:
                return TemplateResponse(request, "geo/admin/reactions.html", {"rows": [], "bad_action": True}, status=400)
        except ValidationError as exc:
            form = ReactionHideForm(request.POST, prefix=f"hide-{reaction.pk}")
            _apply_errors(form, exc)
            failed = (reaction.pk, form)
    rows = []
    for reaction in reaction_moderation_list(within=within):
        form = failed[1] if failed and failed[0] == reaction.pk else ReactionHideForm(prefix=f"hide-{reaction.pk}")
        rows.append({"reaction": reaction, "form": form})
    return TemplateResponse(request, "geo/admin/reactions.html", {"rows": rows}, status=400 if failed else 200)


class ModerationViewSet(ViewSet):
    menu_label = gettext_lazy("Initiatieven")
    icon = "pick"
    add_to_admin_menu = True
    menu_item_class = ModeratorMenuItem

    @property
    def menu_url(self):
        return reverse("geo_moderation:queue")

    def get_urlpatterns(self):
        return [
            path("", queue_view, name="queue"),
            path("<int:pk>/", initiative_view, name="initiative"),
            path("reacties/", reactions_view, name="reactions"),
        ]


class ThemeEditView(snippet_views.EditView):
    def save_instance(self):
        # Inside the view's transaction (Wagtail's save, revision and log, then the search).
        old_name = Theme.objects.filter(pk=self.object.pk).values_list("name", flat=True).first()
        instance = super().save_instance()
        if old_name != instance.name:
            services.theme_memory_refresh(names=[old_name, instance.name])
        return instance


class AreaEditView(snippet_views.EditView):
    def save_instance(self):
        old = Area.objects.filter(pk=self.object.pk).values_list("code", "name").first()
        instance = super().save_instance()
        if old != (instance.code, instance.name):
            services.area_memory_refresh(codes=[old[0] if old else "", instance.code])
        return instance


class ThemeViewSet(SnippetViewSet):
    model = Theme
    edit_view_class = ThemeEditView
    icon = "tag"
    menu_label = gettext_lazy("Thema's")
    list_display = ["name", "sort_order"]
    add_to_admin_menu = False


class AreaViewSet(SnippetViewSet):
    model = Area
    edit_view_class = AreaEditView
    icon = "site"
    menu_label = gettext_lazy("Gebieden")
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    add_to_admin_menu = False
