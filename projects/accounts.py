"""Accounts: the django-allauth adapter (account emails go through the outbox like every other
email) and the form with which a resident confirms deleting their account."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth import password_validation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    # Plain Dutch in the "u" form (allauth's own Dutch says "je") for what residents meet.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Dit account is niet actief."),
        "cannot_remove_primary_email": _("U kunt uw belangrijkste e-mailadres niet verwijderen."),
        "email_password_mismatch": _("Het e-mailadres of het wachtwoord klopt niet."),
        "email_taken": _("Er is al een account met dit e-mailadres."),
        "enter_current_password": _("Vul uw huidige wachtwoord in."),
        "incorrect_code": _("Deze code klopt niet. Kijk goed in de e-mail en probeer het opnieuw."),
        "incorrect_password": _("Dit wachtwoord klopt niet."),
        "invalid_or_expired_key": _("Deze link werkt niet meer."),
        "invalid_password_reset": _("Deze link werkt niet meer. Vraag een nieuwe link aan."),
        "unknown_email": _("Wij kennen dit e-mailadres niet."),
        "unverified_primary_email": _("Bevestig eerst uw e-mailadres."),
        "too_many_login_attempts": _(
            "U heeft het te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."
        ),
        "rate_limited": _("U doet dit te vaak achter elkaar. Wacht even en probeer het dan opnieuw."),
    }

    def send_mail(self, template_prefix, email, context):
        # allauth's own send_mail puts the address in the context; replacing it, so do we (without
        # it the "unknown account" mail could not say which address was tried). The plugin's
        # account/email/ templates give these mails the frame and signature of every other email.
        context = {"email": email, **context}
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        mail_queue(to=email, subject=message.subject, text=message.body, html=html)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 reworded this error and its Dutch catalogue still has only the old text, so
    residents saw it in English. Same rule, our own translatable message."""

    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d teken.",
            "Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens.",
            self.min_length,
        ) % {"min_length": self.min_length}


CONFIRM_WORD = "verwijderen"


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone, so the resident types a word to confirm."""

    confirm = forms.CharField(
        label=format_lazy(_("Typ het woord „{word}” om te bevestigen"), word=CONFIRM_WORD),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": format_lazy(_("Typ het woord „{word}”."), word=CONFIRM_WORD)},
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.lower() != CONFIRM_WORD:
            raise forms.ValidationError(
                _("U typte „%(value)s”. Typ precies het woord „%(word)s”."), params={"value": value, "word": CONFIRM_WORD}
            )
        return value
