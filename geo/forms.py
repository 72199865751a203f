from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import geocoding
from .models import DESCRIPTION_MAX, MAX_PHOTOS, TITLE_MAX, Area, Status, Theme
from .photos import photo_prepare


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("U kunt hoogstens %(n)s foto's toevoegen.") % {"n": MAX_PHOTOS})
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(photo_prepare(f))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX, help_text=_("Kort en duidelijk, bijvoorbeeld: Bankje bij de speeltuin."))
    description = forms.CharField(
        label=_("Beschrijving"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat is uw idee? Waarom is het goed voor de buurt? Zet hier geen namen of telefoonnummers in."),
    )
    theme = forms.ModelChoiceField(label=_("Thema"), queryset=Theme.objects.order_by("sort_order", "name"), empty_label=_("Kies een thema"))
    address = forms.CharField(
        label=_("Adres of plek"), max_length=255, required=False,
        help_text=_("Typ een adres, of klik op de kaart. Bijvoorbeeld: Plein 1, Houten."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    no_location = forms.BooleanField(label=_("Mijn idee gaat niet over één plek"), required=False)
    photos = MultiplePhotoField(
        label=_("Foto's"), required=False,
        help_text=_("Hoogstens 3 foto's: JPEG, PNG of WebP, elk tot 10 MB. Wij halen de gegevens over plek en camera eruit."),
    )
    keep_informed = forms.BooleanField(label=_("Houd mij per e-mail op de hoogte van dit initiatief"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("no_location"):
            data["lat"] = data["lon"] = None
            return data
        if data.get("lat") is not None and data.get("lon") is not None:
            return data
        address = (data.get("address") or "").strip()
        if not address:
            if "address" not in self.errors:
                self.add_error("address", _("Klik op de kaart, typ een adres of kies 'Mijn idee gaat niet over één plek'."))
            return data
        try:
            location = geocoding.geocode(address)
        except geocoding.GeocoderError as exc:
            self.add_error("address", str(exc))
            return data
        data["lat"], data["lon"] = location.lat, location.lon
        data["address"] = location.label or address
        return data


class FilterForm(forms.Form):
    """The filters of the map and the list (a plain GET form)."""

    theme = forms.ModelChoiceField(label=_("Thema"), queryset=Theme.objects.order_by("sort_order", "name"), required=False, empty_label=_("Alle thema's"))
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Alle statussen"))] + list(Status.choices), required=False)
    area = forms.ModelChoiceField(label=_("Wijk"), queryset=Area.objects.only("pk", "name").order_by("name"), required=False, empty_label=_("Alle wijken"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluate the choices once per request (the list and the map share the form).
        self.fields["theme"].queryset = self.fields["theme"].queryset.all()
        self.fields["area"].queryset = self.fields["area"].queryset.all()
        for name in ("theme", "area"):
            self.fields[name].error_messages["invalid_choice"] = _("Deze keuze bestaat niet (meer). Kies een andere.")

    def filter_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        return {"theme": self.cleaned_data.get("theme"), "status": self.cleaned_data.get("status") or None, "area": self.cleaned_data.get("area")}


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Wat is er niet goed aan dit initiatief?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: er staan persoonlijke gegevens in, of het is kwetsend."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reden (de indiener krijgt deze per e-mail)"), widget=forms.Textarea(attrs={"rows": 4}))


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=Status.choices)
    answer = forms.CharField(label=_("Antwoord (openbaar)"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_status"].choices = [(v, l) for v, l in Status.choices if v in allowed]


class ModeratorEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    description = forms.CharField(label=_("Beschrijving"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    theme = forms.ModelChoiceField(label=_("Thema"), queryset=Theme.objects.all())
    address = forms.CharField(label=_("Adres"), max_length=255, required=False)
    lat = forms.FloatField(label=_("Breedtegraad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Lengtegraad"), required=False, min_value=-180, max_value=180)
    no_location = forms.BooleanField(label=_("Geen specifieke plek"), required=False)
    note = forms.CharField(label=_("Notitie: wat heeft u aangepast en waarom?"), widget=forms.Textarea(attrs={"rows": 3}))
