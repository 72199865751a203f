"""Top-3 concerns as a participation source for projects (see projects/sources.py).

Only published Top-3's count. A Top-3 is input that is aggregated, not answered one by one
(``awaits_answer=False``). No rounds are modelled, so there are no activities.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.sources import (
    BulkSource, InputItem, MemoryDocument, Participant, PersonalSection, Reach, SignalCount, period_filters, period_counts, reach_of_people,
)

from .models import Concern, Submission, SubmissionStatus
from .selectors import MEMORY_KIND, memory_key

RESIDENT_GROUP = "Bewoner"
PUBLISHED = SubmissionStatus.PUBLISHED


def _person(user_id, email, erased, pk) -> tuple:
    # One resident once: by account, else by confirmed address, else by the anonymous key their
    # erasure left (personal_data_erase), else the submission itself.
    if user_id:
        return ("u", user_id)
    if email:
        return ("e", email.lower())
    if erased:
        return ("k", erased)
    return ("s", pk)


class ConcernSource(BulkSource):
    key = "concerns"
    label = _("Top-3 van zorgen")

    # Bulk versions (projects.sources.participation_for): one query however many projects.

    def reach_many(self, projects) -> dict[int, Reach]:
        """Residents with a published Top-3 for the project; each counts once, in the wijk of
        their first one."""
        ids = [p.pk for p in projects]
        rows = (
            Submission.objects.filter(project_id__in=ids, status=PUBLISHED).order_by("created_at", "pk")
            .values_list("project_id", "user_id", "email", "erased_participant", "pk", "area__name")
        )
        return reach_of_people(
            ids, ((project_id, _person(user_id, email, erased, pk), area) for project_id, user_id, email, erased, pk, area in rows),
            group=RESIDENT_GROUP,
        )

    def inputs_many(self, projects) -> dict[int, list[InputItem]]:
        ids = [p.pk for p in projects]
        result: dict[int, list[InputItem]] = {pk: [] for pk in ids}
        rows = (
            Concern.objects.filter(submission__project_id__in=ids, submission__status=PUBLISHED)
            .select_related("theme", "submission__area").order_by("submission__created_at", "submission_id", "position")
        )
        for c in rows:
            s = c.submission
            result[s.project_id].append(InputItem(
                source=self.key, kind="top3", title=c.text, kind_label=str(_("Top-3-zorg")), awaits_answer=False,
                url=reverse("concerns:results_area", args=[s.area.code]), submitted_at=s.created_at,
                status=s.status, status_label=str(SubmissionStatus(s.status).label),
                area=s.area.name, themes=(c.theme.name,),
            ))
        return result

    def project_has_records(self, project) -> bool:
        return Submission.objects.filter(project=project).exists()

    # --- personal data ----------------------------------------------------------------------

    def participant_contacts(self, project) -> list[Participant]:
        """Residents who ticked "laat mij weten" and whose address is verified (an account's, or
        confirmed by the emailed link)."""
        from allauth.account.models import EmailAddress

        rows = Submission.objects.filter(project=project, keep_informed=True).exclude(status=SubmissionStatus.UNCONFIRMED)
        user_ids = {u for u in rows.values_list("user_id", flat=True) if u}
        emails = {a.email.lower(): a.email for a in EmailAddress.objects.filter(user_id__in=user_ids, verified=True, primary=True)}
        for email in rows.filter(user__isnull=True, email_confirmed_at__isnull=False).exclude(email="").values_list("email", flat=True):
            emails.setdefault(email.lower(), email)
        return [Participant(email=emails[k]) for k in sorted(emails)]

    def _mine(self, user):
        from .services import user_submissions

        return user_submissions(user).select_related("area", "project").prefetch_related(
            Prefetch("concerns", queryset=Concern.objects.select_related("theme").order_by("position"))
        ).order_by("-created_at", "-pk")

    def personal_sections(self, user) -> list[PersonalSection]:
        submissions = list(self._mine(user))
        if not submissions:
            return []
        return [PersonalSection(
            key="concerns", title=str(_("Mijn top-3")), template="concerns/my_concerns.html",
            context={"my_submissions": submissions}, order=40,
        )]

    def personal_data(self, user) -> dict:
        return {"top3": [
            {
                "area": s.area.name, "project": s.project.title if s.project else "", "email": s.email,
                "status": s.status, "created_at": s.created_at.isoformat(), "keep_informed": s.keep_informed,
                "concerns": [{"theme": c.theme.name, "text": c.text} for c in s.concerns.all()],
            }
            for s in self._mine(user)
        ]}

    def personal_data_delete(self, user) -> None:
        from .services import personal_data_erase

        personal_data_erase(user=user)

    # --- what lives (projects.sources: signals) ------------------------------------------------

    def signal_counts(self, *, since, until) -> list[SignalCount]:
        return self.signal_counts_periods([(since, until)])[0]

    def signal_counts_periods(self, periods) -> list[list[SignalCount]]:
        """Residents naming each theme per wijk, published Top-3's by submission date: one
        query for all ``periods``."""
        span, each = period_filters("submission__created_at", periods)
        rows = list(
            Concern.objects.filter(span, submission__status=PUBLISHED)
            .values("theme__name", "submission__area__code")
            .annotate(**period_counts(each, "submission", distinct=True)).order_by()
        )
        label = str(_("Top-3-antwoorden"))
        return [
            [SignalCount(source=self.key, kind="top3", kind_label=label, theme=r["theme__name"],
                         area=r["submission__area__code"] or "", count=r[f"n{i}"])
             for r in rows if r[f"n{i}"]]
            for i in range(len(periods))
        ]

    # --- the memory (projects.sources: memory) -------------------------------------------------

    memory_kinds = {MEMORY_KIND: _("Top-3 van een wijk")}

    def memory_documents(self, keys=None):
        """One public document per wijk with published Top-3's: its themes and sentences, no names."""
        submissions = Submission.objects.filter(status=PUBLISHED)
        if keys is not None:
            ids = [int(k.split(":", 1)[1]) for k in keys if k.startswith(f"{MEMORY_KIND}:") and k.split(":", 1)[1].isdigit()]
            if not ids:
                return
            submissions = submissions.filter(area_id__in=ids)
        latest = dict(submissions.values("area_id").annotate(last=Max("published_at")).order_by().values_list("area_id", "last"))
        if not latest:
            return
        texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
        areas = {}
        for c in Concern.objects.filter(submission__in=submissions).select_related("theme", "submission__area").order_by(
            "submission__area_id", "-submission__created_at", "position"
        ):
            areas[c.submission.area_id] = c.submission.area
            texts[c.submission.area_id].append((c.theme.name, c.text))
        for area_id, items in texts.items():
            area = areas[area_id]
            themes = tuple(dict.fromkeys(theme for theme, _text in items))
            yield MemoryDocument(
                key=memory_key(area_id), kind=MEMORY_KIND,
                title=str(_("Wat bewoners bezighoudt in %(area)s") % {"area": area.name}),
                body="\n".join(f"{theme}: {text}" for theme, text in items),
                url=reverse("concerns:results_area", args=[area.code]), date=timezone.localdate(latest[area_id]),
                area=area.code, themes=themes,
            )
