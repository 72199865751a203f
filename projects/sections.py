"""Extension point: sections that other apps add to the public pages.

``projects`` never imports ``dialogues`` or ``geo``; they add their part of a project page
(sessions to register for, the initiatives map, later the results) and of the home page
through Wagtail hooks. Register a function in your app's ``wagtail_hooks.py``::

    from wagtail import hooks
    from projects.sections import PROJECT_SECTIONS_HOOK, PageSection

    @hooks.register(PROJECT_SECTIONS_HOOK)  # "participatie_project_sections"
    def project_sessions(*, project, request):
        sessions = session_list_open(project=project)
        if not sessions:
            return None  # nothing to show: no empty heading on the page
        return PageSection(
            key="dialogues-sessions",
            title=_("Kom naar een bijeenkomst"),
            template="dialogues/includes/project_sessions.html",
            context={"sessions": sessions},
            order=10,
        )

A hook function is called with keyword arguments and returns ``None``, one ``PageSection``
or a list of them:

- ``PROJECT_SECTIONS_HOOK`` (``"participatie_project_sections"``): called as
  ``fn(project=<ProjectPage>, request=<HttpRequest>)`` for every public project page.
  ``slot`` says where the section goes: ``"doe_mee"`` (default; inside "Doe mee", after its
  h2, so start your template with an ``<h3>``) or ``"results"`` (the "Wat is er met uw
  inbreng gedaan?" part, also under an h2, so use ``<h3>``).
- ``HOME_SECTIONS_HOOK`` (``"participatie_home_sections"``): called as
  ``fn(page=<HomePage>, request=<HttpRequest>)``; slot ``"home"``. Home sections are
  rendered as top-level parts of the page: start your template with ``<h2>``.

The section's template is rendered with the page's template context (``page``,
``request``, ``user``, ``csrf_token`` ...; on a project page also ``project``) plus
``section`` and every key of ``section.context``. Sections are sorted by ``order``, then ``key``. The follow button of
the project itself sits in "Doe mee" with order 90, so lower orders come before it.
Keep business logic in your selectors; the template only shows what the context holds.
Public pages: never put personal data in a section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

PROJECT_SECTIONS_HOOK = "participatie_project_sections"
HOME_SECTIONS_HOOK = "participatie_home_sections"

SLOT_DOE_MEE = "doe_mee"
SLOT_RESULTS = "results"
SLOT_HOME = "home"


@dataclass(frozen=True)
class PageSection:
    """One block another app adds to a public page: a template and its context."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
    slot: str = SLOT_DOE_MEE


def sections_collect(hook_name: str, *, slot: str | None = None, **kwargs) -> dict[str, list[PageSection]]:
    """Call every function registered for ``hook_name`` with ``kwargs`` and group the
    sections they return by slot, each list sorted by (order, key). ``slot`` is the default
    for sections that keep the dataclass default of another page kind (home)."""
    grouped: dict[str, list[PageSection]] = {}
    for fn in hooks.get_hooks(hook_name):
        result = fn(**kwargs)
        if result is None:
            continue
        for section in result if isinstance(result, (list, tuple)) else [result]:
            if not isinstance(section, PageSection):
                raise TypeError(f"{fn!r} returned {section!r}; hooks for {hook_name} return PageSection objects")
            grouped.setdefault(slot or section.slot, []).append(section)
    for sections in grouped.values():
        sections.sort(key=lambda s: (s.order, s.key))
    return grouped


def project_sections(*, project, request) -> dict[str, list[PageSection]]:
    """The sections other apps add to ``project``'s public page, by slot."""
    return sections_collect(PROJECT_SECTIONS_HOOK, project=project, request=request)


def home_sections(*, page, request) -> list[PageSection]:
    """The sections other apps add to the home page, in order."""
    return sections_collect(HOME_SECTIONS_HOOK, slot=SLOT_HOME, page=page, request=request).get(SLOT_HOME, [])
