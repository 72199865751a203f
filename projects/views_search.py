"""The search over everything public: "Zoeken in wat er is gezegd en besloten".

URL contract (other pages link into it): ``reverse("projects:search")`` with the GET
parameters ``q``, ``soort`` (a memory kind), ``project`` (page id), ``wijk`` (area code),
``thema`` (theme name), ``van`` and ``tot`` (YYYY-MM-DD), ``pagina``. A parameter that does not
parse answers 400 with the reason next to its field.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .memory import memory_kind_labels
from .models import ProjectPage
from .selectors import MemoryFilters, MemoryPaginator, memory_search, memory_snippets

RESULTS_PER_PAGE = 20
QUERY_MAX = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Zoek op"), required=False, max_length=QUERY_MAX, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    soort = forms.ChoiceField(label=gettext_lazy("Soort"), required=False)
    project = forms.TypedChoiceField(label=gettext_lazy("Project"), required=False, coerce=int, empty_value=None)
    wijk = forms.ChoiceField(label=gettext_lazy("Wijk of buurt"), required=False)
    thema = forms.ChoiceField(label=gettext_lazy("Thema"), required=False)
    van = forms.DateField(label=gettext_lazy("Vanaf datum"), required=False, input_formats=["%Y-%m-%d"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    tot = forms.DateField(label=gettext_lazy("Tot en met datum"), required=False, input_formats=["%Y-%m-%d"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, kinds, projects, areas, themes, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alles"))]
        self.fields["soort"].choices = everything + sorted(kinds.items(), key=lambda kv: kv[1])
        self.fields["project"].choices = [("", _("Alle projecten"))] + [(str(pk), title) for pk, title in projects]
        self.fields["wijk"].choices = [("", _("Alle wijken"))] + [(a.code, a.name) for a in areas]
        # Theme names match without regard to case ("groen" is "Groen"), as sessions tag them;
        # a theme that came up only in a session is one of the sources' themes too (a tag).
        self._themes = {name.lower(): name for name in themes}
        self.fields["thema"].choices = [("", _("Alle thema's"))] + [(name, name) for name in themes]
        self.fields["soort"].error_messages["invalid_choice"] = _("Deze soort bestaat niet. Kies er een uit de lijst.")
        self.fields["project"].error_messages["invalid_choice"] = _("Dit project bestaat niet (meer). Kies er een uit de lijst.")
        self.fields["wijk"].error_messages["invalid_choice"] = _("Deze wijk kennen we niet. Kies er een uit de lijst.")
        self.fields["thema"].error_messages["invalid_choice"] = _("Dit thema kennen we niet. Kies er een uit de lijst.")
        for name in ("van", "tot"):
            self.fields[name].error_messages["invalid"] = _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2025-03-31.")
        self.fields["q"].error_messages["max_length"] = _("Gebruik hoogstens %(max)d tekens.") % {"max": QUERY_MAX}

    def full_clean(self):
        # A theme typed in another case ("groen") is the theme itself.
        if self.is_bound and "thema" in self.data:
            data = self.data.copy()
            data["thema"] = self._themes.get(str(data.get("thema", "")).strip().lower(), data.get("thema"))
            self.data = data
        super().full_clean()

    def clean(self):
        data = super().clean()
        since, until = data.get("van"), data.get("tot")
        if since and until and since > until:
            self.add_error("tot", _("Deze datum ligt vóór de begindatum. Kies een latere datum."))
        return data

    def filters(self) -> MemoryFilters:
        data = self.cleaned_data
        return MemoryFilters(
            q=data.get("q") or "", kind=data.get("soort") or "", project_id=data.get("project"),
            area=data.get("wijk") or "", theme=data.get("thema") or "", since=data.get("van"), until=data.get("tot"),
        )


def search(request):
    """The memory's search page: a plain GET form (works without JavaScript), results with the
    kind, title, date, project and a passage with the matched words marked, paged."""
    projects = list(ProjectPage.objects.live().public().order_by("title").values_list("pk", "title"))
    kinds = memory_kind_labels()
    form = SearchForm(request.GET or None, kinds=kinds, projects=projects, areas=sources.areas(), themes=sources.themes())
    context = {"form": form, "kinds": kinds, "searched": False}
    if not request.GET:
        return render(request, "projects/search/search.html", context)
    if not form.is_valid():
        return render(request, "projects/search/search.html", context, status=400)
    filters = form.filters()
    context["filters"] = filters
    if not filters.any:
        return render(request, "projects/search/search.html", context)
    page_obj = MemoryPaginator(memory_search(filters), RESULTS_PER_PAGE).get_page(request.GET.get("pagina"))
    entries = list(page_obj.object_list)
    snippets = memory_snippets(entries, filters.q)
    titles = dict(projects)
    query = request.GET.copy()
    query.pop("pagina", None)
    context.update({
        "searched": True,
        "page_obj": page_obj,
        "count_cap": number_format(page_obj.paginator.cap, force_grouping=True),
        "results": [
            {"entry": e, "kind_label": kinds.get(e.kind, e.kind), "project_title": titles.get(e.project_id, ""),
             "snippet": snippets.get(e.pk, "")}
            for e in entries
        ],
        "query_string": query.urlencode(),
    })
    return render(request, "projects/search/search.html", context)
