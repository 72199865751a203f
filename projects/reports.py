"""The participation report (participatieverslag), the results page and the open figures.

``report_build`` turns a project and what its participation sources report into one plain,
JSON-serialisable dict; the HTML page, the PDF, the frozen versions, the council view and the
open data all render that dict, so they always show the same numbers. Writes about results
(``report_freeze``, ``results_publish``) live here too: one home for publishing results.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rq import Retry
from wagtail.log_actions import log

from . import page_cache
from .conf import absolute_url
from .dates import format_date
from .jobs import enqueue
from .mail import mail_send
from .models import (
    PLAN_QUESTIONS,
    Decision,
    LadderLevel,
    ParticipationPolicy,
    ParticipationReport,
    PhaseKind,
    ProjectFollow,
    ProjectPage,
    ResultsPublication,
)
from .policy import compliance_evaluate, compliance_summary, goal_unassessed, policy_for
from .selectors import goal_summary, phase_current, success_criterion_list
from .sources import ProjectParticipation, activity_label, all_sources, item_label, memory_changed, participation_for

# The report lists at most this many answered inputs per kind; the results page lists all.
REPORT_ITEMS_MAX = 100
# Above this many inputs the PDF of the current report is rendered by a worker, not in a request.
LIVE_PDF_INLINE_MAX = 500


def _date(value) -> str:
    return format_date(value)


def _counts(counter: Counter) -> list[dict]:
    return [{"name": name, "count": count} for name, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _item(item) -> dict:
    return {
        "kind": item.kind,
        "kind_label": item_label(item),
        "awaits_answer": item.awaits_answer,
        "title": item.title,
        "url": item.url,
        "date": _date(item.submitted_at),
        "status": item.status,
        "status_label": item.status_label or item.status,
        "answer": item.answer,
        "answered": _date(item.answered_at),
        "area": item.area,
        "themes": list(item.themes),
        "supporters": item.supporters,
        "agreements": [
            # A source may give "due" as a date: written for people here, like every date in the report.
            {k: (format_date(v) if isinstance(v, datetime.date) else str(v) if v is not None else "")
             for k, v in agreement.items()}
            for agreement in item.agreements
        ],
    }


def report_build(
    project: ProjectPage,
    *,
    data: ProjectParticipation | None = None,
    policy: ParticipationPolicy | None = None,
    now=None,
    decisions=None,
    report_dates=None,
) -> dict:
    """The participation report of ``project`` as plain data (no names, no emails).

    Issues a fixed number of queries plus what the sources need; callers that already
    gathered ``data``, ``decisions`` or ``report_dates`` (the council view) pass them in.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if data is None:
        data = participation_for([project])[project.pk]
    policy = policy or policy_for(project)
    phases = sorted(project.phases.all(), key=lambda p: (p.sort_order or 0, p.pk or 0))
    current = phase_current(phases, today)
    groups = list(project.stakeholder_groups.all())
    if decisions is None:
        decisions = list(Decision.objects.filter(project=project, published=True).select_related("phase"))
    if report_dates is None:
        report_dates = [
            timezone.localtime(at).date()
            for at in ParticipationReport.objects.filter(project=project).values_list("vastgesteld_at", flat=True)
        ]

    # Who was involved: planned groups first, then any other group the sources saw.
    invited, reached, areas = Counter(), Counter(), Counter()
    sources = []
    labels = {s.key: str(s.label) for s in all_sources()}
    for key, reach in data.reach.items():
        invited.update(reach.invited_by_group)
        reached.update(reach.by_group)
        areas.update(reach.by_area)
        sources.append({"key": key, "label": labels.get(key, key), "participants": reach.participants})
    group_rows = []
    seen = set()
    for group in groups:
        key = group.name.strip().lower()
        seen.add(key)
        inv = sum(c for n, c in invited.items() if n.strip().lower() == key)
        rea = sum(c for n, c in reached.items() if n.strip().lower() == key)
        group_rows.append({"name": group.name, "planned": True, "invited": inv, "reached": rea})
    for name in sorted(set(invited) | set(reached)):
        if name.strip().lower() not in seen:
            seen.add(name.strip().lower())
            group_rows.append({"name": name, "planned": False, "invited": invited[name], "reached": reached[name]})

    # What came out: inputs that await an answer, and outcomes of activities (the split is the protocol's).
    outcomes = data.outcome_inputs
    others = data.answerable_inputs
    themes = Counter(t for i in data.inputs for t in i.themes)
    other_status = Counter(i.status_label or i.status or _("onbekend") for i in others)
    other_area = Counter(i.area or _("onbekend") for i in others)
    other_theme = Counter(t for i in others for t in i.themes)
    answered = [i for i in others if i.answer]
    answered.sort(key=lambda i: (-i.supporters, i.title))
    agreements = [a for i in data.inputs for a in i.agreements]
    agreement_status = Counter(str(a.get("status_label") or a.get("status") or _("onbekend")) for a in agreements)

    held = [a for a in data.activities if a.held or (not a.cancelled and a.ends_at <= now)]
    evaluations = []
    responses = 0
    for key, evaluation in data.evaluation.items():
        responses += evaluation.responses
        for name, score in evaluation.averages.items():
            evaluations.append({"source": labels.get(key, key), "name": name, "score": round(float(score), 1),
                                "responses": evaluation.responses})

    compliance = compliance_evaluate(project, policy=policy, data=data, report_dates=report_dates, now=now)
    criteria = success_criterion_list(project)
    ladder = LadderLevel(project.ladder_level) if project.ladder_level in LadderLevel.values else None

    return {
        "project": {
            "id": project.pk,
            "title": project.title,
            "summary": project.summary,
            "url": project.url or "",
            "ladder_level": project.ladder_level,
            "ladder_label": str(ladder.label) if ladder else "",
            "ladder_explanation": str(project.ladder_explanation),
            "influence_can": project.influence_can,
            "influence_cannot": project.influence_cannot,
            "no_participation_reason": project.no_participation_reason,
            "mandatory": project.participation_mandatory,
            "mandatory_category": project.mandatory_category,
            "end_result": project.end_result,
        },
        "goal": goal_report(criteria),
        "generated_at": now.isoformat(),
        "generated_on": _date(now),
        "phases": [
            {"kind": p.kind, "kind_label": str(PhaseKind(p.kind).label) if p.kind in PhaseKind.values else p.kind,
             "title": p.title, "start": _date(p.start_date), "end": _date(p.end_date),
             "current": p is current}
            for p in phases
        ],
        "current_phase": current.title if current else "",
        "plan": [{"question": str(label), "answer": getattr(project, name)} for name, label in PLAN_QUESTIONS],
        "has_participation": data.has_participation,
        "sources": sources,
        "participants": data.participants,
        "groups": group_rows,
        "areas": _counts(areas),
        "activities": {
            "total": len(data.activities),
            "held": len(held),
            "cancelled": sum(1 for a in data.activities if a.cancelled),
        },
        "methods": [
            {"name": labels.get(key, key),
             "activities": sum(1 for a in data.activities if a.source == key),
             "inputs": sum(1 for i in others if i.source == key),
             "parts": _method_parts(data, key)}
            for key in data.reach
            if any(a.source == key for a in data.activities) or any(i.source == key for i in data.inputs)
        ],
        "input_kinds": [
            {"source": g.source, "source_label": labels.get(g.source, g.source), "kind": g.kind,
             "kind_label": g.kind_label, "awaits_answer": g.awaits_answer, "total": g.total, "answered": g.answered}
            for g in data.input_groups()
        ],
        "outcomes": [_item(i) for i in sorted(outcomes, key=lambda i: (i.submitted_at is None, i.submitted_at or now))],
        "themes": _counts(themes),
        "inputs": {
            "total": len(others),
            "answered": len(answered),
            "by_status": _counts(other_status),
            "by_area": _counts(other_area),
            "by_theme": _counts(other_theme),
            "items": [_item(i) for i in answered[:REPORT_ITEMS_MAX]],
            "items_more": max(0, len(answered) - REPORT_ITEMS_MAX),
        },
        "decisions": [
            {"title": d.title, "date": _date(d.decided_on), "phase": d.phase.title if d.phase else "", "reasoning": d.reasoning}
            for d in decisions
        ],
        "agreements": {
            "total": len(agreements),
            "by_status": _counts(agreement_status),
        },
        "evaluation": {"responses": responses, "scores": evaluations},
        "compliance": [r.as_dict() for r in compliance],
        "compliance_summary": compliance_summary(compliance),
    }


