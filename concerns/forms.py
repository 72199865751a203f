from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Theme

from .models import MAX_CONCERNS, SENTENCE_MAX
from .selectors import wijk_list

ROWS = range(1, MAX_CONCERNS + 1)


class TopThreeForm(forms.Form):
    """The wijk, up to three (theme, sentence) rows, and an email for someone not logged in."""

    area = forms.ModelChoiceField(
        label=_("In welke wijk woont u?"), queryset=wijk_list(), empty_label=_("Kies uw wijk"),
        error_messages={"required": _("Kies uw wijk."), "invalid_choice": _("Kies een wijk uit de lijst.")},
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"), max_length=254,
        help_text=_("Wij sturen u een link. Pas als u daarop klikt, telt uw top-3 mee. Wij vragen niet om uw naam."),
        error_messages={"required": _("Vul uw e-mailadres in. Dan sturen wij u een link om te bevestigen."),
                        "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )
    keep_informed = forms.BooleanField(label=_("Laat mij later weten wat de gemeente met de top-3 van mijn wijk doet."), required=False)

    def __init__(self, *args, ask_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_email:
            del self.fields["email"]
        themes = Theme.objects.order_by("sort_order", "name")
        for i in ROWS:
            self.fields[f"theme_{i}"] = forms.ModelChoiceField(
                label=_("Thema"), queryset=themes, required=False, empty_label=_("Kies een thema"),
                error_messages={"invalid_choice": _("Kies een thema uit de lijst.")},
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Wat houdt u bezig? (één zin)"), max_length=SENTENCE_MAX, required=False,
                help_text=_("Hoogstens %(n)s tekens.") % {"n": SENTENCE_MAX},
                error_messages={"max_length": _("Schrijf hoogstens %(limit_value)d tekens. U schreef er %(show_value)d.")},
            )

    def rows(self):
        """The three (theme field, text field) pairs, for the template."""
        return [(i, self[f"theme_{i}"], self[f"text_{i}"]) for i in ROWS]

    def clean(self):
        data = super().clean()
        concerns = []
        for i in ROWS:
            theme, text = data.get(f"theme_{i}"), (data.get(f"text_{i}") or "").strip()
            if f"theme_{i}" in self.errors or f"text_{i}" in self.errors:
                continue
            if theme and not text:
                self.add_error(f"text_{i}", _("Schrijf in één zin wat u bezighoudt."))
            elif text and not theme:
                self.add_error(f"theme_{i}", _("Kies een thema bij deze zin."))
            elif theme and text:
                concerns.append((theme, text))
        if not concerns and not any(f"theme_{i}" in self.errors or f"text_{i}" in self.errors for i in ROWS):
            self.add_error("theme_1", _("Noem ten minste één onderwerp: kies een thema en schrijf er een zin bij."))
        data["concerns"] = concerns
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=_("De bewoner krijgt deze reden per e-mail, als wij een bevestigd e-mailadres hebben."),
        error_messages={"required": _("Schrijf op waarom deze top-3 is afgewezen.")},
    )
