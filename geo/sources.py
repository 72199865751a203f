"""Initiatives as a participation source for projects (see projects/sources.py)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from projects.sources import Evaluation, InputItem, Participant, PersonalSection, Reach

from .models import Initiative, Moderation, Report, Status, Support

RESIDENT_GROUP = "Bewoner"


class InitiativeSource:
    key = "initiatives"
    label = _("Initiatieven")

    def _public(self, project):
        return Initiative.objects.filter(project=project, moderation=Moderation.PUBLISHED)

    def reach(self, project) -> Reach:
        """Unique people who submitted or supported a public initiative of the project."""
        area_by_person: dict[int, str] = {}
        for user_id, area in self._public(project).filter(submitter__isnull=False).values_list("submitter_id", "area__name"):
            area_by_person.setdefault(user_id, area or "")
        for user_id, area in Support.objects.filter(
            initiative__project=project, initiative__moderation=Moderation.PUBLISHED, user__isnull=False
        ).values_list("user_id", "initiative__area__name"):
            area_by_person.setdefault(user_id, area or "")
        by_area: dict[str, int] = defaultdict(int)
        for area in area_by_person.values():
            if area:
                by_area[area] += 1
        people = len(area_by_person)
        return Reach(
            participants=people,
            by_group={RESIDENT_GROUP: people} if people else {},
            invited_by_group={},
            by_area=dict(by_area),
        )

    def inputs(self, project) -> list[InputItem]:
        rows = self._public(project).select_related("theme", "area").order_by("created_at", "pk")
        return [
            InputItem(
                source=self.key, kind="initiative", title=i.title, url=i.get_absolute_url(), submitted_at=i.created_at,
                status=i.status, status_label=str(Status(i.status).label), answer=i.answer, answered_at=i.answered_at,
                area=i.area.name if i.area else "", themes=(i.theme.name,), supporters=i.support_count,
            )
            for i in rows
        ]

    def activities(self, project) -> list:
        return []

    def evaluation(self, project) -> Evaluation:
        return Evaluation()

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
        if not initiatives and not supported:
            return []
        return [
            PersonalSection(
                key="initiatives", title=str(_("Mijn initiatieven")), template="geo/my_initiatives.html",
                context={"my_initiatives": initiatives, "supported_initiatives": supported}, order=30,
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
        }

    def personal_data_delete(self, user) -> None:
        from .services import personal_data_erase

        personal_data_erase(user=user)
