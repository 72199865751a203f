"""Initiatives as a participation source for projects (see projects/sources.py)."""

from __future__ import annotations

from itertools import chain

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.sources import (
    AreaRef, BulkSource, Commitment, CommitmentStatus, InputItem, MemoryDocument, Participant, PersonalSection, Reach,
    SignalCount, UnknownCommitment, period_filters, period_counts, reach_of_people,
)

from .execution import ADOPTED_STATUSES, initiative_execution_update
from .models import Area, Initiative, Moderation, Report, Status, Support, Theme
from .reactions import reaction_signal_counts_periods, reaction_texts, reactions_of_user
from .selectors import moderation_scope
from .services import user_can_moderate

RESIDENT_GROUP = "Bewoner"


class InitiativeSource(BulkSource):
    key = "initiatives"
    label = _("Initiatieven")

    # Bulk versions (see projects.sources.participation_for): a fixed number of queries
    # however many projects an overview shows.

    def reach_many(self, projects) -> dict[int, Reach]:
        """Unique people per project who submitted or supported a public initiative;
        each person counts once, in the area of the first initiative they took part in."""
        ids = [p.pk for p in projects]
        submitted = (
            Initiative.objects.filter(project_id__in=ids, moderation=Moderation.PUBLISHED, submitter__isnull=False)
            .order_by("created_at", "pk").values_list("project_id", "submitter_id", "area__name")
        )
        supported = (
            Support.objects.filter(initiative__project_id__in=ids, initiative__moderation=Moderation.PUBLISHED, user__isnull=False)
            .order_by("created_at", "pk").values_list("initiative__project_id", "user_id", "initiative__area__name")
        )
        return reach_of_people(ids, chain(submitted, supported), group=RESIDENT_GROUP)

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

    # --- what lives (projects.sources: signals, areas, themes) --------------------------------

    def areas(self) -> list[AreaRef]:
        """The imported wijken and buurten; their CBS code is their identity everywhere."""
        return [AreaRef(code=code, name=name, kind=kind) for code, name, kind in
                Area.objects.order_by("kind", "name").values_list("code", "name", "kind")]

    def themes(self) -> list[str]:
        return list(Theme.objects.order_by("sort_order", "name").values_list("name", flat=True))

    def signal_counts(self, *, since, until) -> list[SignalCount]:
        return self.signal_counts_periods([(since, until)])[0]

    def signal_counts_periods(self, periods) -> list[list[SignalCount]]:
        """Published initiatives by the day they came in, and supports by the day they were
        given, and visible reactions by the day they were written (both for the initiative's
        theme and area), grouped in the database: three queries for all ``periods``."""
        span, each = period_filters("created_at", periods)
        answered = Q(answered_at__isnull=False)
        initiatives = (
            Initiative.objects.filter(span, moderation=Moderation.PUBLISHED).values("theme__name", "area__code")
            .annotate(**period_counts(each), **period_counts([q & answered for q in each], prefix="a")).order_by()
        )
        supports = (
            Support.objects.filter(span, initiative__moderation=Moderation.PUBLISHED)
            .values("initiative__theme__name", "initiative__area__code")
            .annotate(**period_counts(each)).order_by()
        )
        initiative_label, support_label = str(_("Initiatieven")), str(_("Steunbetuigingen"))
        initiatives, supports = list(initiatives), list(supports)
        reactions = reaction_signal_counts_periods(periods)
        return [
            [
                SignalCount(source=self.key, kind="initiative", kind_label=initiative_label, theme=row["theme__name"],
                            area=row["area__code"] or "", count=row[f"n{i}"], awaiting=row[f"n{i}"], answered=row[f"a{i}"])
                for row in initiatives if row[f"n{i}"]
            ] + [
                SignalCount(source=self.key, kind="support", kind_label=support_label, theme=row["initiative__theme__name"],
                            area=row["initiative__area__code"] or "", count=row[f"n{i}"])
                for row in supports if row[f"n{i}"]
            ] + reactions[i]
            for i in range(len(periods))
        ]

    # --- the memory (projects.sources: memory_documents) ------------------------------------

    memory_kinds = {"initiative": _("Initiatief")}

    def memory_documents(self, keys=None):
        """Published initiatives: title, description, the address the initiative page shows,
        status and the municipality's answer. Never who submitted or supported it."""
        rows = Initiative.objects.filter(moderation=Moderation.PUBLISHED).select_related("theme", "area").order_by("pk")
        if keys is not None:
            ids = [int(k.split(":", 1)[1]) for k in keys if k.startswith("initiative:") and k.split(":", 1)[1].isdigit()]
            if not ids:
                return
            rows = rows.filter(pk__in=ids)
        # Chunks of 2,000 rows: a rebuild over 50,000 initiatives keeps memory flat.
        for chunk in _chunks(rows.iterator(chunk_size=2000), 2000):
            reactions = reaction_texts([i.pk for i in chunk])
            for i in chunk:
                status = str(Status(i.status).label)
                parts = [i.description, i.address, str(_("Status: %(status)s") % {"status": status})]
                if i.answer:
                    parts.append(str(_("Antwoord van de gemeente: %(answer)s") % {"answer": i.answer}))
                parts.extend(reactions.get(i.pk, ()))
                yield MemoryDocument(
                    key=f"initiative:{i.pk}", kind="initiative", title=i.title, body="\n".join(p for p in parts if p),
                    url=i.get_absolute_url(), date=timezone.localdate(i.published_at or i.created_at),
                    project_id=i.project_id, area=i.area.code if i.area else "", themes=(i.theme.name,),
                )



def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
