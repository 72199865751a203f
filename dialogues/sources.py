"""Dialogues as a participation source for projects (see projects/sources.py)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.sources import Activity, Evaluation, InputItem, Participant, PersonalSection, Reach

from .models import (
    DialogueRoundPage,
    DialogueSession,
    Registration,
    RegistrationStatus,
    SessionOutcome,
    SessionStatus,
)
from .selectors import session_has_outcome, evaluation_summary, registration_list_for_user

INVITED_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                    RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)


def _sessions(project):
    return DialogueSession.objects.filter(round__in=DialogueRoundPage.objects.child_of(project))


class DialogueSource:
    key = "dialogues"
    label = _("Dialoogbijeenkomsten")

    def reach(self, project) -> Reach:
        rows = (
            Registration.objects.filter(session__in=_sessions(project), status__in=INVITED_STATUSES)
            .values("stakeholder_group", "status").annotate(n=Count("pk"))
        )
        invited, attended = Counter(), Counter()
        for row in rows:
            invited[row["stakeholder_group"]] += row["n"]
            if row["status"] == RegistrationStatus.ATTENDED:
                attended[row["stakeholder_group"]] += row["n"]
        return Reach(participants=sum(attended.values()), by_group=dict(attended), invited_by_group=dict(invited))

    def inputs(self, project) -> list[InputItem]:
        outcomes = (
            SessionOutcome.objects.filter(session__in=_sessions(project), published_at__isnull=False)
            .select_related("session__round").prefetch_related("agreements", "tagged_items__tag")
            .order_by("session__starts_at")
        )
        items = []
        for outcome in outcomes:
            session = outcome.session
            items.append(InputItem(
                source=self.key, kind="session", title=f"{session.round.title}: {session.title}",
                url=session.round.url or "", submitted_at=session.starts_at,
                status="gepubliceerd", status_label=str(_("Uitkomst gepubliceerd")),
                answer=outcome.summary, answered_at=outcome.published_at,
                themes=tuple(t.tag.name for t in outcome.tagged_items.all()),
                agreements=tuple(a.as_dict() for a in outcome.agreements.all()),
            ))
        return items

    def activities(self, project) -> list[Activity]:
        now = timezone.now()
        out = []
        for session in _sessions(project).select_related("outcome").order_by("starts_at"):
            outcome = getattr(session, "outcome", None) if session_has_outcome(session) else None
            out.append(Activity(
                source=self.key, kind="session", title=session.title, starts_at=session.starts_at, ends_at=session.ends_at,
                announced_at=session.registration_opens_at or session.announced_at,
                cancelled=session.status == SessionStatus.CANCELLED,
                held=session.status == SessionStatus.HELD or (session.status == SessionStatus.PLANNED and session.ends_at < now),
                outcome_published_at=outcome.published_at if outcome else None,
                evaluation_requested=session.evaluation_requested_at is not None,
            ))
        return out

    def evaluation(self, project) -> Evaluation:
        summary = evaluation_summary(_sessions(project))
        return Evaluation(responses=summary["responses"], averages=summary["averages"])

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

