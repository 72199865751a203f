"""Public pages for initiatives: the map with its list, the detail page, submit, support, report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects import page_cache
from projects.selectors import live_public
from projects.conf import plugin_setting, site_config
from projects.models import ProjectPage

from . import services
from .cache_tags import INITIATIVES, initiative_tag
from .forms import FilterForm, InitiativeForm, ReactionForm, ReportForm
from .models import Initiative, Moderation
from .ratelimit import rate_limit_hit
from .reactions import reaction_thread
from .selectors import initiative_get_own_unpublished, initiative_get_public, initiative_list_public, map_page_get

PAGE_SIZE = 20


def map_labels() -> dict:
    """Leaflet's own texts, in Dutch (and translatable): geo.js hands them to every map."""
    return {
        "zoom_in": _("Inzoomen"),
        "zoom_out": _("Uitzoomen"),
        "attribution_prefix": '<a href="https://leafletjs.com" title="%s">Leaflet</a>' % _("Een programma voor kaarten op websites"),
        "picked": _("Plek gekozen op de kaart."),
        "moved": _("De speld is verplaatst. Deze plek sturen wij mee."),
        "marker": _("Gekozen plek. Versleep de speld om de plek te veranderen."),
        "address_pending": _("Wij zoeken dit adres op als u het formulier verstuurt."),
        "area_pending": _("Wij zetten uw idee op een plek in de gekozen wijk of buurt."),
        "not_found": _("Wij vinden dit adres niet. Controleer het adres, klik op de kaart of kies een wijk of buurt."),
        "search_down": _("Het zoeken op adres werkt nu niet. Klik op de kaart of kies een wijk of buurt."),
        "chosen": _("Gekozen:"),
        # geo.js puts the number of initiatives in a group in place of {n}.
        "cluster": _("{n} initiatieven. Klik om in te zoomen."),
        # The popup of one initiative: its visible reactions ({n} is the number).
        "reactions_one": _("1 reactie"),
        "reactions": _("{n} reacties"),
    }


def _map_base_config(request) -> dict:
    config = site_config(request)
    return {
        "center": list(config.map_center),
        "zoom": config.map_zoom,
        "bounds": list(config.map_bounds) if config.map_bounds else None,
        "tiles_url": plugin_setting("MAP_TILES_URL"),
        "tiles_attribution": plugin_setting("MAP_TILES_ATTRIBUTION"),
        "labels": map_labels(),
    }


def map_url() -> str:
    page = map_page_get()
    return page.url if page is not None else reverse("geo:map")


def _project_or_404(project_id: int) -> ProjectPage:
    return get_object_or_404(live_public(ProjectPage.objects), pk=project_id)


def map_page(request, *, page=None, project_id: int | None = None):
    """The map of all initiatives (or a project's), with filters and the list beside it."""
    project = _project_or_404(project_id) if project_id is not None else None
    page_cache.depends_on(page_cache.SITE, page_cache.project_tag(project.pk) if project else INITIATIVES)
    form = FilterForm(request.GET or None)
    filters = form.filter_kwargs() if request.GET else {}
    initiatives = initiative_list_public(project=project, **filters)
    paginator = Paginator(initiatives, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("pagina"))
    query = {k: v for k, v in request.GET.items() if k in ("theme", "status", "area") and v}
    map_config = _map_base_config(request)
    map_config.update(
        layer_url=reverse("geo:api_initiatives"),
        areas_url=reverse("geo:api_areas"),
        detail_url=reverse("geo:initiative_detail", args=[0]),
        filters={**(query if form.is_bound and form.is_valid() else {}), **({"project": str(project.pk)} if project else {})},
        area=project.area if project is not None and project.area else None,
    )
    submit_url = reverse("geo:initiative_create") + (f"?project={project.pk}" if project else "")
    return render(
        request,
        "geo/map_page.html",
        {
            "page": page, "project": project, "filter_form": form, "page_obj": page_obj, "paginator": paginator,
            "filter_query": urlencode(query), "map_config": map_config, "submit_url": submit_url,
            "title": page.title if page else (_("Initiatieven bij %(project)s") % {"project": project.title} if project else _("Initiatieven op de kaart")),
        },
    )


def municipality_map(request):
    return map_page(request, page=map_page_get())


def project_map(request, project_id: int):
    return map_page(request, project_id=project_id)


def initiative_detail(request, pk: int):
    """The public page of an initiative. Its submitter also sees it while it waits for
    moderation or after it was rejected (the link in the receipt email), marked as such."""
    initiative = initiative_get_public(pk, user=request.user)
    own_unpublished = initiative is None
    if own_unpublished:
        initiative = initiative_get_own_unpublished(pk, user=request.user)
    if initiative is None:
        raise Http404(_("Dit initiatief bestaat niet of is (nog) niet openbaar."))
    if not own_unpublished:
        page_cache.depends_on(page_cache.SITE, initiative_tag(initiative.pk))
    return initiative_detail_response(request, initiative, own_unpublished=own_unpublished)


