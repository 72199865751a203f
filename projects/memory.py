"""The memory: everything public that was said and decided, in one table for the search.

Every participation source that offers ``memory_kinds`` and ``memory_documents`` (see
``projects/sources.py``) owns its documents; ``projects`` owns its own (projects, news,
published decisions, adopted reports) through ``ProjectsMemory`` below, which is not a
participation source (it has no reach or inputs) and so is not in the source registry.

``memory_refresh`` is registered as the ``memory_listen`` listener: a write that calls
``memory_changed(keys)`` gets those entries upserted or deleted in its own transaction,
without Redis or a worker. ``memory_rebuild`` (``manage.py participatie_memory_rebuild``)
fills the table from scratch, in chunks, and removes what no owner offers any more.

Pages take part by offering two things (ProjectPage, ProjectUpdatePage, DialogueRoundPage do):
``memory_kind`` (a class attribute, a kind that some owner declares) and
``memory_document() -> MemoryDocument``; optionally ``memory_related_keys()``, the keys of
records whose publicness follows the page (a project's decisions, a round's outcomes).
``projects.signals`` calls ``memory_changed`` for them on publish, unpublish, move, delete
and a change of view restrictions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import sources
from .memory_entry import MemoryEntry, plain_text, search_vector_of, themes_value
from .models import Decision, ParticipationReport, ProjectPage, ProjectUpdatePage
from .sources import MemoryDocument

REPORT_TEXT_MAX = 20000  # a report's words for the search; its tables repeat themselves


def _page_date(page) -> datetime.date:
    moment = page.first_published_at or page.last_published_at or timezone.now()
    return timezone.localdate(moment)


def page_memory_keys(page) -> list[str]:
    """The memory keys a page stands for: its own and those of records that follow it."""
    kind = getattr(page, "memory_kind", "")
    if not kind:
        return []
    related = getattr(page, "memory_related_keys", None)
    return [f"{kind}:{page.pk}", *(related() if callable(related) else ())]


class ProjectsMemory:
    """``projects``' own public records as memory documents."""

    key = "projects"
    memory_kinds = {
        "project": _("Project"),
        "news": _("Nieuws"),
        "decision": _("Besluit"),
        "report": _("Participatieverslag"),
    }

    def memory_documents(self, keys=None) -> Iterator[MemoryDocument]:
        ids = _ids_by_kind(keys)
        live = ProjectPage.objects.live().public()
        if keys is None or ids["project"]:
            pages = live if keys is None else live.filter(pk__in=ids["project"])
            for page in pages.order_by("pk"):
                yield page.memory_document()
        if keys is None or ids["news"]:
            news = ProjectUpdatePage.objects.live().public()
            if keys is not None:
                news = news.filter(pk__in=ids["news"])
            news = list(news.order_by("pk"))
            parents = _projects_by_path(live, {n.path[: -ProjectPage.steplen] for n in news})
            for item in news:
                parent = parents.get(item.path[: -ProjectPage.steplen])
                if parent is not None:
                    yield item.memory_document(project=parent)
        if keys is None or ids["decision"]:
            decisions = Decision.objects.filter(published=True, project__in=live).select_related("project")
            if keys is not None:
                decisions = decisions.filter(pk__in=ids["decision"])
            for decision in decisions.order_by("pk").iterator(chunk_size=500):
                yield MemoryDocument(
                    key=f"decision:{decision.pk}", kind="decision", title=decision.title,
                    body=plain_text(decision.reasoning),
                    url=reverse("projects:results", args=[decision.project_id]),
                    date=decision.decided_on, project_id=decision.project_id,
                )
        if keys is None or ids["report"]:
            reports = ParticipationReport.objects.filter(project__in=live).select_related("project")
            if keys is not None:
                reports = reports.filter(pk__in=ids["report"])
            for report in reports.order_by("pk").iterator(chunk_size=50):
                yield MemoryDocument(
                    key=f"report:{report.pk}", kind="report",
                    title=str(_("Participatieverslag %(project)s, versie %(version)s")) % {
                        "project": report.project.title, "version": report.version},
                    body=plain_text(report.html)[:REPORT_TEXT_MAX],
                    url=reverse("projects:report_version", args=[report.project_id, report.version]),
                    date=timezone.localdate(report.vastgesteld_at), project_id=report.project_id,
                )


