"""Filters of the admin's session list. Project and round offer only what the user may manage,
so the filter never names another project's work."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import DialogueSession, SessionStatus
from .permissions import manageable_projects, manageable_rounds


def _projects(request):
    return manageable_projects(request.user).order_by("title") if request else manageable_projects(None)


def _rounds(request):
    return manageable_rounds(request.user).order_by("title") if request else manageable_rounds(None)


class SessionFilterSet(WagtailFilterSet):
    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects, method="filter_project",
                                               empty_label=_("Alle projecten"))
    round = django_filters.ModelChoiceFilter(label=_("Dialoogronde"), queryset=_rounds, empty_label=_("Alle rondes"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices, empty_label=_("Alle"))

    class Meta:
        model = DialogueSession
        fields = ["project", "round", "status"]

    def filter_project(self, queryset, name, value):
        # A round is a child page of its project.
        return queryset.filter(round__path__startswith=value.path, round__depth=value.depth + 1)