def _method_parts(data: ProjectParticipation, source_key: str) -> list[dict]:
    """What one source brought, in its own words: activities and inputs per kind."""
    parts: Counter = Counter()
    for activity in data.activities:
        if activity.source == source_key:
            parts[activity_label(activity)] += 1
    for group in data.input_groups():
        if group.source == source_key:
            parts[group.kind_label] += group.total
    return [{"label": label, "count": count} for label, count in parts.items()]


def goal_report(criteria) -> dict:
    """ "Doel bereikt?" for the report: each criterion with its assessment, and the summary."""
    rows = []
    for criterion in criteria:
        assessment = criterion.current_assessment
        rows.append({
            "text": criterion.text,
            "outcome": assessment.outcome if assessment else "",
            "outcome_label": assessment.get_outcome_display() if assessment else _("Nog niet beoordeeld"),
            "explanation": assessment.explanation if assessment else "",
            "assessed_on": _date(assessment.assessed_at) if assessment else "",
        })
    return {"criteria": rows, **goal_summary(criteria)}


# --- rendering ----------------------------------------------------------------------------


def report_render_html(report: dict, *, version: dict | None = None) -> str:
    """The report's body as HTML (no page furniture): used on the page, in frozen versions and the PDF."""
    return render_to_string("projects/report/document.html", {"report": report, "version": version})


