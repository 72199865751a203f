"""The memory's one table: every public record of every source, flattened for the search."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .conf import search_config


def themes_value(themes) -> str:
    """Themes as one text column that filters exactly: "|groen|verkeer|" (lower case), so the
    theme filter is ``themes__contains="|groen|"`` on SQLite and PostgreSQL alike."""
    names = sorted({t.strip().lower() for t in themes if t and t.strip() and "|" not in t})
    return f"|{'|'.join(names)}|" if names else ""


class MemoryEntry(models.Model):
    """One public document of the memory (``projects.sources.MemoryDocument``), kept in step
    by ``projects.memory`` inside the transaction of the write that changed it.

    ``project_id`` is a plain number, not a foreign key: a record outlives nothing here, and a
    page that goes must not cascade into (or be blocked by) the index.

    Not a Wagtail-indexed model: on PostgreSQL the search reads ``search_vector`` (title with
    weight A, body B, in ``conf.search_config()``) through its own GIN index, created by
    migration 0012 on PostgreSQL only; elsewhere the column stays empty and
    ``selectors.memory_search`` falls back to matching words in title and body.
    """

    key = models.CharField(max_length=100, unique=True)  # "<kind>:<id>"
    source = models.CharField(max_length=50)
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField()
    project_id = models.BigIntegerField(null=True, blank=True)
    area = models.CharField(max_length=20, blank=True)
    themes = models.CharField(max_length=1000, blank=True)
    # Written with the row by projects.memory (see ``search_vector_of``), never by hand.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("document in het geheugen")
        verbose_name_plural = _("documenten in het geheugen")
        indexes = [
            # The search without words: filters, newest first.
            models.Index(fields=["-date", "-id"], name="projects_memory_newest"),
            models.Index(fields=["kind", "-date"], name="projects_memory_kind_date"),
            models.Index(fields=["project_id", "-date"], name="projects_memory_project_date"),
            models.Index(fields=["area", "-date"], name="projects_memory_area_date"),
            # And GIN (search_vector), "projects_memory_vector": not declared here, because
            # SQLite cannot build it and rebuilds a table with every index Django knows of.
        ]

    def __str__(self):
        return self.title

    @property
    def theme_list(self) -> list[str]:
        return [t for t in self.themes.split("|") if t]


def search_vector_of(title, body):
    """The words of a document as PostgreSQL stores them for the search: the title weighs
    more (A) than the body (B). ``title`` and ``body`` are expressions, ``F("title")`` and
    ``F("body")`` to (re)compute rows in place."""
    config = search_config()
    return SearchVector(title, weight="A", config=config) + SearchVector(body, weight="B", config=config)


# --- plain text for documents: never raw HTML in the memory ------------------------------------

_SENTINELS = {ord("\x02"): None, ord("\x03"): None}  # reserved for the search's highlight marks


def plain_text(value) -> str:
    """Text without tags or control marks, whitespace folded: what a document's body holds."""
    from django.utils.html import strip_tags
    from html import unescape

    text = unescape(strip_tags(str(value or ""))).translate(_SENTINELS)
    return " ".join(text.split())


def stream_text(stream) -> str:
    """The words of a StreamField (every string in its raw data, rich text without tags),
    without rendering templates: a rebuild of thousands of pages needs no request."""
    parts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            if value.strip():
                parts.append(plain_text(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "type", "url", "link", "href", "embed"):
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    raw = getattr(stream, "raw_data", stream)
    walk(list(raw) if raw is not None else [])
    return " ".join(p for p in parts if p)
