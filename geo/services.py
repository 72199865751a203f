"""Writes about initiatives. Views, the admin, jobs and the demo all call these.

Every write that changes what the public map shows keeps ``MapCell`` in step inside the
same transaction (``clustering.cells_track``).
"""

from __future__ import annotations

from typing import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from wagtail.log_actions import log

from projects import page_cache
from projects.conf import absolute_url, site_config
from projects.jobs import enqueue
from projects.mail import mail_send
from projects.memory import memory_keys_about
from projects.permissions import can_moderate
from projects.sources import CommitmentStatus, memory_changed

from . import clustering
from .cache_tags import INITIATIVES, initiative_tag, initiatives_changed
from .selectors import MODERATE_PERMISSION
from .models import (
    MAX_PHOTOS, Area, GeoSettings, Initiative, InitiativePhoto, Moderation, Report, Status, StatusChange, Support, Theme,
)

# The public status may only move along these arrows; each move needs a written answer.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.INGEDIEND: {Status.IN_BEHANDELING, Status.OVERGENOMEN, Status.DEELS_OVERGENOMEN, Status.NIET_OVERGENOMEN},
    Status.IN_BEHANDELING: {Status.OVERGENOMEN, Status.DEELS_OVERGENOMEN, Status.NIET_OVERGENOMEN},
    Status.OVERGENOMEN: {Status.UITGEVOERD},
    Status.DEELS_OVERGENOMEN: {Status.UITGEVOERD},
    Status.NIET_OVERGENOMEN: {Status.IN_BEHANDELING},
    Status.UITGEVOERD: set(),
}


def user_is_verified(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def user_can_moderate(user, initiative: Initiative | None = None) -> bool:
    """Who moderates and answers initiatives (the scope: ``selectors.moderation_scope``).
    Without ``initiative``: whether the user may open the moderation queue at all."""
    return can_moderate(user, MODERATE_PERMISSION, initiative)


def area_for_point(*, lat: float, lon: float) -> Area | None:
    """The wijk (else buurt) containing the point: bounding boxes in SQL, then shapely."""
    candidates = Area.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon).order_by("-kind", "code")
    point = Point(lon, lat)
    for area in candidates:  # "wijk" sorts after "buurt"; -kind puts wijken first
        try:
            if shape(area.geometry).covers(point):
                return area
        except Exception:  # noqa: BLE001 - a broken stored shape must not block submitting
            continue
    return None


def _initiative_area(*, lat: float, lon: float, chosen: Area | None) -> Area | None:
    # The wijk the resident chose is theirs even where imported wijken overlap; for a buurt,
    # the wijk around it (else the buurt itself).
    if chosen is not None and chosen.kind == Area.Kind.WIJK:
        return chosen
    return area_for_point(lat=lat, lon=lon) or chosen


def area_point(*, area: Area, project=None) -> tuple[float, float]:
    """A point for an initiative placed by choosing a wijk or buurt instead of a map click or an
    address (no JavaScript, or the address search is down): a point that lies inside the area,
    and inside the project's area where the two overlap. Returns (lat, lon)."""
    geometry = shape(area.geometry)
    if project is not None and project.area:
        geometry = geometry.intersection(shape(project.area))
        if geometry.is_empty or geometry.area == 0:
            raise ValidationError({"location": _("%(area)s ligt niet in het gebied van het project. Kies een andere wijk of buurt.") % {"area": area.name}})
    # representative_point, unlike the centroid, always lies inside (a U-shaped wijk too).
    point = geometry.representative_point()
    return point.y, point.x