PROJECTS_MEMORY = ProjectsMemory()


def _ids_by_kind(keys) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = defaultdict(list)
    for key in keys or ():
        kind, _sep, ident = key.partition(":")
        if ident.isdigit():
            ids[kind].append(int(ident))
    return ids


def _projects_by_path(queryset, paths) -> dict[str, ProjectPage]:
    return {p.path: p for p in queryset.filter(path__in=paths)} if paths else {}


def memory_owners() -> list:
    """``projects``' own records first, then every source that offers memory documents."""
    return [PROJECTS_MEMORY, *sources.memory_sources()]


def memory_kind_labels() -> dict[str, str]:
    """{kind: Dutch label} of every kind in the memory, for the search's filter and results."""
    return {kind: str(label) for owner in memory_owners() for kind, label in getattr(owner, "memory_kinds", {}).items()}


def _owner_of(kind: str):
    for owner in memory_owners():
        if kind in getattr(owner, "memory_kinds", {}):
            return owner
    return None


def _entry_values(source_key: str, doc: MemoryDocument) -> dict:
    return {
        "source": source_key, "kind": doc.kind, "title": plain_text(doc.title)[:500], "body": plain_text(doc.body),
        "url": doc.url[:500], "date": doc.date, "project_id": doc.project_id, "area": doc.area or "",
        "themes": themes_value(doc.themes)[:1000],
    }


def _vectors() -> bool:
    """Whether the database stores search vectors (PostgreSQL); elsewhere the column stays empty."""
    return connection.vendor == "postgresql"


def _upsert(source_key: str, docs: list[MemoryDocument]) -> list[MemoryEntry]:
    """Create or update the entries for ``docs`` (one query to read, one per kind of write),
    then, on PostgreSQL, their search vectors from the new text in one more statement: in the
    caller's transaction, so a document is never found by words it no longer has."""
    # The vector stays in the database: nothing here compares or shows it.
    existing = {e.key: e for e in MemoryEntry.objects.filter(key__in=[d.key for d in docs]).defer("search_vector")}
    new, changed = [], []
    fields = ["source", "kind", "title", "body", "url", "date", "project_id", "area", "themes"]
    for doc in docs:
        values = _entry_values(source_key, doc)
        entry = existing.get(doc.key)
        if entry is None:
            new.append(MemoryEntry(key=doc.key, **values))
        elif any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
    if new:
        MemoryEntry.objects.bulk_create(new)  # PostgreSQL and SQLite return the ids
    if changed:
        MemoryEntry.objects.bulk_update(changed, fields)
    written = new + changed
    if written and _vectors():
        # One statement compiled once: a vector expression per row in the INSERT costs more
        # Python (compiling 1,000 expressions) than the second write costs PostgreSQL.
        MemoryEntry.objects.filter(pk__in=[e.pk for e in written]).update(
            search_vector=search_vector_of(F("title"), F("body")))
    return written


REFRESH_CHUNK = 1000


def memory_keys_about(*, areas=(), themes=()) -> list[str]:
    """The keys of the documents filed under any of ``areas`` (codes) or ``themes`` (names, any
    case): for a source whose area or theme was renamed, to pass to ``memory_changed`` with the
    old and the new name, so every document that says it is read again (one query)."""
    condition = Q(pk__in=[])
    codes = [c for c in areas if c]
    if codes:
        condition |= Q(area__in=codes)
    for name in themes:
        value = themes_value([name])
        if value:
            condition |= Q(themes__contains=value)
    return list(MemoryEntry.objects.filter(condition).order_by("key").values_list("key", flat=True))


