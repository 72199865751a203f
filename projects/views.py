from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import ProjectPage
from .sources import all_sources


@require_POST
def follow(request, project_id):
    """Follow a project. Anonymous visitors go to the login page and come back to the
    project (not to this POST-only address), where they can press the button again."""
    project = get_object_or_404(ProjectPage.objects.live().public(), pk=project_id)
    if not request.user.is_authenticated:
        return redirect_to_login(project.url)
    services.follow_create(project=project, user=request.user)
    messages.success(request, _("U volgt dit project. U krijgt een e-mail bij nieuws."))
    return redirect(project.url)


@require_POST
@login_required
def unfollow(request, project_id):
    project = get_object_or_404(ProjectPage, pk=project_id)
    services.follow_delete(project=project, user=request.user)
    messages.success(request, _("U volgt dit project niet meer."))
    return redirect(project.url or "/")


def unfollow_token(request, token):
    """Unsubscribe from a project's news by the link in an email, without logging in.
    GET shows a confirmation button (mail scanners follow links); POST unsubscribes."""
    follow = services.follow_from_token(token)
    if follow is None:
        return render(request, "projects/unfollow_token.html", {"invalid": True}, status=404)
    if request.method == "POST":
        project = follow.project
        services.follow_delete(project=project, user=follow.user)
        return render(request, "projects/unfollow_token.html", {"done": True, "project": project})
    return render(request, "projects/unfollow_token.html", {"project": follow.project})


@login_required
def my_data(request):
    sections = sorted(
        (section for source in all_sources() for section in source.personal_sections(request.user)),
        key=lambda s: s.order,
    )
    follows = request.user.project_follows.select_related("project").order_by("project__title")
    return render(request, "projects/my_data.html", {"sections": sections, "follows": follows})