def location_validate(*, lat: float | None, lon: float | None, no_location: bool, project=None, site=None) -> None:
    """Raise ValidationError({"location": ...}) unless the point is usable for this initiative."""
    if no_location:
        return
    if lat is None or lon is None:
        raise ValidationError({"location": _("Kies een plek op de kaart, vul een adres in of kies 'geen specifieke plek'.")})
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"location": _("Deze plek bestaat niet. Kies een plek op de kaart.")})
    config = site_config(site=site)
    if not config.contains(lat, lon):
        # "de gemeente Lindewaard", never "de gemeente Gemeente Lindewaard" (see SiteConfig.place_name).
        if config.place_name:
            message = _("Deze plek ligt buiten de gemeente %(name)s. Kies een plek binnen de gemeente.") % {"name": config.place_name}
        else:
            message = _("Deze plek ligt buiten de gemeente. Kies een plek binnen de gemeente.")
        raise ValidationError({"location": message})
    if project is not None and project.area:
        if not shape(project.area).covers(Point(lon, lat)):
            raise ValidationError({"location": _("Deze plek ligt buiten het gebied van het project. Kies een plek binnen het projectgebied.")})


def _moderation_mode(site=None) -> str:
    from wagtail.models import Site

    site = site or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return GeoSettings.Mode.PRE
    return GeoSettings.for_site(site).moderation_mode


@transaction.atomic
def initiative_create(
    *,
    submitter,
    title: str,
    description: str,
    theme: Theme,
    lat: float | None = None,
    lon: float | None = None,
    no_location: bool = False,
    address: str = "",
    project=None,
    photos: Iterable = (),
    keep_informed: bool = False,
    place_area: Area | None = None,
    site=None,
) -> Initiative:
    """Store a resident's initiative (pre- or post-moderated as the site setting says).
    ``photos`` are files already cleaned by ``photos.photo_prepare``. Without a point,
    ``place_area`` (a wijk or buurt the resident chose) gives one inside that area."""
    if not user_is_verified(submitter):
        raise PermissionDenied(_("Log in met een bevestigd e-mailadres om een initiatief in te dienen."))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("U kunt hoogstens %(n)s foto's toevoegen.") % {"n": MAX_PHOTOS}})
    if no_location:
        lat = lon = None
    elif (lat is None or lon is None) and place_area is not None:
        lat, lon = area_point(area=place_area, project=project)
    else:
        place_area = None
    location_validate(lat=lat, lon=lon, no_location=no_location, project=project, site=site)
    published = _moderation_mode(site) == GeoSettings.Mode.POST
    initiative = Initiative(
        title=title.strip(), description=description.strip(), theme=theme, lat=lat, lon=lon, no_location=no_location,
        address=address.strip(), project=project, submitter=submitter, keep_informed=keep_informed,
        area=None if no_location else _initiative_area(lat=lat, lon=lon, chosen=place_area),
        moderation=Moderation.PUBLISHED if published else Moderation.PENDING,
        published_at=timezone.now() if published else None,
    )
    initiative.full_clean()
    initiative.save()
    for i, content in enumerate(photos):
        photo = InitiativePhoto(initiative=initiative, sort_order=i, width=getattr(content, "width", 0), height=getattr(content, "height", 0))
        photo.image.save(content.name, content, save=False)
        photo.save()
    clustering.cells_track(None, clustering.map_position(initiative))
    if published:
        memory_changed([_memory_key(initiative)])
    mail_send(
        to=submitter.email, template="geo/email/initiative_received",
        context={"initiative": initiative, "published": published, "url": absolute_url(initiative.get_absolute_url())},
    )
    return initiative


# What a moderator may correct; the audit log names the ones that changed.
EDITABLE_FIELDS = ("title", "description", "theme_id", "lat", "lon", "no_location", "address", "area_id")


def _memory_key(initiative: Initiative) -> str:
    """The initiative's key in the search (geo.sources: memory_documents)."""
    return f"initiative:{initiative.pk}"


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _moderator_check(user, initiative: Initiative) -> None:
    # The admin checks too; this makes every caller (views, jobs, the demo) obey the same rule.
    if not user_can_moderate(user, initiative):
        raise PermissionDenied(_("U mag dit initiatief niet modereren."))


