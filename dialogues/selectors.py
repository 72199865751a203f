"""Reads for dialogues. Public reads return aggregates only; personal data only in the
``registration_*`` selectors meant for the admin and for the resident themself."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from projects import page_cache
from projects.selectors import live_public

from .cache_tags import SESSIONS, next_change, round_tag
from .models import (
    ACTIVE_STATUSES,
    Agreement,
    AgreementStatus,
    DialogueRoundPage,
    DialogueSession,
    Evaluation,
    OutcomeTag,
    Registration,
    RegistrationStatus,
    SessionStatus,
)


def session_get(session_id: int) -> DialogueSession:
    return DialogueSession.objects.select_related("round").get(pk=session_id)


def session_list_public(round_page: DialogueRoundPage) -> QuerySet[DialogueSession]:
    return (
        DialogueSession.objects.filter(round=round_page)
        .select_related("round")
        .annotate(waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)))
        .order_by("starts_at", "pk")
    )


def session_list_upcoming(*, limit: int = 6, project=None, now: datetime.datetime | None = None) -> list[DialogueSession]:
    """Planned sessions of live rounds that still take registrations and have free seats."""
    now = now or timezone.now()
    rounds = live_public(DialogueRoundPage.objects)
    if project is not None:
        rounds = rounds.child_of(project)
    planned = DialogueSession.objects.filter(round__in=rounds, status=SessionStatus.PLANNED, starts_at__gt=now)
    qs = (
        planned.filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
        .select_related("round").order_by("starts_at", "pk")
    )
    # A cached page with this list changes with any registration, and by itself when a shown
    # session starts or closes or a hidden one opens for registration.
    page_cache.depends_on(SESSIONS)
    page_cache.valid_until(lambda: next_change(
        planned.only("registration_opens_at", "registration_closes_at", "starts_at", "ends_at"), now))
    return [s for s in qs[: limit * 4] if s.seats_free > 0][:limit]


def session_change_recipient_count(session: DialogueSession) -> int:
    """How many people ``services.session_update`` emails when the time or place changes:
    everyone registered or waiting who left an address."""
    return session.registrations.filter(status__in=ACTIVE_STATUSES).exclude(email="").count()


def session_list_for_project(project) -> QuerySet[DialogueSession]:
    return DialogueSession.objects.filter(round__in=DialogueRoundPage.objects.child_of(project)).select_related("round")


def attendance_by_group(session: DialogueSession) -> dict[str, int]:
    rows = (
        Registration.objects.filter(session=session, status=RegistrationStatus.ATTENDED)
        .values("stakeholder_group").annotate(n=Count("pk")).order_by("stakeholder_group")
    )
    return {r["stakeholder_group"]: r["n"] for r in rows}


def evaluation_summary(sessions) -> dict:
    """Averages and the number of answers; never individual answers."""
    agg = Evaluation.objects.filter(session__in=sessions).aggregate(n=Count("pk"), heard=Avg("heard"), useful=Avg("useful"))
    if not agg["n"]:
        return {"responses": 0, "averages": {}}
    return {"responses": agg["n"], "averages": {"gehoord": round(agg["heard"], 1), "nuttig": round(agg["useful"], 1)}}


def round_detail_context(round_page: DialogueRoundPage) -> dict:
    """Everything the public round page shows: sessions with seats and waiting lists,
    published outcomes with agreements and anonymous quotes, evaluation averages."""
    sessions = list(
        session_list_public(round_page).prefetch_related(
            "outcome__quotes", "outcome__agreements", "outcome__tagged_items__tag",
        )
    )
    now = timezone.now()
    page_cache.depends_on(round_tag(round_page.pk))
    page_cache.valid_until(next_change(sessions, now))
    items = []
    for session in sessions:
        outcome = session.outcome if session_has_outcome(session) else None
        published = outcome if outcome is not None and outcome.published_at else None
        items.append({
            "session": session,
            "state": session.registration_state(now),
            "outcome": published,
            "attendance": attendance_by_group(session) if published else {},
            "evaluation": evaluation_summary([session]) if published else None,
        })
    return {
        "session_items": items,
        "round_evaluation": evaluation_summary(sessions),
        "has_outcomes": any(item["outcome"] for item in items),
        "open_agreements": Agreement.objects.filter(
            outcome__session__round=round_page, outcome__published_at__isnull=False,
        ).exclude(status__in=[AgreementStatus.DONE, AgreementStatus.LAPSED]).count(),
    }


# --- personal data (admin and the resident themself) --------------------------------------------

def registration_list(session: DialogueSession, *, search: str = "", status: str = "", group: str = "") -> QuerySet[Registration]:
    qs = Registration.objects.filter(session=session).order_by("status", "created_at", "pk")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(email__icontains=search) | Q(phone__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if group:
        qs = qs.filter(stakeholder_group=group)
    return qs


def registration_counts(session: DialogueSession) -> dict[str, int]:
    counts = Counter(Registration.objects.filter(session=session).values_list("status", flat=True))
    return {s.value: counts.get(s.value, 0) for s in RegistrationStatus}


def registration_list_for_user(user) -> QuerySet[Registration]:
    """The user's registrations: made while logged in, or with their (verified) address."""
    if not user.is_authenticated:
        return Registration.objects.none()
    cond = Q(user=user)
    if user.email:
        cond |= Q(email__iexact=user.email)
    return Registration.objects.filter(cond).select_related("session__round").order_by("-session__starts_at", "pk")


def registration_list_active_for_user(user) -> QuerySet[Registration]:
    return registration_list_for_user(user).filter(status__in=ACTIVE_STATUSES)


def session_has_outcome(session) -> bool:
    from .models import SessionOutcome

    try:
        session.outcome
    except SessionOutcome.DoesNotExist:
        return False
    return True


def evaluation_invitations(session: DialogueSession) -> QuerySet[Registration]:
    """Who was invited to evaluate the session, and when (for its organisers only)."""
    return (
        Registration.objects.filter(session=session, evaluation_sent_at__isnull=False)
        .order_by("evaluation_sent_at", "name", "pk").only("pk", "name", "email", "evaluation_sent_at")
    )


def evaluation_comments(session: DialogueSession) -> list[str]:
    """The open answers of a session, for its organisers only, never linked to a person."""
    return list(
        Evaluation.objects.filter(session=session).exclude(comment="").order_by("?").values_list("comment", flat=True)
    )


def outcome_list_published(*, project) -> list:
    """Published outcomes of a project's live rounds, with their agreements, oldest first."""
    from .models import SessionOutcome

    rounds = live_public(DialogueRoundPage.objects.child_of(project))
    return list(
        SessionOutcome.objects.filter(session__round__in=rounds, published_at__isnull=False)
        .select_related("session__round").prefetch_related("agreements").order_by("session__starts_at")
    )


def theme_names_public() -> list[str]:
    """The themes the public can read in dialogues, as the memory files them: the themes of
    live, public rounds and the tags of their published outcomes (of sessions not cancelled),
    sorted by name, one query. An unpublished outcome's tags stay unknown."""
    rounds = live_public(DialogueRoundPage.objects.all())
    tags = OutcomeTag.objects.filter(
        content_object__published_at__isnull=False, content_object__session__round__in=rounds,
    ).exclude(content_object__session__status=SessionStatus.CANCELLED).values_list("tag__name", flat=True).order_by()
    # No ORDER BY in either part: SQLite refuses one inside a UNION (pages' default ordering is "path").
    round_themes = rounds.exclude(theme="").values_list("theme", flat=True).order_by()
    names = {name.strip() for name in tags.union(round_themes) if name and name.strip()}
    return sorted(names, key=str.lower)