def report_render_pdf(body_html: str, *, title: str) -> bytes:
    """Render report HTML to PDF with WeasyPrint (imported here: the site runs without its system libraries)."""
    import weasyprint

    document = render_to_string("projects/report/pdf.html", {"body": body_html, "title": title})
    # PDF/UA-1: a tagged PDF (headings, tables with their headers, reading order) with the
    # document's language and title, so a screen reader can read the report as it reads the page.
    return weasyprint.HTML(string=document, base_url=absolute_url("/")).write_pdf(pdf_variant="pdf/ua-1")


def _live_pdf_name(project_id: int, body_html: str) -> str:
    digest = hashlib.sha256(body_html.encode()).hexdigest()[:20]
    return f"participatieverslagen/{project_id}/actueel-{digest}.pdf"


def _live_pdf_read(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            pdf = handle.read()
    except FileNotFoundError:  # another server's newer report removed it just now
        return None
    # Several app servers share this storage. On a shared disk another one may still be writing
    # the file (FileSystemStorage writes in place; S3 uploads are atomic): a PDF ends with %%EOF,
    # so a partial one counts as missing and this request renders its own.
    return pdf if pdf.rstrip().endswith(b"%%EOF") else None


def _live_pdf_store(project_id: int, name: str, pdf: bytes) -> None:
    """Keep one rendered PDF of the current report per project (older ones are stale)."""
    directory = f"participatieverslagen/{project_id}"
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, OSError):
        files = []
    for filename in files:
        path = f"{directory}/{filename}"
        if filename.startswith("actueel-") and path != name:
            default_storage.delete(path)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))


def report_live_pdf(project: ProjectPage) -> bytes | None:
    """The current report as a PDF, or None while a worker renders it.

    A rendered PDF is kept under a hash of its HTML, so it is reused until the report changes.
    Small projects are rendered in the request; large ones by a job (``report_live_pdf_render``).
    """
    report = report_build(project)
    body = report_render_html(report)
    name = _live_pdf_name(project.pk, body)
    pdf = _live_pdf_read(name)
    if pdf is not None:
        return pdf
    if report["inputs"]["total"] + len(report["outcomes"]) <= LIVE_PDF_INLINE_MAX:
        pdf = report_render_pdf(body, title=project.title)
        _live_pdf_store(project.pk, name, pdf)
        return pdf
    enqueue(report_live_pdf_render, project.pk)
    return _live_pdf_read(name)  # without Redis the job has just run in-process


def report_live_pdf_render(project_id: int) -> None:
    """Job: render the current report of a (large) project as a PDF and keep it."""
    project = ProjectPage.objects.filter(pk=project_id).first()
    if project is None:
        return
    body = report_render_html(report_build(project))
    name = _live_pdf_name(project.pk, body)
    if not default_storage.exists(name):
        _live_pdf_store(project.pk, name, report_render_pdf(body, title=project.title))


# --- open data ------------------------------------------------------------------------------