@transaction.atomic
def initiative_publish(*, initiative: Initiative, moderator) -> Initiative:
    """Make the initiative public and close its open reports; tell the submitter when it
    goes public now. On one that is already public this only closes the reports ("laat staan")."""
    _moderator_check(moderator, initiative)
    initiative = _locked(initiative)
    was_public = initiative.moderation == Moderation.PUBLISHED
    before = clustering.map_position(initiative)
    initiative.moderation = Moderation.PUBLISHED
    initiative.rejection_reason = ""
    initiative.published_at = initiative.published_at or timezone.now()
    initiative.save(update_fields=["moderation", "rejection_reason", "published_at"])
    resolved = initiative.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    clustering.cells_track(before, clustering.map_position(initiative))
    memory_changed([_memory_key(initiative)])
    if was_public:
        if resolved:
            log(instance=initiative, action="geo.initiative_reports_resolve", user=moderator, data={"reports": resolved})
        return initiative
    log(instance=initiative, action="geo.initiative_publish", user=moderator, data={"reports": resolved})
    if initiative.submitter_id and initiative.submitter.email:
        mail_send(
            to=initiative.submitter.email, template="geo/email/initiative_published",
            context={"initiative": initiative, "url": absolute_url(initiative.get_absolute_url())},
        )
    return initiative


@transaction.atomic
def initiative_reject(*, initiative: Initiative, moderator, reason: str) -> Initiative:
    """Hide the initiative and email the submitter why."""
    _moderator_check(moderator, initiative)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom het initiatief is afgewezen.")})
    initiative = _locked(initiative)
    before = clustering.map_position(initiative)
    initiative.moderation = Moderation.REJECTED
    initiative.rejection_reason = reason
    initiative.save(update_fields=["moderation", "rejection_reason"])
    resolved = initiative.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    clustering.cells_track(before, None)
    memory_changed([_memory_key(initiative)])
    log(instance=initiative, action="geo.initiative_reject", user=moderator, data={"reason": reason, "reports": resolved})
    if initiative.submitter_id and initiative.submitter.email:
        mail_send(to=initiative.submitter.email, template="geo/email/initiative_rejected", context={"initiative": initiative, "reason": reason})
    return initiative


@transaction.atomic
def initiative_edit_by_moderator(
    *, initiative: Initiative, moderator, note: str, title: str, description: str, theme: Theme,
    lat: float | None, lon: float | None, no_location: bool, address: str = "",
) -> Initiative:
    """Correct an initiative (for example remove personal details) and say why in a note."""
    _moderator_check(moderator, initiative)
    if not note.strip():
        raise ValidationError({"note": _("Schrijf kort op wat u heeft aangepast en waarom.")})
    initiative = _locked(initiative)
    if no_location:
        lat = lon = None
    location_validate(lat=lat, lon=lon, no_location=no_location, project=initiative.project)
    before = clustering.map_position(initiative)
    old = {name: getattr(initiative, name) for name in EDITABLE_FIELDS}
    initiative.title, initiative.description, initiative.theme = title.strip(), description.strip(), theme
    initiative.lat, initiative.lon, initiative.no_location, initiative.address = lat, lon, no_location, address.strip()
    initiative.area = None if no_location else area_for_point(lat=lat, lon=lon)
    stamp = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    initiative.moderator_note = (f"{initiative.moderator_note}\n" if initiative.moderator_note else "") + f"{stamp}: {note.strip()}"
    initiative.full_clean()
    initiative.save()
    clustering.cells_track(before, clustering.map_position(initiative))
    # Field names only: the old and new texts may hold the personal details that were removed.
    changed = [name for name in EDITABLE_FIELDS if getattr(initiative, name) != old[name]]
    memory_changed([_memory_key(initiative)])
    log(instance=initiative, action="geo.initiative_edit", user=moderator, data={"fields": changed})
    return initiative


