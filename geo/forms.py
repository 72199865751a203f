from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import geocoding
from .models import DESCRIPTION_MAX, MAX_PHOTOS, REACTION_MAX, TITLE_MAX, Area, Status, Theme
from .photos import photo_prepare
from .selectors import WITHOUT_PROJECT


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


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display().lower()})"


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
    # Needs no outside service and no JavaScript: the way left when the address search is down.
    place_area = AreaChoiceField(
        label=_("Of kies de wijk of buurt"), required=False, queryset=Area.objects.order_by("-kind", "name"),
        empty_label=_("Kies een wijk of buurt"),
        help_text=_("Weet u geen adres, of werkt de kaart niet? Kies dan de wijk of buurt. Wij zetten uw idee op een plek in dat gebied."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    no_location = forms.BooleanField(label=_("Mijn idee gaat niet over één plek"), required=False)
    photos = MultiplePhotoField(
        label=_("Foto's"), required=False,
        help_text=_("Hoogstens 3 foto's: JPEG, PNG of WebP, elk tot 10 MB. Wij halen de gegevens over plek en camera eruit."),
    )
    keep_informed = forms.BooleanField(label=_("Houd mij per e-mail op de hoogte van dit initiatief"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_area"].queryset = self.fields["place_area"].queryset.all()
        if not self.fields["place_area"].queryset.exists():  # a site without imported areas
            del self.fields["place_area"]
        else:
            self.fields["place_area"].error_messages["invalid_choice"] = _("Deze wijk of buurt bestaat niet (meer). Kies een andere.")

    def clean(self):
        data = super().clean()
        if data.get("no_location"):
            data["lat"] = data["lon"] = None
            data["place_area"] = None
            return data
        if data.get("lat") is not None and data.get("lon") is not None:
            data["place_area"] = None
            return data
        has_areas = "place_area" in self.fields
        address = (data.get("address") or "").strip()
        if not address:
            if data.get("place_area") is not None:
                return data  # the service puts the point inside the chosen area
            if "address" not in self.errors and "place_area" not in self.errors:
                self.add_error("address", _("Typ een adres, kies een wijk of buurt, of kies 'Mijn idee gaat niet over één plek'.") if has_areas
                               else _("Klik op de kaart, typ een adres of kies 'Mijn idee gaat niet over één plek'."))
            return data
        try:
            location = geocoding.geocode(address)
        except geocoding.GeocoderError as exc:
            if data.get("place_area") is not None:
                return data  # the typed address stays as a description of the place
            if not has_areas:
                self.add_error("address", str(exc))
            elif isinstance(exc, geocoding.AddressNotFound):
                self.add_error("address", _("Wij vinden dit adres niet. Controleer het adres, of kies hieronder de wijk of buurt."))
            else:
                # Without JavaScript there is no map to click: say what does work.
                self.add_error("address", _("Het zoeken op adres werkt nu niet. Kies hieronder de wijk of buurt, of kies 'Mijn idee gaat niet over één plek'."))
            return data
        data["place_area"] = None
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


class QueueFilterForm(forms.Form):
    """The moderation queue's filter (GET): one project, or the initiatives without one."""

    project = forms.ChoiceField(label=_("Project"), required=False)

    def __init__(self, *args, projects=(), without_project: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {str(p.pk): p for p in projects}
        self.fields["project"].choices = (
            [("", _("Alle projecten"))] + ([(WITHOUT_PROJECT, _("Zonder project"))] if without_project else [])
            + [(pk, p.title) for pk, p in self.projects.items()]
        )
        self.fields["project"].error_messages["invalid_choice"] = _("Dit project heeft geen initiatieven. Kies een ander project.")

    def selected_project(self):
        """What ``selectors.moderation_queue(project=...)`` takes."""
        if not self.is_valid() or not self.cleaned_data.get("project"):
            return None
        value = self.cleaned_data["project"]
        return WITHOUT_PROJECT if value == WITHOUT_PROJECT else self.projects[value]


class ReactionForm(forms.Form):
    """A reaction or, with ``parent``, a reply. Plain text: the page escapes it."""

    body = forms.CharField(
        label=_("Uw reactie"), max_length=REACTION_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hoogstens 2000 tekens. Zet hier geen namen, adressen of telefoonnummers in."),
        error_messages={"required": _("Schrijf uw reactie."), "max_length": _("Uw reactie is te lang: hoogstens %(limit_value)d tekens, u heeft er %(show_value)d.")},
    )

    def __init__(self, *args, reply_to: int | None = None, **kwargs):
        # One form per reply box: its own prefix keeps ids unique and errors at the right box.
        self.reply_to = reply_to
        super().__init__(*args, prefix=f"antwoord-{reply_to}" if reply_to else "reactie", **kwargs)
        if reply_to:
            self.fields["body"].label = _("Uw antwoord")


class ReactionHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (iedereen ziet deze bij de reactie)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf op waarom u deze reactie verbergt. Iedereen ziet die reden.")},
    )
