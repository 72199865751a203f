"""Wagtail admin: the moderation queue of Top-3's with publish and reject."""

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

from . import services
from .forms import RejectForm
from .models import Submission, SubmissionStatus
from .selectors import moderation_list_all, moderation_queue, moderation_scope, submission_log_entries, user_can_moderate


def moderator_required(view):
    """The queue at all: moderators, and editors of a project (who see only theirs)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_moderate(request.user)


@moderator_required
def queue_view(request):
    show = "alle" if request.GET.get("toon") == "alle" else "wachtrij"
    within = moderation_scope(request.user)
    submissions = moderation_list_all(within=within) if show == "alle" else moderation_queue(within=within)
    return TemplateResponse(request, "concerns/admin/queue.html", {"submissions": submissions, "rows": submissions, "show": show})


@moderator_required
def submission_view(request, pk: int):
    submission = get_object_or_404(
        Submission.objects.select_related("area", "project").exclude(status=SubmissionStatus.UNCONFIRMED), pk=pk,
    )
    if not user_can_moderate(request.user, submission):
        raise PermissionDenied
    reject_form = RejectForm(prefix="reject")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.submission_publish(submission=submission, moderator=request.user)
                messages.success(request, _("De top-3 is gepubliceerd en telt mee."))
                return redirect("concerns_moderation:queue")
            if action == "reject":
                reject_form = RejectForm(request.POST, prefix="reject")
                if reject_form.is_valid():
                    services.submission_reject(submission=submission, moderator=request.user, reason=reject_form.cleaned_data["reason"])
                    messages.success(request, _("De top-3 is afgewezen."))
                    return redirect("concerns_moderation:queue")
            else:
                messages.error(request, _("Deze actie bestaat niet."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "concerns/admin/submission.html", {
        "submission": submission, "concerns": list(submission.concerns.select_related("theme")),
        "reject_form": reject_form, "log_entries": submission_log_entries(submission),
        "can_publish": submission.status in (SubmissionStatus.PENDING, SubmissionStatus.REJECTED),
        "can_reject": submission.status in (SubmissionStatus.PENDING, SubmissionStatus.PUBLISHED),
    }, status=status)


class ModerationViewSet(ViewSet):
    menu_label = gettext_lazy("Top-3 van zorgen")
    icon = "list-ol"
    add_to_admin_menu = True
    menu_item_class = ModeratorMenuItem

    @property
    def menu_url(self):
        return reverse("concerns_moderation:queue")

    def get_urlpatterns(self):
        return [
            path("", queue_view, name="queue"),
            path("<int:pk>/", submission_view, name="submission"),
        ]