@transaction.atomic
def initiative_set_status(*, initiative: Initiative, to_status: str, answer: str, by) -> StatusChange:
    """The one place that changes an initiative's public status, with a written answer.
    Keeps the change as public history and emails the submitter and supporters (job)."""
    _moderator_check(by, initiative)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Schrijf een antwoord. Dat ziet iedereen bij het initiatief.")})
    initiative = _locked(initiative)
    if initiative.moderation != Moderation.PUBLISHED:
        raise ValidationError({"to_status": _("Publiceer het initiatief eerst.")})
    if to_status not in ALLOWED_TRANSITIONS.get(initiative.status, set()):
        raise ValidationError(
            {"to_status": _("Van '%(from)s' kan de status niet naar '%(to)s'.") % {
                "from": Status(initiative.status).label, "to": Status(to_status).label if to_status in Status.values else to_status}}
        )
    change = StatusChange.objects.create(initiative=initiative, from_status=initiative.status, to_status=to_status, answer=answer, changed_by=by)
    before = clustering.map_position(initiative)
    initiative.status = to_status
    initiative.answer = answer
    initiative.answered_at = initiative.answered_at or change.created_at
    fields = ["status", "answer", "answered_at"]
    if to_status == Status.UITGEVOERD:
        # Carried out means the execution is done (geo/execution.py: not the other way round).
        initiative.execution_status, initiative.execution_updated_at = CommitmentStatus.DONE, change.created_at
        fields += ["execution_status", "execution_updated_at"]
    initiative.save(update_fields=fields)
    clustering.cells_track(before, clustering.map_position(initiative))  # the map's status filter
    memory_changed([_memory_key(initiative)])
    log(instance=initiative, action="geo.initiative_status", user=by, data={"from": change.from_status, "to": to_status})
    from .tasks import status_change_notify

    enqueue(status_change_notify, change.pk)
    return change


@transaction.atomic
def support_add(*, initiative: Initiative, user, keep_informed: bool = False) -> bool:
    """Support an initiative once. Returns False if the user already did. The unique
    constraint decides under simultaneous clicks; the counter moves with F()."""
    if not user_is_verified(user):
        raise PermissionDenied(_("Log in met een bevestigd e-mailadres om een initiatief te steunen."))
    locked = _locked(initiative)
    if locked.moderation != Moderation.PUBLISHED:
        raise ValidationError(_("Dit initiatief kunt u (nog) niet steunen."))
    try:
        with transaction.atomic():
            Support.objects.create(initiative=locked, user=user, keep_informed=keep_informed)
    except IntegrityError:
        return False
    Initiative.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def support_remove(*, initiative: Initiative, user) -> bool:
    """Withdraw a support. Returns False if there was none."""
    _locked(initiative)
    deleted, _detail = Support.objects.filter(initiative=initiative, user=user).delete()
    if deleted:
        Initiative.objects.filter(pk=initiative.pk, support_count__gt=0).update(support_count=F("support_count") - 1)
    return bool(deleted)


