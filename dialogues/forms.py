from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from projects.models import StakeholderGroup

from .models import RESIDENT_GROUP, AttendanceMode, Need, RegistrationStatus


def group_choices(session) -> list[tuple[str, str]]:
    """"Bewoner" and the stakeholder groups of the project the session's round sits under.

    One query: the groups are found by the parent's tree path, instead of fetching the parent
    page, then its specific page, then its groups (three queries on every registration)."""
    parent_path = session.round.path[: -Page.steplen]
    names = StakeholderGroup.objects.filter(project__path=parent_path).values_list("name", flat=True)
    return [(RESIDENT_GROUP, RESIDENT_GROUP)] + [(n, n) for n in names if n != RESIDENT_GROUP]


class PoolRadioSelect(forms.RadioSelect):
    """Radio buttons for the way of taking part; a full pool's button carries the notice that
    register.js reads out (``aria-live``) when it is chosen."""

    def __init__(self, *args, notices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices = notices or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.notices:
            option["attrs"]["data-full-notice"] = self.notices[value]
        return option


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Uw naam"), max_length=200)
    email = forms.EmailField(
        label=_("Uw e-mailadres"), max_length=254,
        help_text=_("U krijgt een e-mail met een link om uw aanmelding te bevestigen."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )
    stakeholder_group = forms.ChoiceField(label=_("Ik doe mee als"), widget=forms.RadioSelect)
    attendance_mode = forms.ChoiceField(label=_("Hoe doet u mee?"), widget=forms.RadioSelect, choices=AttendanceMode.choices)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=50, required=False,
                            help_text=_("Alleen als wij u moeten kunnen bellen, bijvoorbeeld bij een wijziging."))
    needs = forms.MultipleChoiceField(label=_("Heeft u iets nodig om mee te doen?"), choices=Need.choices,
                                      widget=forms.CheckboxSelectMultiple, required=False)
    needs_other = forms.CharField(label=_("Wat heeft u nog meer nodig?"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_("Ik geef toestemming dat de gemeente mijn gegevens gebruikt voor deze bijeenkomst. Na afloop worden ze gewist."),
        error_messages={"required": _("Zonder uw toestemming kunnen wij u niet aanmelden.")},
    )
    contact_consent = forms.BooleanField(label=_("Laat mij later weten wat er met de uitkomst is gedaan."), required=False)

    def __init__(self, *args, session, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["stakeholder_group"].choices = group_choices(session)
        self.fields["stakeholder_group"].error_messages["required"] = _("Kies hoe u meedoet.")
        self.fields["name"].error_messages["required"] = _("Vul uw naam in.")
        self.fields["email"].error_messages["required"] = _("Vul uw e-mailadres in.")
        modes = session.modes
        if len(modes) < 2:
            del self.fields["attendance_mode"]
        else:
            field = self.fields["attendance_mode"]
            field.error_messages["required"] = _("Kies: op locatie of online.")
            pools = session.seat_pools
            field.choices = [(pool.mode, pool.choice_label) for pool in pools]
            field.widget = PoolRadioSelect(choices=field.choices, notices={
                pool.mode: _("%(pool)s is vol. Kiest u dit, dan komt u op de wachtlijst. Komt er een plaats vrij, "
                             "dan krijgt u die automatisch en sturen we u een e-mail.") % {"pool": pool.label}
                for pool in pools if pool.full
            })
        if self.user is not None:
            # Logged in: one step, no email confirmation (the account's address is verified).
            del self.fields["email"]
            self.fields["name"].initial = self.user.get_full_name() or ""
            self.fields["name"].required = False

    def clean(self):
        data = super().clean()
        if Need.OTHER in data.get("needs", []) and not data.get("needs_other", "").strip():
            self.add_error("needs_other", _("Schrijf op wat u nodig heeft."))
        return data

    def chosen_mode(self) -> str:
        return self.cleaned_data.get("attendance_mode") or (self.session.modes[0] if self.session.modes else AttendanceMode.ONSITE)


class EvaluationForm(forms.Form):
    SCORES = [(str(i), str(i)) for i in range(1, 6)]
    heard = forms.TypedChoiceField(label=_("Voelde u zich gehoord? (1 = helemaal niet, 5 = helemaal wel)"), choices=SCORES,
                                   coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")})
    useful = forms.TypedChoiceField(label=_("Was het gesprek nuttig? (1 = helemaal niet, 5 = heel nuttig)"), choices=SCORES,
                                    coerce=int, widget=forms.RadioSelect,
                                    error_messages={"required": _("Kies een cijfer van 1 tot en met 5.")})
    comment = forms.CharField(label=_("Wat wilt u ons nog meegeven?"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False, max_length=2000)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    stakeholder_group = forms.ChoiceField(label=_("Groep"))

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_group"].choices = group_choices(session)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)


class CancelSessionForm(forms.Form):
    message = forms.CharField(label=_("Toelichting voor de deelnemers"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False, max_length=2000)


class StaffCancelForm(forms.Form):
    notify = forms.BooleanField(label=_("Stuur de persoon een e-mail"), required=False, initial=True,
                                help_text=_("De e-mail zegt dat de aanmelding is afgezegd."))


class OnBehalfForm(forms.Form):
    """A registration taken by staff (phone call, paper form). Email is optional: without it the
    person gets no mail at all, so staff tell them the details themselves."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    email = forms.EmailField(label=_("E-mail (niet verplicht)"), required=False,
                             help_text=_("Zonder e-mailadres krijgt de persoon geen bevestiging, herinnering of andere e-mail. "
                                         "Vertel de persoon dan zelf waar en wanneer de bijeenkomst is."))
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=50, required=False)
    stakeholder_group = forms.ChoiceField(label=_("Groep"))
    attendance_mode = forms.ChoiceField(label=_("Hoe doet de persoon mee?"), choices=AttendanceMode.choices)
    needs = forms.MultipleChoiceField(label=_("Ondersteuning"), choices=Need.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    needs_other = forms.CharField(label=_("Andere ondersteuning"), max_length=300, required=False)
    waitlist_when_full = forms.BooleanField(
        label=_("Op de wachtlijst als er geen plaats meer is"), required=False, initial=True,
        help_text=_("Zet dit uit als de persoon alleen wil komen als er een plaats is."),
    )
    consent_given_to_staff = forms.BooleanField(
        label=_("Toestemming gegeven aan medewerker"),
        help_text=_("De persoon heeft u toestemming gegeven om deze gegevens te gebruiken voor deze bijeenkomst."),
        error_messages={"required": _("Vraag de persoon om toestemming, en vink dit aan.")},
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_group"].choices = group_choices(session)
        modes = [(value, label) for value, label in AttendanceMode.choices if value in session.modes]
        self.fields["attendance_mode"].choices = modes
        if len(modes) == 1:
            self.fields["attendance_mode"].initial = modes[0][0]


REGISTRATION_FILTER_STATUSES = [("", _("Alle"))] + list(RegistrationStatus.choices)
