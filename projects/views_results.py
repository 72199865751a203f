"""Results, the participation report, open figures and the council view.

Views stay thin: the numbers come from ``projects.reports`` and ``projects.policy``.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import page_cache, reports, services, what_lives
from .forms import GoalAssessmentForm
from .permissions import can_manage_project
from .models import Decision, ParticipationReport, ProjectPage, ResultsPublication
from .policy import MET, NOT_MET, compliance_evaluate, policy_for, project_compliance, report_dates_for
from .selectors import goal_assessment_opens_on, goal_summary, live_public, phase_current, project_list, success_criterion_list
from .sources import CommitmentStatus, commitments_for, participation_for
from .views_what_lives import PeriodForm

COUNCIL_GROUP = "Raadsleden"
RESULTS_PER_PAGE = 50


def _public_project(project_id: int) -> ProjectPage:
    return get_object_or_404(live_public(ProjectPage.objects), pk=project_id)


# --- public: what was done with your input, the report, open figures ---------------------------


def _depends_on_project(project) -> None:
    """Results and the report count every app's input for the project and compare dates with today."""
    page_cache.depends_on(page_cache.SITE, page_cache.project_tag(project.pk), page_cache.FIGURES)
    page_cache.valid_until_tomorrow()


def results(request, project_id):
    """ "Wat is er met uw inbreng gedaan": decisions, session outcomes with their agreements,
    and every other input with its answer (paged)."""
    project = _public_project(project_id)
    _depends_on_project(project)
    data = participation_for([project])[project.pk]
    report = reports.report_build(project, data=data)
    others = sorted(data.answerable_inputs, key=lambda i: (i.submitted_at is None, i.submitted_at), reverse=True)
    page_obj = Paginator([reports._item(i) for i in others], RESULTS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "projects/results/results.html", {
        "project": project, "report": report, "page_obj": page_obj,
        "last_publication": ResultsPublication.objects.filter(project=project).order_by("-number").first(),
    })


def report_page(request, project_id):
    project = _public_project(project_id)
    _depends_on_project(project)
    report = reports.report_build(project)
    return render(request, "projects/report/report.html", {
        "project": project, "report": report, "body": reports.report_render_html(report),
        "versions": ParticipationReport.objects.filter(project=project).only("version", "vastgesteld_at", "pdf", "project_id"),
    })


def report_pdf(request, project_id):
    project = _public_project(project_id)
    pdf = reports.report_live_pdf(project)
    if pdf is None:  # a large project: a worker is making it
        return render(request, "projects/report/pdf_live_pending.html", {"project": project}, status=202)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="participatieverslag-{slugify(project.title)}.pdf"'
    return response


def report_version(request, project_id, version):
    project = _public_project(project_id)
    frozen = get_object_or_404(ParticipationReport, project=project, version=version)
    return render(request, "projects/report/version.html", {"project": project, "frozen": frozen})


def report_version_pdf(request, project_id, version):
    project = _public_project(project_id)
    frozen = get_object_or_404(ParticipationReport, project=project, version=version)
    if not frozen.pdf:
        return render(request, "projects/report/pdf_pending.html", {"project": project, "frozen": frozen}, status=202)
    return FileResponse(frozen.pdf.open("rb"), content_type="application/pdf",
                        filename=f"participatieverslag-{slugify(project.title)}-v{frozen.version}.pdf")


