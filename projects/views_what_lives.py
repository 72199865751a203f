"""The public "Wat leeft er" pages: the whole municipality and one area. The figures come from
``projects.what_lives``; the view only reads the period form and picks the template."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext

from . import what_lives


def period_choices():
    return [(str(m), ngettext("De laatste maand", "De laatste %(n)d maanden", m) % {"n": m} if m != 12
             else str(gettext_lazy("Het laatste jaar"))) for m in what_lives.PERIOD_CHOICES]


class PeriodForm(forms.Form):
    """The GET form of the period (and, in the council view, the wijk). A value outside the
    lists is a malformed request: the page answers 400 with the reason next to the field."""

    periode = forms.ChoiceField(
        label=gettext_lazy("Periode"), required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een periode uit de lijst.")},
    )

    def __init__(self, data, *, areas=None):
        super().__init__(data)
        self.fields["periode"].choices = period_choices()
        if areas is not None:
            self.fields["wijk"] = forms.ChoiceField(
                label=gettext_lazy("Wijk"), required=False,
                choices=[("", gettext_lazy("Alle wijken"))] + [(a.code, a.name) for a in areas],
                error_messages={"invalid_choice": gettext_lazy("Kies een wijk uit de lijst.")},
            )

    @property
    def months(self) -> int:
        value = self.cleaned_data.get("periode") if self.is_valid() else ""
        return what_lives.period_parse(value)

    @property
    def area_code(self) -> str:
        return (self.cleaned_data.get("wijk") or "") if self.is_valid() else ""


def _form(request, **kwargs):
    form = PeriodForm(request.GET or None, **kwargs)
    valid = form.is_valid() if form.is_bound else True
    if not form.is_bound:
        form = PeriodForm({"periode": str(what_lives.DEFAULT_MONTHS)}, **kwargs)
        form.is_valid()
    return form, valid


def what_lives_page(request):
    """ "Wat leeft er" in the whole municipality, with every wijk and its top themes."""
    form, valid = _form(request)
    period = what_lives.period_get(form.months)
    what_lives.depends_on_figures()
    counts = what_lives.counts_get(period)
    return render(request, "projects/what_lives/index.html", {
        "form": form, "figures": what_lives.summary(counts), "areas": what_lives.by_area(counts, top=1),
    }, status=200 if valid else 400)


def what_lives_area(request, code):
    area = what_lives.area_get(code)
    if area is None:
        raise Http404
    form, valid = _form(request)
    what_lives.depends_on_figures()
    counts = what_lives.counts_get(what_lives.period_get(form.months))
    return render(request, "projects/what_lives/area.html", {
        "form": form, "figures": what_lives.summary(counts, area=area), "area": area,
    }, status=200 if valid else 400)
