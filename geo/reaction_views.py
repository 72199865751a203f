"""Public views for reactions: react or reply, report a reaction, stop the emails. Plain HTML
forms (POST, CSRF); errors appear next to the field on the initiative page, the text kept."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reaction_services
from .forms import ReactionForm
from .models import Reaction
from .ratelimit import rate_limit_hit
from .selectors import initiative_get_public
from .views import _public_initiative_or_404, _resident_required, initiative_detail_response


def _reply_to(request) -> int | None | bool:
    """The id of the reaction answered (None: a new reaction); False for a malformed value."""
    raw = request.POST.get("antwoord_op", "")
    if not raw:
        return None
    return int(raw) if raw.isdigit() else False


@require_POST
def react(request, pk: int):
    """POST /initiatief/<pk>/reageren/: a reaction, or a reply with ``antwoord_op``."""
    initiative = _public_initiative_or_404(pk)  # waiting or rejected: 404, as its page
    needed = _resident_required(request, _("te reageren"))
    if needed is not None:
        return needed
    reply_to = _reply_to(request)
    if reply_to is False:
        return HttpResponseBadRequest(_("antwoord_op moet het nummer van een reactie zijn."))
    parent = None
    if reply_to is not None:
        parent = Reaction.objects.filter(pk=reply_to, initiative=initiative).first()
        if parent is None:
            return HttpResponseBadRequest(_("De reactie waarop u antwoordt bestaat niet bij dit initiatief."))
        if parent.hidden_at is not None:  # the page offers no reply box there
            return HttpResponseBadRequest(_("Op een verborgen reactie kunt u niet reageren."))
    form = ReactionForm(request.POST, reply_to=parent.pk if parent else None)
    if form.is_valid():
        if rate_limit_hit(user=request.user, action="react"):
            form.add_error("body", _("U heeft net al veel reacties geplaatst. Probeer het over een paar minuten opnieuw."))
        else:
            try:
                reaction = reaction_services.reaction_create(initiative=initiative, author=request.user, body=form.cleaned_data["body"], parent=parent)
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    form.add_error("body", errors)
            else:
                messages.success(request, _("Bedankt! Uw reactie staat bij het initiatief."))
                return redirect(f"{initiative.get_absolute_url()}#reactie-{reaction.pk}")
    shown = initiative_get_public(pk, user=request.user)
    return initiative_detail_response(request, shown, reaction_form=form, status=400)


@require_POST
def reaction_report(request, pk: int, reaction_id: int):
    """POST /initiatief/<pk>/reacties/<id>/melden/: flag a reaction for the moderators."""
    initiative = _public_initiative_or_404(pk)
    reaction = get_object_or_404(Reaction, pk=reaction_id, initiative=initiative)
    needed = _resident_required(request, _("een reactie te melden"))
    if needed is not None:
        return needed
    back = f"{initiative.get_absolute_url()}#reactie-{reaction.pk}"
    if rate_limit_hit(user=request.user, action="report"):
        messages.error(request, _("U heeft al veel meldingen gedaan. Probeer het later opnieuw."))
        return redirect(back)
    try:
        reported = reaction_services.reaction_report(reaction=reaction, reporter=request.user)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    if reported:
        messages.success(request, _("Bedankt voor uw melding. Een moderator kijkt ernaar."))
    else:
        messages.info(request, _("U heeft deze reactie al gemeld."))
    return redirect(back)


def updates_stop(request, token: str):
    """The link in a reaction email: no more emails about this initiative, without logging in.
    GET shows a button (mail scanners follow links); POST stops the emails."""
    found = reaction_services.updates_stop_from_token(token)
    if found is None:
        return render(request, "geo/updates_stop.html", {"invalid": True}, status=404)
    initiative, user_id = found
    if request.method == "POST":
        reaction_services.updates_stop(initiative=initiative, user_id=user_id)
        return render(request, "geo/updates_stop.html", {"done": True, "initiative": initiative})
    return render(request, "geo/updates_stop.html", {"initiative": initiative})