def report_figures(report: dict) -> dict:
    """The aggregate, publishable figures of a report (open data): no texts, no names."""
    return {
        "project": {"id": report["project"]["id"], "title": report["project"]["title"],
                    "ladder_level": report["project"]["ladder_level"]},
        "generated_at": report["generated_at"],
        "current_phase": report["current_phase"],
        "participants": report["participants"],
        "participants_by_source": {s["key"]: s["participants"] for s in report["sources"]},
        "groups": [{"name": g["name"], "planned": g["planned"], "invited": g["invited"], "reached": g["reached"]}
                   for g in report["groups"]],
        "areas": {a["name"]: a["count"] for a in report["areas"]},
        "activities": {k: report["activities"][k] for k in ("total", "held", "cancelled")},
        "inputs": {
            "total": report["inputs"]["total"],
            "answered": report["inputs"]["answered"],
            "by_status": {r["name"]: r["count"] for r in report["inputs"]["by_status"]},
            "by_area": {r["name"]: r["count"] for r in report["inputs"]["by_area"]},
            "by_theme": {r["name"]: r["count"] for r in report["inputs"]["by_theme"]},
        },
        "themes": {r["name"]: r["count"] for r in report["themes"]},
        "agreements": {"total": report["agreements"]["total"],
                       "by_status": {r["name"]: r["count"] for r in report["agreements"]["by_status"]}},
        "decisions": len(report["decisions"]),
        "evaluation": {"responses": report["evaluation"]["responses"],
                       "scores": {f'{s["source"]}: {s["name"]}': s["score"] for s in report["evaluation"]["scores"]}},
        "compliance": {r["key"]: r["status"] for r in report["compliance"]},
    }


def figures_csv(figures: dict) -> str:
    """The figures as long-format CSV: one row per (section, name, value)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["project_id", "section", "name", "value"])
    pid = figures["project"]["id"]

    def row(section, name, value):
        writer.writerow([pid, section, name, value])

    row("project", "title", figures["project"]["title"])
    row("project", "ladder_level", figures["project"]["ladder_level"])
    row("project", "current_phase", figures["current_phase"])
    row("participants", "total", figures["participants"])
    for key, count in figures["participants_by_source"].items():
        row("participants_by_source", key, count)
    for group in figures["groups"]:
        row("group_invited", group["name"], group["invited"])
        row("group_reached", group["name"], group["reached"])
    for name, count in figures["areas"].items():
        row("area", name, count)
    for key, count in figures["activities"].items():
        row("activities", key, count)
    row("inputs", "total", figures["inputs"]["total"])
    row("inputs", "answered", figures["inputs"]["answered"])
    for section in ("by_status", "by_area", "by_theme"):
        for name, count in figures["inputs"][section].items():
            row(f"inputs_{section}", name, count)
    for name, count in figures["themes"].items():
        row("theme", name, count)
    row("agreements", "total", figures["agreements"]["total"])
    for name, count in figures["agreements"]["by_status"].items():
        row("agreements_by_status", name, count)
    row("decisions", "total", figures["decisions"])
    row("evaluation", "responses", figures["evaluation"]["responses"])
    for name, score in figures["evaluation"]["scores"].items():
        row("evaluation_score", name, score)
    for key, status in figures["compliance"].items():
        row("compliance", key, status)
    return out.getvalue()


# --- writes: vaststellen and publishing results ----------------------------------------------


@transaction.atomic
def report_freeze(*, project: ProjectPage, user=None) -> ParticipationReport:
    """Vaststellen: freeze the current report as the project's next version.

    Refused (``ValidationError``, in Dutch) while the policy asks for "Doel bereikt?" first and
    a success criterion is unassessed (``policy.goal_unassessed``).

    The project row is locked so two editors clicking at once get versions n and n+1, never
    a clash; the unique constraint (project, version) guards the rest. The PDF is rendered
    by a job after commit (in-process without Redis).
    """
    ProjectPage.objects.select_for_update().filter(pk=project.pk).first()
    unassessed = goal_unassessed(project, policy_for(project))
    if unassessed:
        raise ValidationError(ngettext(
            "Het verslag kan nog niet worden vastgesteld: %(count)d succescriterium is nog niet beoordeeld. "
            "Het beleid vraagt dat eerst. Beoordeel het bij “Doel bereikt?”.",
            "Het verslag kan nog niet worden vastgesteld: %(count)d succescriteria zijn nog niet beoordeeld. "
            "Het beleid vraagt dat eerst. Beoordeel ze bij “Doel bereikt?”.",
            len(unassessed)) % {"count": len(unassessed)})
    version = (ParticipationReport.objects.filter(project=project).aggregate(m=Max("version"))["m"] or 0) + 1
    now = timezone.now()
    data = report_build(project, now=now)
    meta = {"number": version, "date": _date(now)}
    report = ParticipationReport(
        project=project, version=version, data=data, html=report_render_html(data, version=meta),
        vastgesteld_at=now, vastgesteld_by=user if user is not None and user.is_authenticated else None,
    )
    report.full_clean(exclude=["pdf"])
    report.save()
    log(instance=project, action="projects.report_freeze", user=report.vastgesteld_by, data={"version": version})
    memory_changed([f"report:{report.pk}"])  # an adopted report is in the search
    enqueue(report_pdf_render, report.pk, retry=Retry(max=3, interval=[60, 300, 900]))
    return report


def report_pdf_render(report_id: int) -> None:
    """Job: render a frozen report's PDF once, from its frozen HTML."""
    report = ParticipationReport.objects.select_related("project").filter(pk=report_id).first()
    if report is None or report.pdf:
        return
    pdf = report_render_pdf(report.html, title=_("%(title)s, versie %(number)s") % {"title": report.data["project"]["title"], "number": report.version})
    report.pdf.save(f"verslag-{report.project_id}-v{report.version}.pdf", ContentFile(pdf), save=False)
    if ParticipationReport.objects.filter(pk=report.pk, pdf="").update(pdf=report.pdf.name):
        page_cache.changed(page_cache.project_tag(report.project_id))  # the report page links the PDF


