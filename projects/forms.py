"""Forms of the projects admin screens. Rules stay in the services; a form only carries input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import GoalOutcome


class GoalAssessmentForm(forms.Form):
    """ "Doel bereikt?": an outcome and an explanation per success criterion.

    Fields are named ``c<id>-outcome`` and ``c<id>-explanation``. Whether they are filled in
    is decided by ``services.goal_assess``; its errors come back through ``add_service_errors``.
    """

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            assessment = criterion.current_assessment
            # A CharField: whether the value is one of the outcomes is the service's to say.
            self.fields[f"c{criterion.pk}-outcome"] = forms.CharField(
                label=_("Oordeel"), required=False, widget=forms.RadioSelect(choices=GoalOutcome.choices),
                initial=assessment.outcome if assessment else None,
            )
            self.fields[f"c{criterion.pk}-explanation"] = forms.CharField(
                label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                initial=assessment.explanation if assessment else "",
                help_text=_("Waarom? Deze uitleg staat in het participatieverslag."),
            )

    def assessments(self) -> dict[int, tuple[str, str]]:
        """The input as the service takes it (unvalidated; the service decides)."""
        self.is_valid()  # fills cleaned_data; every field is optional here
        data = getattr(self, "cleaned_data", {})
        return {
            c.pk: (data.get(f"c{c.pk}-outcome") or "", data.get(f"c{c.pk}-explanation") or "")
            for c in self.criteria
        }

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.message_dict.items():
            field = f"c{key}" if key != "__all__" and f"c{key}" in self.fields else None
            for message in messages:
                self.add_error(field, message)

    def rows(self) -> list[dict]:
        """One row per criterion with its two bound fields, for the template."""
        return [
            {"criterion": c, "outcome": self[f"c{c.pk}-outcome"], "explanation": self[f"c{c.pk}-explanation"]}
            for c in self.criteria
        ]