@transaction.atomic
def memory_refresh(keys) -> None:
    """Bring the entries with ``keys`` in step with what their owners offer now: upsert what
    is (still) public, delete the rest. The ``memory_listen`` listener: runs inside the
    caller's transaction, so the memory commits or rolls back with the write. Documents are
    written in the site's language, whichever language the request that changed them had."""
    keys = sorted(set(keys))
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(keys), REFRESH_CHUNK):
            _refresh(keys[start:start + REFRESH_CHUNK])


def _refresh(keys: list[str]) -> None:
    by_owner: dict[int, tuple[object, list[str]]] = {}
    for key in keys:
        owner = _owner_of(key.partition(":")[0])
        if owner is not None:
            by_owner.setdefault(id(owner), (owner, []))[1].append(key)
    offered: set[str] = set()
    for owner, owner_keys in by_owner.values():
        wanted = set(owner_keys)
        docs = [d for d in owner.memory_documents(owner_keys) if d.key in wanted]
        offered |= {d.key for d in docs}
        _upsert(owner.key, docs)
    MemoryEntry.objects.filter(key__in=[k for k in keys if k not in offered]).delete()


def memory_rebuild(*, chunk_size: int = 1000) -> dict[str, int]:
    """Fill the memory from scratch: every owner's documents, in chunks of ``chunk_size``
    (each chunk its own transaction, so 50,000 initiatives never hold one long lock), then
    delete the entries nobody offers any more. Idempotent: a second run changes nothing.
    Returns {"documents": offered, "written": created or changed, "deleted": removed}."""
    with translation.override(settings.LANGUAGE_CODE):
        return _rebuild(chunk_size)


def _rebuild(chunk_size: int) -> dict[str, int]:
    seen: set[str] = set()
    counts = {"documents": 0, "written": 0, "deleted": 0}
    for owner in memory_owners():
        batch: list[MemoryDocument] = []
        for doc in owner.memory_documents(None):
            if doc.key in seen:
                continue
            seen.add(doc.key)
            batch.append(doc)
            if len(batch) >= chunk_size:
                counts["written"] += _write_chunk(owner.key, batch)
                batch = []
        if batch:
            counts["written"] += _write_chunk(owner.key, batch)
    counts["documents"] = len(seen)
    stale_ids = [pk for pk, key in MemoryEntry.objects.values_list("pk", "key").iterator(chunk_size=5000) if key not in seen]
    for start in range(0, len(stale_ids), chunk_size):
        with transaction.atomic():
            deleted, _per_model = MemoryEntry.objects.filter(pk__in=stale_ids[start:start + chunk_size]).delete()
            counts["deleted"] += deleted
    if _vectors():
        counts["written"] += _revectorize(chunk_size * 5)
    return counts


def _write_chunk(source_key: str, docs: list[MemoryDocument]) -> int:
    with transaction.atomic():
        return len(_upsert(source_key, docs))


def _revectorize(chunk_size: int) -> int:
    """Recompute the search vectors that differ from what the text gives now: rows from before
    the column existed, or all of them after ``SEARCH_CONFIG`` changed. One UPDATE per range of
    ids (no long lock); a row whose vector is right is read, not written."""
    vector = search_vector_of(F("title"), F("body"))
    last = MemoryEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    written = 0
    for start in range(0, last, chunk_size):
        with transaction.atomic():
            written += MemoryEntry.objects.filter(
                _IsDistinctFrom(F("search_vector"), vector), pk__gt=start, pk__lte=start + chunk_size,
            ).update(search_vector=vector)
    return written


class _IsDistinctFrom(Func):
    """``a IS DISTINCT FROM b``: true for NULL against a value too (tsvector has no lookup for it)."""

    template = "(%(expressions)s)"
    arg_joiner = " IS DISTINCT FROM "
    output_field = BooleanField()