def results_recipients(project: ProjectPage) -> list[str]:
    """Everyone to tell about published results: consenting participants from every source and
    the project's followers, deduplicated by lower-cased email."""
    emails: dict[str, str] = {}
    for source in all_sources():
        for participant in source.participant_contacts(project):
            if participant.email:
                emails.setdefault(participant.email.strip().lower(), participant.email.strip())
    User = get_user_model()
    follower_ids = ProjectFollow.objects.filter(project=project).values("user_id")
    for email in User.objects.filter(pk__in=follower_ids, is_active=True).exclude(email="").values_list("email", flat=True):
        emails.setdefault(email.strip().lower(), email.strip())
    return sorted(emails.values(), key=str.lower)


class AlreadyPublished(Exception):
    """The results were published in the meantime (a second click, another editor)."""


@transaction.atomic
def results_publish(*, project: ProjectPage, user=None, message: str = "", expected_number: int | None = None) -> ResultsPublication:
    """Publish the project's results: record a publication; a job then emails every consenting
    participant and follower once, with a link to "Wat is er met uw inbreng gedaan".

    ``expected_number`` is the number of the last publication the editor saw; if another
    publication happened since (a double click, a second editor), ``AlreadyPublished`` is
    raised and no one is emailed twice.
    """
    ProjectPage.objects.select_for_update().filter(pk=project.pk).first()
    last = ResultsPublication.objects.filter(project=project).aggregate(m=Max("number"))["m"] or 0
    if expected_number is not None and expected_number != last:
        raise AlreadyPublished
    publication = ResultsPublication.objects.create(
        project=project, number=last + 1, message=message.strip(),
        published_by=user if user is not None and user.is_authenticated else None,
    )
    # The job mails the same list (deduplicated addresses); counted here so the history says
    # how many were told, without any address in the log.
    log(instance=project, action="projects.results_publish", user=publication.published_by,
        data={"number": publication.number, "recipients": len(results_recipients(project))})
    enqueue(results_publication_mail, publication.pk)
    return publication


def results_publication_mail(publication_id: int) -> int:
    """Job: email everyone about one publication, exactly once. The emails are stored in the
    outbox in the same transaction that marks the publication as mailed, so a retry or a
    second worker finds nothing left to do. Returns the number of emails queued."""
    with transaction.atomic():
        publication = (
            ResultsPublication.objects.select_for_update()
            .filter(pk=publication_id, mailed_at__isnull=True).select_related("project").first()
        )
        if publication is None:
            return 0
        project = publication.project.specific
        recipients = results_recipients(project)
        results_url = absolute_url(reverse("projects:results", args=[project.pk]))
        for email in recipients:
            mail_send(
                to=email,
                template="projects/results/email/results_published",
                context={"project": project, "results_url": results_url, "message": publication.message},
            )
        publication.recipients = len(recipients)
        publication.mailed_at = timezone.now()
        publication.save(update_fields=["recipients", "mailed_at"])
    return len(recipients)
