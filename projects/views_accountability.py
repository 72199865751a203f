"""The accountability overview: "Wat is er afgesproken en wat is ervan gekomen".

Public pages (across projects and per project) list public commitments only; the staff list in
the admin adds the non-public ones the user may manage, each with a small update form. The rows
come from ``projects.accountability``; the writes go through ``projects.sources.commitment_update``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .selectors import live_public
from . import accountability, page_cache
from .models import ProjectPage
from .sources import CommitmentStatus, UnknownCommitment, commitment_kind_labels, commitment_update


class CommitmentFilterForm(forms.Form):
    """The GET filters. A value outside the lists is a malformed request: 400 with the reason."""

    project = forms.TypedChoiceField(
        label=gettext_lazy("Project"), required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Kies een project uit de lijst.")},
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een status uit de lijst.")},
    )
    soort = forms.ChoiceField(
        label=gettext_lazy("Soort"), required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een soort uit de lijst.")},
    )
    wijk = forms.ChoiceField(
        label=gettext_lazy("Wijk"), required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een wijk uit de lijst.")},
    )
    te_laat = forms.ChoiceField(
        label=gettext_lazy("Alleen wat te laat is"), required=False, choices=[("", "-"), ("1", "1")],
        error_messages={"invalid_choice": gettext_lazy("Dit vakje kan alleen aan of uit staan.")},
    )

    def __init__(self, data, *, projects, areas, with_project: bool = True):
        super().__init__(data)
        everything = [("", _("Alle"))]
        if with_project:
            self.fields["project"].choices = everything + [(str(p.pk), p.title) for p in projects]
        else:
            del self.fields["project"]
        self.fields["status"].choices = everything + list(CommitmentStatus.choices)
        self.fields["soort"].choices = everything + sorted(commitment_kind_labels().items())
        self.fields["wijk"].choices = everything + [(a, a) for a in areas]

    def filters(self, *, project_id=None) -> accountability.CommitmentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return accountability.CommitmentFilters(
            project_id=project_id if project_id is not None else data.get("project"),
            status=data.get("status", ""), kind=data.get("soort", ""), area=data.get("wijk", ""),
            overdue_only=data.get("te_laat") == "1",
        )


def _overview(request, rows, *, projects, project=None, with_project=True):
    """Filter ``rows`` by the GET form; the context for the list templates, and the status
    (400 when a filter value is not one of the choices)."""
    form = CommitmentFilterForm(request.GET or None, projects=projects, areas=accountability.commitment_areas(rows),
                                with_project=with_project)
    valid = form.is_valid() if form.is_bound else True
    filters = form.filters(project_id=project.pk if project else None) if valid else accountability.CommitmentFilters(
        project_id=project.pk if project else None)
    without_status = accountability.commitment_rows_filter(rows, filters, skip_status=True)
    shown = accountability.commitment_rows_filter(without_status, filters)
    return {
        "form": form, "rows": shown, "summary": accountability.commitment_summary(without_status),
        "filters": filters, "filtered": bool(request.GET) and valid, "project": project,
    }, 200 if valid else 400


def commitments_public(request):
    """Across projects: every public commitment of every live, public project."""
    page_cache.depends_on(page_cache.SITE, page_cache.COMMITMENTS)
    page_cache.valid_until_tomorrow()  # "te laat" follows the date
    projects = accountability.projects_public()
    context, status = _overview(request, accountability.commitment_rows_public(projects), projects=projects)
    return render(request, "projects/accountability/list.html", context, status=status)


def commitments_project(request, project_id):
    project = get_object_or_404(live_public(ProjectPage.objects), pk=project_id)
    page_cache.depends_on(page_cache.SITE, page_cache.COMMITMENTS)
    page_cache.valid_until_tomorrow()
    context, status = _overview(request, accountability.commitment_rows_public([project]), projects=[project],
                                project=project, with_project=False)
    return render(request, "projects/accountability/list.html", context, status=status)


# --- the admin: the staff list with an update form per row -----------------------------------------


class CommitmentUpdateForm(forms.Form):
    key = forms.CharField(max_length=60)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=CommitmentStatus.choices,
                               error_messages={"invalid_choice": gettext_lazy("Kies een status uit de lijst.")})
    progress = forms.CharField(label=gettext_lazy("Voortgang"), required=False, max_length=300,
                               error_messages={"max_length": gettext_lazy("Schrijf de voortgang in hoogstens %(limit_value)d tekens.")})
    who = forms.CharField(label=gettext_lazy("Wie"), required=False, max_length=200)
    due_date = forms.DateField(label=gettext_lazy("Klaar op"), required=False,
                               error_messages={"invalid": gettext_lazy("Vul een datum in, bijvoorbeeld 21-12-2026.")})


def admin_commitments(request):
    """ "Afspraken en uitvoering": what the user may follow up, with filters and an update form."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    rows = accountability.commitment_rows_for_staff(request.user)
    projects = sorted({row.project.pk: row.project for row in rows}.values(), key=lambda p: (p.title.lower(), p.pk))
    context, status = _overview(request, rows, projects=projects)
    context.update({
        "page_title": _("Afspraken en uitvoering"), "header_icon": "tasks",
        "statuses": CommitmentStatus.choices, "back": request.get_full_path(),
    })
    return render(request, "projects/accountability/admin.html", context, status=status)


@require_POST
def admin_commitment_update(request):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    form = CommitmentUpdateForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    back = back or "projects_commitments_admin"
    if not form.is_valid():
        if "key" in form.errors:
            return HttpResponseBadRequest(_("Het verzoek mist de afspraak die u wilt bijwerken."))
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        commitment = commitment_update(
            data["key"], status=data["status"], progress=data["progress"], by=request.user,
            who=data["who"] if "who" in request.POST else None, due_date=data["due_date"],
        )
    except UnknownCommitment:
        return HttpResponseNotFound(_("Deze afspraak bestaat niet (meer)."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("“%(title)s” is bijgewerkt: %(status)s.") % {"title": commitment.title, "status": commitment.status_label})
    return redirect(back)