def initiative_detail_response(request, initiative: Initiative, *, own_unpublished: bool = False, reaction_form=None, status: int = 200):
    """Render the initiative page; ``reaction_form`` is a bound form with errors to show in
    place (the main box, or the reply box of the reaction it answers)."""
    thread = [] if own_unpublished else reaction_thread(initiative, user=request.user)
    bound_reply_to = getattr(reaction_form, "reply_to", None)
    for item in thread:
        if item.reaction.hidden_at is None:
            item.reply_form = reaction_form if bound_reply_to == item.reaction.pk else ReactionForm(reply_to=item.reaction.pk)
    can_react = request.user.is_authenticated and services.user_is_verified(request.user)
    response = render(
        request,
        "geo/initiative_detail.html",
        {
            "initiative": initiative, "photos": list(initiative.photos.all()),
            "history": [] if own_unpublished else list(initiative.status_changes.all()),
            "own_unpublished": own_unpublished, "can_moderate": services.user_can_moderate(request.user, initiative), "map_url": map_url(),
            "map_config": {**_map_base_config(request), "point": [initiative.lat, initiative.lon]} if initiative.lat is not None else None,
            "thread": thread, "can_react": can_react,
            "reaction_form": reaction_form if reaction_form is not None and bound_reply_to is None else ReactionForm(),
            "reaction_login_url": reverse("account_login") + "?" + urlencode({"next": initiative.get_absolute_url() + "#reacties"}),
        },
        status=status,
    )
    if own_unpublished:
        # Only its submitter sees this page: no search engine, no shared cache.
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def _resident_required(request, action: str):
    """None if the user may act; else the friendly "log in first" page."""
    if request.user.is_authenticated and services.user_is_verified(request.user):
        return None
    return render(
        request, "geo/login_needed.html",
        {"action": action, "login_url": reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}),
         "unverified": request.user.is_authenticated},
        status=403 if request.user.is_authenticated else 200,
    )


def initiative_create(request):
    project = None
    if request.GET.get("project"):
        try:
            project = _project_or_404(int(request.GET["project"]))
        except ValueError:
            raise Http404 from None
    needed = _resident_required(request, _("een initiatief in te dienen"))
    if needed is not None:
        return needed
    if request.method == "POST":
        form = InitiativeForm(request.POST, request.FILES)
        if form.is_valid():
            if rate_limit_hit(user=request.user, action="submit"):
                form.add_error(None, _("U heeft net al een paar initiatieven ingediend. Probeer het over een uur opnieuw."))
            else:
                data = form.cleaned_data
                try:
                    initiative = services.initiative_create(
                        submitter=request.user, title=data["title"], description=data["description"], theme=data["theme"],
                        lat=data.get("lat"), lon=data.get("lon"), no_location=data["no_location"], address=data.get("address") or "",
                        project=project, photos=data.get("photos") or [], keep_informed=data["keep_informed"],
                        place_area=data.get("place_area"), site=getattr(request, "site", None),
                    )
                except ValidationError as exc:
                    by_area = data.get("place_area") is not None and "place_area" in form.fields
                    for field, errors in exc.message_dict.items():
                        target = ("place_area" if by_area else "address") if field in ("location", "lat", "lon") else field
                        form.add_error(target if target in form.fields else None, errors)
                else:
                    if initiative.is_public:
                        messages.success(request, _("Bedankt! Uw initiatief staat op de kaart."))
                        return redirect(initiative.get_absolute_url())
                    messages.success(request, _("Bedankt! Wij kijken eerst naar uw initiatief. Daarna zetten wij het op de kaart. U krijgt een e-mail."))
                    return redirect(reverse("geo:project_map", args=[project.pk]) if project else map_url())
    else:
        form = InitiativeForm()
    map_config = _map_base_config(request)
    map_config.update(
        suggest_url=reverse("geo:api_address"), lookup_url=reverse("geo:api_address_lookup"),
        area=project.area if project is not None and project.area else None,
    )
    photos_lost = request.method == "POST" and bool(request.FILES) and form.errors
    return render(
        request, "geo/initiative_form.html",
        {"form": form, "project": project, "map_config": map_config, "photos_lost": photos_lost, "map_url": map_url()},
        status=400 if request.method == "POST" else 200,
    )


def _public_initiative_or_404(pk: int) -> Initiative:
    return get_object_or_404(Initiative, pk=pk, moderation=Moderation.PUBLISHED)


@require_POST
def support(request, pk: int):
    initiative = _public_initiative_or_404(pk)
    needed = _resident_required(request, _("een initiatief te steunen"))
    if needed is not None:
        return needed
    if rate_limit_hit(user=request.user, action="support"):
        messages.error(request, _("U heeft heel vaak geklikt. Probeer het over een paar minuten opnieuw."))
    elif services.support_add(initiative=initiative, user=request.user, keep_informed=bool(request.POST.get("keep_informed"))):
        messages.success(request, _("Bedankt voor uw steun!"))
    else:
        messages.info(request, _("U steunt dit initiatief al."))
    return redirect(initiative.get_absolute_url())


@require_POST
def unsupport(request, pk: int):
    initiative = _public_initiative_or_404(pk)
    needed = _resident_required(request, _("uw steun in te trekken"))
    if needed is not None:
        return needed
    if rate_limit_hit(user=request.user, action="support"):
        messages.error(request, _("U heeft heel vaak geklikt. Probeer het over een paar minuten opnieuw."))
    elif services.support_remove(initiative=initiative, user=request.user):
        messages.success(request, _("U steunt dit initiatief niet meer."))
    return redirect(initiative.get_absolute_url())


def report(request, pk: int):
    initiative = _public_initiative_or_404(pk)
    needed = _resident_required(request, _("een initiatief te melden"))
    if needed is not None:
        return needed
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(user=request.user, action="report"):
            form.add_error(None, _("U heeft al veel meldingen gedaan. Probeer het later opnieuw."))
        else:
            try:
                services.report_create(initiative=initiative, reporter=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc.message_dict.get("reason", exc.messages))
            else:
                messages.success(request, _("Bedankt voor uw melding. Een moderator kijkt ernaar."))
                return redirect(initiative.get_absolute_url())
    return render(request, "geo/report_form.html", {"form": form, "initiative": initiative}, status=400 if form.errors else 200)
