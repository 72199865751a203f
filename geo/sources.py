"""Initiatives as a participation source for projects (see projects/sources.py)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from django.urls import reverse

from projects.sources import (
    Commitment, CommitmentStatus, Evaluation, InputItem, Participant, PersonalSection, Reach, UnknownCommitment,
)

from .execution import ADOPTED_STATUSES, initiative_execution_update
from .models import Initiative, Moderation, Report, Status, Support
from .reactions import reactions_of_user
from .selectors import moderation_scope
from .services import user_can_moderate

RESIDENT_GROUP = "Bewoner"


class InitiativeSource:
    key = "initiatives"
    label = _("Initiatieven")

    def reach(self, project) -> Reach:
        return self.reach_many([project])[project.pk]

    def inputs(self, project) -> list[InputItem]:
        return self.inputs_many([project])[project.pk]

    def activities(self, project) -> list:
        return []

    def evaluation(self, project) -> Evaluation:
        return Evaluation()

    # Bulk versions (see projects.sources.participation_for): a fixed number of queries
    # however many projects an overview shows.

    def reach_many(self, projects) -> dict[int, Reach]:
        """Unique people per project who submitted or supported a public initiative;
        each person counts once, in the area of the first initiative they took part in."""
        ids = [p.pk for p in projects]
        first_area: dict[int, dict[int, str]] = {pk: {} for pk in ids}
        submitted = (
            Initiative.objects.filter(project_id__in=ids, moderation=Moderation.PUBLISHED, submitter__isnull=False)
            .order_by("created_at", "pk").values_list("project_id", "submitter_id", "area__name")
        )
        supported = (
            Support.objects.filter(initiative__project_id__in=ids, initiative__moderation=Moderation.PUBLISHED, user__isnull=False)
            .order_by("created_at", "pk").values_list("initiative__project_id", "user_id", "initiative__area__name")
        )
        for rows in (submitted, supported):
            for project_id, user_id, area in rows:
                first_area[project_id].setdefault(user_id, area or "")
        result = {}
        for pk, people in first_area.items():
            by_area: dict[str, int] = defaultdict(int)
            for area in people.values():
                if area:
                    by_area[area] += 1
            result[pk] = Reach(
                participants=len(people), by_group={RESIDENT_GROUP: len(people)} if people else {},
                invited_by_group={}, by_area=dict(by_area),
            )
        return result

    def inputs_many(self, projects) -> dict[int, list[InputItem]]:
        ids = [p.pk for p in projects]
        result: dict[int, list[InputItem]] = {pk: [] for pk in ids}
        rows = (
            Initiative.objects.filter(project_id__in=ids, moderation=Moderation.PUBLISHED)
            .select_related("theme", "area").order_by("created_at", "pk")
        )
        for i in rows:
            result[i.project_id].append(InputItem(
                source=self.key, kind="initiative", title=i.title, kind_label=str(_("Initiatief")), awaits_answer=True,
                url=i.get_absolute_url(), submitted_at=i.created_at,
                status=i.status, status_label=str(Status(i.status).label), answer=i.answer, answered_at=i.answered_at,
                area=i.area.name if i.area else "", themes=(i.theme.name,), supporters=i.support_count,
            ))
        return result

    def activities_many(self, projects) -> dict[int, list]:
        return {p.pk: [] for p in projects}

    def evaluation_many(self, projects) -> dict[int, Evaluation]:
        return {p.pk: Evaluation() for p in projects}

    def project_has_records(self, project) -> bool:
        return Initiative.objects.filter(project=project).exists()

    def participant_contacts(self, project) -> list[Participant]:
        """Submitters and supporters who ticked "houd mij op de hoogte" and have a verified email."""
        from allauth.account.models import EmailAddress

        user_ids = set(
            Initiative.objects.filter(project=project, keep_informed=True, submitter__isnull=False).values_list("submitter_id", flat=True)
        ) | set(
            Support.objects.filter(initiative__project=project, keep_informed=True, user__isnull=False).values_list("user_id", flat=True)
        )
        addresses = EmailAddress.objects.filter(user_id__in=user_ids, verified=True, primary=True).select_related("user").order_by("email")
        return [Participant(email=a.email, name=a.user.get_full_name()) for a in addresses]

    def personal_sections(self, user) -> list[PersonalSection]:
        initiatives = list(user.initiatives.select_related("theme").order_by("-created_at"))
        supported = list(
            Initiative.objects.filter(supports__user=user).order_by("-created_at").only("pk", "title", "status", "moderation")
        )
        reactions = list(reactions_of_user(user)[:50])
        if not initiatives and not supported and not reactions:
            return []
        return [
            PersonalSection(
                key="initiatives", title=str(_("Mijn initiatieven")), template="geo/my_initiatives.html",
                context={"my_initiatives": initiatives, "supported_initiatives": supported, "my_reactions": reactions}, order=30,
            )
        ]

    def personal_data(self, user) -> dict:
        return {
            "initiatives": [
                {
                    "title": i.title, "description": i.description, "address": i.address, "lat": i.lat, "lon": i.lon,
                    "status": i.status, "moderation": i.moderation, "created_at": i.created_at.isoformat(),
                    "keep_informed": i.keep_informed,
                }
                for i in user.initiatives.order_by("created_at")
            ],
            "supports": [
                {"initiative": s.initiative.title, "created_at": s.created_at.isoformat(), "keep_informed": s.keep_informed}
                for s in user.initiative_supports.select_related("initiative").order_by("created_at")
            ],
            "reports": [
                {"initiative": r.initiative.title, "reason": r.reason, "created_at": r.created_at.isoformat()}
                for r in Report.objects.filter(reporter=user).select_related("initiative").order_by("created_at")
            ],
            "reactions": [
                {"initiative": r.initiative.title, "body": r.body, "reply": r.parent_id is not None, "created_at": r.created_at.isoformat(),
                 "hidden_reason": r.hidden_reason}
                for r in reactions_of_user(user).order_by("created_at", "pk")
            ],
        }

    def personal_data_delete(self, user) -> None:
        from .reaction_services import reactions_personal_data_erase
        from .services import personal_data_erase

        personal_data_erase(user=user)
        reactions_personal_data_erase(user=user)

    # --- accountability (projects.sources: commitments) -------------------------------------

    commitment_kinds = {"initiative": _("Overgenomen initiatief")}

    def _commitment(self, i: Initiative) -> Commitment:
        public = i.moderation == Moderation.PUBLISHED
        return Commitment(
            source=self.key, key=f"initiative:{i.pk}", kind="initiative", kind_label=str(self.commitment_kinds["initiative"]),
            title=i.title, who=i.responsible, due_date=i.due_date, status=i.execution_status,
            status_label=str(CommitmentStatus(i.execution_status).label), progress=i.progress_note, public=public,
            public_url=i.get_absolute_url() if public else "", area=i.area.name if i.area else "",
            updated_at=i.execution_updated_at or i.answered_at,
            context=str(_("Besluit over het initiatief: %(status)s") % {"status": Status(i.status).label}),
            admin_url=reverse("geo_moderation:initiative", args=[i.pk]),
        )

    def commitments_many(self, projects, *, include_private: bool = False) -> dict[int, list[Commitment]]:
        """Every adopted initiative of ``projects`` (overgenomen, deels overgenomen, uitgevoerd),
        in one query. Public while published; hidden ones only with ``include_private``."""
        ids = [p.pk for p in projects]
        result: dict[int, list[Commitment]] = {pk: [] for pk in ids}
        rows = Initiative.objects.filter(project_id__in=ids, status__in=ADOPTED_STATUSES).select_related("area")
        if not include_private:
            rows = rows.filter(moderation=Moderation.PUBLISHED)
        for i in rows.order_by("due_date", "pk"):
            result[i.project_id].append(self._commitment(i))
        return result

    def commitment_manageable(self, user, commitment: Commitment, *, project_editable: bool) -> bool:
        # Editors follow up their own project's initiatives; moderators every project's.
        return project_editable or (user_can_moderate(user) and moderation_scope(user) is None)

    def commitment_update(self, key: str, *, status: str, progress: str, by, who=None, due_date=None) -> Commitment:
        try:
            initiative = initiative_execution_update(
                initiative_id=int(key.split(":", 1)[1]), status=status, progress=progress, by=by,
                responsible=who, due_date=due_date,
            )
        except Initiative.DoesNotExist:
            raise UnknownCommitment(key) from None
        return self._commitment(initiative)