def figures_json(request, project_id):
    project = _public_project(project_id)
    figures = reports.report_figures(reports.report_build(project))
    response = JsonResponse(figures, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def figures_csv(request, project_id):
    project = _public_project(project_id)
    figures = reports.report_figures(reports.report_build(project))
    response = HttpResponse(reports.figures_csv(figures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cijfers-project-{project.pk}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- the council view -------------------------------------------------------------------------


def can_view_council(user) -> bool:
    """Council members, editors (admin access) and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin") or user.groups.filter(name=COUNCIL_GROUP).exists()


def _agreement_counts(commitments) -> list[tuple[str, int]]:
    """(status label, how many) in the vocabulary's order, only the statuses that occur."""
    counts = Counter(c.status for c in commitments)
    return [(str(label), counts[value]) for value, label in CommitmentStatus.choices if counts[value]]


def _evaluation_scores(pdata) -> dict:
    """Every source's evaluation of the project together: answers and average per question."""
    responses, sums = 0, Counter()
    for evaluation in pdata.evaluation.values():
        responses += evaluation.responses
        for question, average in evaluation.averages.items():
            sums[question] += average * evaluation.responses
    return {"responses": responses,
            "averages": [(q, round(total / responses, 1)) for q, total in sums.items()] if responses else []}


def council_overview(*, now=None, months: int = what_lives.DEFAULT_MONTHS, area=None) -> dict:
    """All live projects with phase, ladder, numbers and compliance, and themes across projects,
    in a fixed number of queries (plus what the sources need; bulk-capable sources keep it fixed).

    ``area`` (an ``AreaRef``) keeps only the projects with participants or inputs in that wijk,
    and "Wat leeft er per wijk" (over the last ``months`` months) to that wijk."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    projects = list(project_list().prefetch_related("stakeholder_groups", "criteria__assessment"))
    data = participation_for(projects)
    if area is not None:
        projects = [p for p in projects if area.name in {a for r in data[p.pk].reach.values() for a in r.by_area}
                    or any(i.area in (area.name, area.code) for i in data[p.pk].inputs)]
    commitments = commitments_for(projects)
    counts = what_lives.counts_get(what_lives.period_get(months, now=now))
    dates = report_dates_for(p.pk for p in projects)
    policy = policy_for(None)
    latest = {}
    for row in ParticipationReport.objects.filter(project__in=projects).order_by("project_id", "version").values("project_id", "version"):
        latest[row["project_id"]] = row["version"]
    rows = []
    themes, theme_area, session_themes = Counter(), Counter(), Counter()
    for project in projects:
        pdata = data[project.pk]
        compliance = compliance_evaluate(project, policy=policy, data=pdata, report_dates=dates.get(project.pk, []), now=now)
        others = pdata.answerable_inputs
        for item in others:
            themes.update(item.themes)
            theme_area.update((t, item.area or _("onbekend")) for t in item.themes)
        for item in pdata.outcome_inputs:
            session_themes.update(item.themes)
        current = phase_current(list(project.phases.all()), today)
        rows.append({
            "project": project,
            "phase": current.title if current else "",
            "ladder": project.get_ladder_level_display(),
            "participants": pdata.participants,
            "activities": len(pdata.activities),
            "inputs": len(others),
            "answered": sum(1 for i in others if i.answer),
            "input_kinds": pdata.input_groups(),
            "goal": goal_summary(success_criterion_list(project)),
            "compliance": compliance,
            "met": sum(1 for r in compliance if r.status == MET),
            "not_met": [r for r in compliance if r.status == NOT_MET],
            "latest_version": latest.get(project.pk),
            "agreements": _agreement_counts(commitments[project.pk]),
            "evaluation": _evaluation_scores(pdata),
        })
    return {
        "rows": rows,
        "what_lives": what_lives.by_area(counts, areas=[area] if area else None),
        "period": counts.period,
        "themes": themes.most_common(),
        "session_themes": session_themes.most_common(),
        "theme_area": sorted(theme_area.items(), key=lambda kv: (kv[0][0], -kv[1])),
    }


@login_required
def council(request):
    if not can_view_council(request.user):
        raise PermissionDenied
    areas = what_lives.wijken()
    form = PeriodForm(request.GET or None, areas=areas)
    valid = form.is_valid() if form.is_bound else True
    if not form.is_bound or not valid:
        months, code = what_lives.DEFAULT_MONTHS, ""
    else:
        months, code = form.months, form.area_code
    area = next((a for a in areas if a.code == code), None)
    context = council_overview(months=months, area=area)
    if not form.is_bound:
        form = PeriodForm({"periode": str(months)}, areas=areas)
        form.is_valid()
    context.update({"form": form, "area": area})
    return render(request, "projects/council/index.html", context, status=200 if valid else 400)


# --- the admin: results of one project, vaststellen, publishing ----------------------------------


def _editable_project(request, project_id) -> ProjectPage:
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not project.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return project


def admin_results(request, project_id):
    """Admin screen per project: the compliance checklist, report versions, vaststellen and
    "Resultaten publiceren"."""
    project = _editable_project(request, project_id)
    last = ResultsPublication.objects.filter(project=project).order_by("-number").first()
    data = participation_for([project])[project.pk]
    return render(request, "projects/results/admin.html", {
        "project": project,
        "page_title": _("Resultaten: %(title)s") % {"title": project.title},
        "header_icon": "tasks",
        "compliance": project_compliance(project, data=data),
        "input_groups": data.input_groups(),
        "versions": ParticipationReport.objects.filter(project=project).select_related("vastgesteld_by"),
        "publications": ResultsPublication.objects.filter(project=project).order_by("-number")[:10],
        "last_number": last.number if last else 0,
        "recipients": len(reports.results_recipients(project)),
        "decisions": Decision.objects.filter(project=project).select_related("phase"),
        "goal": goal_summary(success_criterion_list(project)),
        "goal_opens_on": goal_assessment_opens_on(project),
        "today": timezone.localdate(),
    })


@require_POST
def admin_report_freeze(request, project_id):
    project = _editable_project(request, project_id)
    try:
        report = reports.report_freeze(project=project, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Versie %(version)d van het participatieverslag is vastgesteld.") % {"version": report.version})
    return redirect("projects_results_admin", project_id=project.pk)


def admin_goal(request, project_id):
    """ "Doel bereikt?": the contact person assesses each success criterion (from the start of
    the last phase). Permission, rules and the audit log are ``services.goal_assess``'s."""
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not can_manage_project(request.user, project):
        raise PermissionDenied
    criteria = success_criterion_list(project)
    opens_on = goal_assessment_opens_on(project)
    is_open = opens_on is not None and timezone.localdate() >= opens_on
    form = GoalAssessmentForm(criteria, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_open:
        try:
            services.goal_assess(project=project, user=request.user, assessments=form.assessments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De beoordeling van de succescriteria is opgeslagen. Het verslag laat haar zien."))
            return redirect("projects_results_admin", project_id=project.pk)
    elif request.method == "POST":
        return HttpResponseBadRequest(_("U kunt de succescriteria nog niet beoordelen."))
    return render(request, "projects/results/goal.html", {
        "project": project,
        "page_title": _("Doel bereikt? %(title)s") % {"title": project.title},
        "header_icon": "tasks",
        "criteria": criteria,
        "rows": form.rows(),
        "form": form,
        "opens_on": opens_on,
        "is_open": is_open,
    })


@require_POST
def admin_results_publish(request, project_id):
    project = _editable_project(request, project_id)
    try:
        expected = int(request.POST.get("expected_number", ""))
    except ValueError:
        expected = None
    message = request.POST.get("message", "")[:2000]
    try:
        publication = reports.results_publish(project=project, user=request.user, message=message, expected_number=expected)
    except reports.AlreadyPublished:
        messages.warning(request, _("De resultaten zijn net al gepubliceerd. Er is niemand twee keer gemaild."))
    else:
        messages.success(request, _("Publicatie %(number)d is gemaakt. Alle deelnemers die toestemming gaven, krijgen een e-mail.") % {
            "number": publication.number})
    return redirect("projects_results_admin", project_id=project.pk)