@transaction.atomic
def report_create(*, initiative: Initiative, reporter, reason: str) -> Report:
    """Flag an initiative as inappropriate; it shows up in the moderators' queue."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort op wat er niet goed is aan dit initiatief.")})
    if Report.objects.filter(initiative=initiative, reporter=reporter, resolved_at__isnull=True).exists():
        raise ValidationError({"reason": _("U heeft dit initiatief al gemeld. Wij kijken ernaar.")})
    return Report.objects.create(initiative=initiative, reporter=reporter, reason=reason[:1000])


@transaction.atomic
def personal_data_erase(*, user) -> None:
    """AVG: detach the user from their initiatives (which stay public, anonymous) and make
    their supports anonymous, so support counts stay equal to the support rows."""
    # The reach of their projects counts one person less.
    initiatives_changed(Initiative.objects.filter(Q(submitter=user) | Q(supports__user=user)).distinct().only("pk", "project_id"))
    Initiative.objects.filter(submitter=user).update(submitter=None, keep_informed=False)
    Support.objects.filter(user=user).update(user=None, keep_informed=False)
    Report.objects.filter(reporter=user).update(reporter=None)


def status_change_url(initiative: Initiative) -> str:
    return absolute_url(reverse("geo:initiative_detail", args=[initiative.pk]))


CODE_FIELDS = ("wijkcode", "buurtcode", "statcode", "code", "WK_CODE", "BU_CODE")
NAME_FIELDS = ("wijknaam", "buurtnaam", "statnaam", "naam", "name", "WK_NAAM", "BU_NAAM")


@transaction.atomic
def area_import(*, data: dict, kind: str | None = None, code_field: str = "", name_field: str = "") -> dict:
    """Create or update areas (by code) from a GeoJSON FeatureCollection. All or nothing:
    one invalid feature stops the import with a Dutch message naming it."""
    from projects.geometry import geometry_bbox, geometry_validate

    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise ValidationError(_("Het bestand is geen GeoJSON FeatureCollection."))
    created = updated = 0
    names_before = dict(Area.objects.values_list("code", "name"))  # a municipality has hundreds at most
    renamed: list[str] = []  # what the search says about these areas changes with their name
    for number, feature in enumerate(data["features"], start=1):
        props = (feature or {}).get("properties") or {}
        code = str(props.get(code_field) if code_field else next((props[f] for f in CODE_FIELDS if props.get(f)), "") or "").strip()
        name = str(props.get(name_field) if name_field else next((props[f] for f in NAME_FIELDS if props.get(f)), "") or "").strip()
        if not code or not name:
            raise ValidationError(_("Gebied %(n)s heeft geen code of naam.") % {"n": number})
        area_kind = kind or ("buurt" if code.upper().startswith("BU") else "wijk")
        geometry = feature.get("geometry")
        try:
            geometry_validate(geometry)
        except ValidationError as exc:
            raise ValidationError(_("Gebied %(n)s (%(code)s): %(reason)s") % {"n": number, "code": code, "reason": " ".join(exc.messages)}) from None
        if not geometry:
            raise ValidationError(_("Gebied %(n)s (%(code)s) heeft geen vorm.") % {"n": number, "code": code})
        min_lon, min_lat, max_lon, max_lat = geometry_bbox(geometry)
        _area, was_created = Area.objects.update_or_create(
            code=code,
            defaults={"name": name[:200], "kind": area_kind, "geometry": geometry,
                      "min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat},
        )
        created += was_created
        updated += not was_created
        if code in names_before and names_before[code] != name[:200]:
            renamed.append(code)
    area_memory_refresh(codes=renamed)
    return {"created": created, "updated": updated}


@transaction.atomic
def theme_memory_refresh(*, names) -> None:
    """A theme was renamed (the admin's snippet form saves it through Wagtail's generic
    views): every document in the search filed under the old or the new name is read again
    (an initiative's themes, a Top-3's sentences, a session tag of that name), in the edit's
    transaction."""
    memory_changed(memory_keys_about(themes=[n for n in names if n]))


@transaction.atomic
def area_memory_refresh(*, codes) -> None:
    """A wijk or buurt was renamed or got another code: the search re-reads what it says
    about the area (a Top-3's document names it, an initiative's wijk filter uses its code)."""
    memory_changed(memory_keys_about(areas=[c for c in codes if c]))


@transaction.atomic
def initiative_areas_refresh() -> int:
    """Recompute the area of every initiative with a point (after importing new areas)."""
    changed: list[int] = []
    for initiative in Initiative.objects.filter(lat__isnull=False).only("pk", "lat", "lon", "area_id").iterator(chunk_size=2000):
        area = area_for_point(lat=initiative.lat, lon=initiative.lon)
        if (area.pk if area else None) != initiative.area_id:
            Initiative.objects.filter(pk=initiative.pk).update(area=area)
            changed.append(initiative.pk)
    if changed:
        clustering.cells_rebuild()  # the map's cells per area follow the new areas
        memory_changed(f"initiative:{pk}" for pk in changed)  # the search's wijk filter too
        page_cache.changed(INITIATIVES, *[initiative_tag(pk) for pk in changed])
    return len(changed)
