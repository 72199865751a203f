"""Dialogues as a participation source for projects (see projects/sources.py)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.sources import (
    Activity, BulkSource, ActivityCategory, Commitment, CommitmentStatus, Evaluation, InputItem, MemoryDocument, Participant,
    PersonalSection, Reach, SignalCount, UnknownCommitment, period_filters, period_counts,
)

from .models import (
    Agreement,
    DialogueRoundPage,
    DialogueSession,
    Evaluation as EvaluationAnswer,
    OutcomeTag,
    Registration,
    RegistrationStatus,
    SessionOutcome,
    SessionStatus,
)
from .selectors import registration_list_for_user, session_has_outcome, theme_names_public
from .services.agreements import agreement_update
from .services.outcomes import outcome_memory_key

INVITED_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                    RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)


def _sessions(project):
    return DialogueSession.objects.filter(round__in=DialogueRoundPage.objects.child_of(project))


def _round_projects(projects) -> dict[int, int]:
    """{round page pk: project pk} for the rounds directly under ``projects``, in one query
    (a round's tree path starts with its project's path)."""
    by_path = {p.path: p.pk for p in projects}
    if not by_path:
        return {}
    depths = {p.depth + 1 for p in projects}
    query = Q()
    for path in by_path:
        query |= Q(path__startswith=path)
    steplen = DialogueRoundPage.steplen
    return {
        pk: by_path[path[:-steplen]]
        for pk, path in DialogueRoundPage.objects.filter(query, depth__in=depths).values_list("pk", "path")
        if path[:-steplen] in by_path
    }


class DialogueSource(BulkSource):
    key = "dialogues"
    label = _("Dialoogbijeenkomsten")
    # The memory: rounds and published outcomes (see memory_documents at the end of this module).
    memory_kinds = {"round": _("Dialoogronde"), "outcome": _("Uitkomst van een bijeenkomst")}

    def memory_documents(self, keys=None):
        return memory_documents(keys)

    # The bulk versions answer for a list of projects in a fixed number of queries
    # (projects.sources.participation_for, the council overview); BulkSource asks them per project.

    def reach_many(self, projects) -> dict[int, Reach]:
        rounds = _round_projects(projects)
        invited = {p.pk: Counter() for p in projects}
        attended = {p.pk: Counter() for p in projects}
        rows = (
            Registration.objects.filter(session__round_id__in=rounds, status__in=INVITED_STATUSES)
            .values("session__round_id", "stakeholder_group", "status").annotate(n=Count("pk")).order_by()
        )
        for row in rows:
            project_pk = rounds[row["session__round_id"]]
            invited[project_pk][row["stakeholder_group"]] += row["n"]
            if row["status"] == RegistrationStatus.ATTENDED:
                attended[project_pk][row["stakeholder_group"]] += row["n"]
        return {
            pk: Reach(participants=sum(attended[pk].values()), by_group=dict(attended[pk]), invited_by_group=dict(invited[pk]))
            for pk in invited
        }

    def inputs_many(self, projects) -> dict[int, list[InputItem]]:
        rounds = _round_projects(projects)
        result: dict[int, list[InputItem]] = {p.pk: [] for p in projects}
        outcomes = (
            SessionOutcome.objects.filter(session__round_id__in=rounds, published_at__isnull=False)
            .select_related("session__round").prefetch_related("agreements", "tagged_items__tag")
            .order_by("session__starts_at", "pk")
        )
        for outcome in outcomes:
            session = outcome.session
            result[rounds[session.round_id]].append(InputItem(
                source=self.key, kind="session", title=f"{session.round.title}: {session.title}",
                kind_label=str(_("Uitkomst van een bijeenkomst")),
                url=session.round.url or "", submitted_at=session.starts_at,
                status="gepubliceerd", status_label=str(_("Uitkomst gepubliceerd")),
                answer=outcome.summary, answered_at=outcome.published_at,
                themes=tuple(t.tag.name for t in outcome.tagged_items.all()),
                agreements=tuple(a.as_dict() for a in outcome.agreements.all()),
            ))
        return result

    def activities_many(self, projects) -> dict[int, list[Activity]]:
        rounds = _round_projects(projects)
        result: dict[int, list[Activity]] = {p.pk: [] for p in projects}
        now = timezone.now()
        sessions = DialogueSession.objects.filter(round_id__in=rounds).select_related("outcome").order_by("starts_at", "pk")
        for session in sessions:
            outcome = session.outcome if session_has_outcome(session) else None
            result[rounds[session.round_id]].append(Activity(
                source=self.key, kind="session", title=session.title, starts_at=session.starts_at, ends_at=session.ends_at,
                label=str(_("Bijeenkomst")), category=ActivityCategory.MEETING,
                announced_at=session.registration_opens_at or session.announced_at,
                cancelled=session.status == SessionStatus.CANCELLED,
                held=session.status == SessionStatus.HELD or (session.status == SessionStatus.PLANNED and session.ends_at < now),
                outcome_published_at=outcome.published_at if outcome else None,
                evaluation_requested=session.evaluation_requested_at is not None,
            ))
        return result

    def evaluation_many(self, projects) -> dict[int, Evaluation]:
        rounds = _round_projects(projects)
        totals = {p.pk: [0, 0, 0] for p in projects}  # responses, sum heard, sum useful
        rows = (
            EvaluationAnswer.objects.filter(session__round_id__in=rounds)
            .values("session__round_id").annotate(n=Count("pk"), heard=Sum("heard"), useful=Sum("useful")).order_by()
        )
        for row in rows:
            total = totals[rounds[row["session__round_id"]]]
            total[0] += row["n"]
            total[1] += row["heard"]
            total[2] += row["useful"]
        return {
            pk: Evaluation(responses=n, averages={"gehoord": round(heard / n, 1), "nuttig": round(useful / n, 1)})
            if n else Evaluation()
            for pk, (n, heard, useful) in totals.items()
        }

    def project_has_records(self, project) -> bool:
        return _sessions(project).exists()

    def participant_contacts(self, project) -> list[Participant]:
        seen, out = set(), []
        for name, email in (
            Registration.objects.filter(session__in=_sessions(project), contact_consent=True,
                                        status__in=(RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED))
            .exclude(email="").values_list("name", "email").order_by("pk")
        ):
            if email.lower() not in seen:
                seen.add(email.lower())
                out.append(Participant(email=email, name=name))
        return out

    def personal_sections(self, user) -> list[PersonalSection]:
        registrations = list(registration_list_for_user(user))
        if not registrations:
            return []
        now = timezone.now()
        return [PersonalSection(
            key=self.key, title=str(_("Mijn aanmeldingen voor bijeenkomsten")), template="dialogues/my_registrations.html",
            context={"registrations": registrations, "now": now}, order=10,
        )]

    def personal_data(self, user) -> dict:
        return {"registrations": [
            {
                "bijeenkomst": str(r.session.title), "ronde": r.session.round.title,
                "begint": r.session.starts_at.isoformat(), "naam": r.name, "email": r.email, "telefoon": r.phone,
                "groep": r.stakeholder_group, "ondersteuning": r.needs_labels(), "hoe": r.attendance_mode,
                "status": r.status, "aangemeld_op": r.created_at.isoformat(),
                "toestemming_terugkoppeling": r.contact_consent,
            }
            for r in registration_list_for_user(user)
        ]}

    def personal_data_delete(self, user) -> None:
        from . import services

        now = timezone.now()
        for registration in registration_list_for_user(user).filter(
            status__in=(RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
            session__starts_at__gt=now,
        ):
            services.registration_cancel(registration_id=registration.pk, now=now)
        services.registrations_anonymise(registration_list_for_user(user), now=now)


    # --- accountability (projects.sources: commitments) -------------------------------------

    commitment_kinds = {"agreement": _("Afspraak uit een bijeenkomst")}

    def commitments_many(self, projects, *, include_private: bool = False) -> dict[int, list[Commitment]]:
        """Every agreement of every session outcome under ``projects``, in two queries.
        Public once its outcome is published; unpublished ones only with ``include_private``."""
        rounds = _round_projects(projects)
        result: dict[int, list[Commitment]] = {p.pk: [] for p in projects}
        agreements = Agreement.objects.filter(outcome__session__round_id__in=rounds).select_related(
            "outcome__session__round",
        ).order_by("due_date", "pk")
        if not include_private:
            agreements = agreements.filter(outcome__published_at__isnull=False)
        kind_label = str(self.commitment_kinds["agreement"])
        for agreement in agreements:
            session = agreement.outcome.session
            public = agreement.outcome.published_at is not None
            result[rounds[session.round_id]].append(Commitment(
                source=self.key, key=f"agreement:{agreement.pk}", kind="agreement", kind_label=kind_label,
                title=agreement.what, who=agreement.who, due_date=agreement.due_date,
                status=agreement.status, status_label=str(CommitmentStatus(agreement.status).label),
                progress=agreement.progress_note, public=public,
                public_url=(session.round.url or "") if public else "",
                updated_at=agreement.updated_at, context=f"{session.round.title}: {session.title}",
                admin_url=reverse("dialogues_admin:outcome_edit", args=[session.pk]),
            ))
        return result

    def commitment_update(self, key: str, *, status: str, progress: str, by, who=None, due_date=None) -> Commitment:
        try:
            agreement = agreement_update(agreement_id=int(key.split(":", 1)[1]), status=status, progress=progress, by=by,
                                         who=who, due_date=due_date)
        except Agreement.DoesNotExist:
            raise UnknownCommitment(key) from None
        return Commitment(
            source=self.key, key=key, kind="agreement", kind_label=str(self.commitment_kinds["agreement"]),
            title=agreement.what, who=agreement.who, due_date=agreement.due_date, status=agreement.status,
            status_label=str(CommitmentStatus(agreement.status).label), progress=agreement.progress_note,
            updated_at=agreement.updated_at,
        )

    # --- what lives (projects.sources: signals, themes) -----------------------------------------

    # Session themes are tags the facilitator types: listed after the themes geo keeps, so they
    # never reorder or respell those (projects.sources.themes).
    themes_are_tags = True

    def themes(self) -> list[str]:
        return theme_names_public()

    def signal_counts(self, *, since, until) -> list[SignalCount]:
        return self.signal_counts_periods([(since, until)])[0]

    def signal_counts_periods(self, periods) -> list[list[SignalCount]]:
        """The themes (tags) of published session outcomes, by the day the session was held,
        in one query for all ``periods``. A session has no wijk of its own (it may be online,
        or for the whole municipality), so its themes count for the municipality as a whole
        (area "")."""
        span, each = period_filters("content_object__session__starts_at", periods)
        rows = list(
            OutcomeTag.objects.filter(span, content_object__published_at__isnull=False)
            .values("tag__name").annotate(**period_counts(each)).order_by()
        )
        label = str(_("Thema's uit bijeenkomsten"))
        return [
            [SignalCount(source=self.key, kind="session", kind_label=label, theme=row["tag__name"], area="", count=row[f"n{i}"])
             for row in rows if row[f"n{i}"]]
            for i in range(len(periods))
        ]

# --- the memory (projects.sources: memory_documents) ------------------------------------------


def _memory_ids(keys, kind: str) -> list[int]:
    prefix = f"{kind}:"
    return [int(k[len(prefix):]) for k in keys if k.startswith(prefix) and k[len(prefix):].isdigit()]


def memory_documents(keys=None):
    """Live, public rounds (the page offers its document) and the published outcomes of their
    sessions: summary, the phases' notes, themes, anonymous quotes and agreements."""
    rounds = DialogueRoundPage.objects.live().public()
    round_ids = None if keys is None else _memory_ids(keys, "round")
    if round_ids is None or round_ids:
        chosen = rounds if round_ids is None else rounds.filter(pk__in=round_ids)
        for page in chosen.order_by("pk"):
            yield page.memory_document()
    outcome_ids = None if keys is None else _memory_ids(keys, "outcome")
    if outcome_ids is not None and not outcome_ids:
        return
    outcomes = (
        SessionOutcome.objects.filter(published_at__isnull=False, session__round__in=rounds)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__round").prefetch_related("quotes", "agreements", "tagged_items__tag").order_by("pk")
    )
    if outcome_ids is not None:
        outcomes = outcomes.filter(pk__in=outcome_ids)
    outcomes = list(outcomes)
    projects = _projects_of_rounds({o.session.round for o in outcomes})
    for outcome in outcomes:
        session, page = outcome.session, outcome.session.round
        parts = [outcome.summary]
        parts += [f"{note['label']}: {note['notes']}" for note in outcome.phase_notes()]
        parts += [f"“{q.text}”" for q in outcome.quotes.all()]
        parts += [f"{a.what} ({a.who})" if a.who else a.what for a in outcome.agreements.all()]
        yield MemoryDocument(
            key=outcome_memory_key(outcome.pk), kind="outcome", title=f"{page.title}: {session.title}",
            body="\n".join(p for p in parts if p), url=f"{page.url or ''}#outcome-{session.pk}",
            date=timezone.localdate(session.starts_at), project_id=projects.get(page.pk),
            themes=tuple(t.tag.name for t in outcome.tagged_items.all()),
        )


def _projects_of_rounds(rounds) -> dict[int, int]:
    """{round pk: project pk}, in one query (a round sits directly under its project)."""
    from projects.models import ProjectPage

    steplen = DialogueRoundPage.steplen
    paths = {r.path[:-steplen]: r.pk for r in rounds}
    return {paths[path]: pk for pk, path in ProjectPage.objects.filter(path__in=paths).values_list("pk", "path")}

