"""Writes about projects: following, notifying followers, a project's own editor group,
"Doel bereikt?" (the assessment of the success criteria)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .conf import absolute_url
from .links import page_path
from .mail import mail_send
from .dates import format_date
from .models import (
    CriterionAssessment,
    GoalOutcome,
    OutgoingMail,
    ProjectFollow,
    ProjectPage,
    ProjectUpdatePage,
    UpdateNotification,
)
from .permissions import can_manage_project
from .selectors import goal_assessment_opens_on, success_criterion_list
from .sources import all_sources

UNSUBSCRIBE_SALT = "projects.follow.unsubscribe"


def follow_token(follow: ProjectFollow) -> str:
    return signing.dumps({"f": follow.pk}, salt=UNSUBSCRIBE_SALT)


def follow_from_token(token: str) -> ProjectFollow | None:
    """The follow a signed unsubscribe token stands for, or None if it is invalid or gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return ProjectFollow.objects.filter(pk=data.get("f")).select_related("project").first()


def follow_create(*, project: ProjectPage, user) -> ProjectFollow:
    """Follow a project (idempotent)."""
    try:
        with transaction.atomic():
            return ProjectFollow.objects.create(project=project, user=user)
    except IntegrityError:
        return ProjectFollow.objects.get(project=project, user=user)


def follow_delete(*, project: ProjectPage, user) -> None:
    ProjectFollow.objects.filter(project=project, user=user).delete()


@transaction.atomic
def update_notify_followers(*, update: ProjectUpdatePage) -> int:
    """Email the project's followers about a newly published update, once per update."""
    project = update.get_parent().specific
    if not isinstance(project, ProjectPage):
        return 0
    _notification, created = UpdateNotification.objects.get_or_create(update=update)
    if not created:
        return 0
    follows = ProjectFollow.objects.filter(project=project).select_related("user")
    count = 0
    for follow in follows:
        if not follow.user.email or not follow.user.is_active:
            continue
        mail_send(
            to=follow.user.email,
            template="projects/email/update",
            context={
                "project": project,
                "update": update,
                "update_url": absolute_url(page_path(update, "")),
                "unsubscribe_url": absolute_url(reverse("projects:unfollow_token", args=[follow_token(follow)])),
            },
        )
        count += 1
    UpdateNotification.objects.filter(pk=_notification.pk).update(recipients=count)
    return count


def update_notify_followers_job(update_id: int) -> int:
    """Background job (queued when an update is published): notify followers if the update
    is still live. Each email then goes out through the mail queue with its own retries."""
    update = ProjectUpdatePage.objects.live().filter(pk=update_id).first()
    if update is None:
        return 0
    return update_notify_followers(update=update)


# --- A resident's own data (AVG: inzage and verwijdering) -----------------------------------


def user_data_export(*, user) -> dict[str, Any]:
    """Everything the platform holds about ``user``, JSON-serialisable: the account, the
    projects they follow and what each participation source holds (``personal_data``)."""
    follows = ProjectFollow.objects.filter(user=user).select_related("project").order_by("created_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat() if user.date_joined else None,
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        "follows": [
            {
                "project": f.project.title,
                "url": absolute_url(page_path(f.project, "")),
                "since": f.created_at.isoformat(),
            }
            for f in follows
        ],
        "sources": {source.key: source.personal_data(user) for source in all_sources()},
    }


class UserDeleteNotAllowed(Exception):
    """Staff accounts own pages and revisions; an administrator removes them in the admin."""


@transaction.atomic
def user_delete(*, user) -> None:
    """Delete a resident's account (AVG). Each participation source erases or anonymises its
    records first (anonymous counts stay), then follows, the outbox's mail to the account's
    addresses, and the account itself with its email addresses go."""
    if user.is_staff or user.is_superuser:
        raise UserDeleteNotAllowed
    addresses = {user.email.lower()} if user.email else set()
    addresses |= {e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    for source in all_sources():
        source.personal_data_delete(user)
    ProjectFollow.objects.filter(user=user).delete()
    for address in addresses:
        OutgoingMail.objects.filter(to__iexact=address).delete()
    user.delete()


# --- A project's own editors ---------------------------------------------------------------

# Group names are data, like "Moderatoren" and "Raadsleden": one language, so they can be found again.
EDITOR_GROUP_PREFIX = "Redactie"
# Page rights of a project's editor group on the project page (and so on its rounds and news).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")
# Images and documents for their pages: upload and choose, not change other people's files.
EDITOR_COLLECTION_PERMISSIONS = (("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
                                 ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"))


def project_editor_group_get(project: ProjectPage) -> Group | None:
    """The project's editor group: the group with page rights on exactly this project page whose
    name starts with "Redactie" (the name may lag behind a renamed project; the rights decide)."""
    return (Group.objects.filter(page_permissions__page=project, name__startswith=EDITOR_GROUP_PREFIX)
            .order_by("pk").distinct().first())


@transaction.atomic
def project_editor_group_ensure(*, project: ProjectPage, user=None) -> Group:
    """Give ``project`` its own editor group, "Redactie <projecttitel>": admin access, add, change,
    publish and lock rights on the project page (so on everything below it: rounds, news), and
    uploading and choosing images and documents. Members run this project, and no other, without
    the superuser: its pages, sessions and registrations, decisions and results.

    Idempotent: a second call (or the management command ``participatie_project_groups``) adds
    what is missing and changes nothing else. Called from Wagtail's ``after_create_page`` hook.
    """
    group = project_editor_group_get(project)
    created = group is None
    if created:
        name = f"{EDITOR_GROUP_PREFIX} {project.title}"[:150]
        if Group.objects.filter(name=name).exists():  # two projects with the same title
            name = f"{name[:140]} ({project.pk})"
        group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=project, permission=permission)
    root = Collection.get_first_root_node()
    if root is not None:
        for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    if created:
        log(instance=project, action="projects.editor_group_create", user=user, data={"group_id": group.pk})
    return group


# --- "Doel bereikt?" ---------------------------------------------------------------------------

EXPLANATION_MAX = 2000


@transaction.atomic
def goal_assess(*, project: ProjectPage, user, assessments: dict[int, tuple[str, str]]) -> list[CriterionAssessment]:
    """Assess every success criterion of ``project``: ``assessments`` maps a criterion's id to
    (outcome, explanation), outcome one of ``GoalOutcome``. Each criterion needs both.

    Only those who may manage the project (``PermissionDenied`` otherwise), and only from the
    start of its last phase. Errors (``ValidationError``, Dutch) are keyed ``"<id>-outcome"`` and
    ``"<id>-explanation"`` per criterion, or ``"__all__"``. The project row is locked, so two
    editors saving at once write one after the other; the audit log goes on the project page.
    """
    if not can_manage_project(user, project):
        raise PermissionDenied
    ProjectPage.objects.select_for_update().filter(pk=project.pk).first()
    opens_on = goal_assessment_opens_on(project)
    if opens_on is None:
        raise ValidationError(_("Het project heeft nog geen fasen. U beoordeelt de succescriteria in de laatste fase."))
    if timezone.localdate() < opens_on:
        raise ValidationError(_("U kunt de succescriteria beoordelen vanaf %(date)s, als de laatste fase begint.") % {
            "date": format_date(opens_on)})
    criteria = success_criterion_list(project)
    if not criteria:
        raise ValidationError(_("Het plan noemt nog geen succescriteria. Voeg ze toe in het tabblad Participatie."))
    errors: dict[str, str] = {}
    cleaned = {}
    for criterion in criteria:
        outcome, explanation = assessments.get(criterion.pk, ("", ""))
        outcome, explanation = (outcome or "").strip(), (explanation or "").strip()
        if outcome not in GoalOutcome.values:
            errors[f"{criterion.pk}-outcome"] = _("Kies of dit criterium is bereikt, deels bereikt of niet bereikt.")
        if not explanation:
            errors[f"{criterion.pk}-explanation"] = _("Leg kort uit waarom. Deze uitleg staat in het verslag.")
        elif len(explanation) > EXPLANATION_MAX:
            errors[f"{criterion.pk}-explanation"] = _("Maak de uitleg korter: hoogstens %(max)d tekens.") % {"max": EXPLANATION_MAX}
        cleaned[criterion.pk] = (outcome, explanation)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved = []
    for criterion in criteria:
        outcome, explanation = cleaned[criterion.pk]
        assessment = criterion.current_assessment or CriterionAssessment(criterion=criterion)
        if (assessment.pk and assessment.outcome == outcome and assessment.explanation == explanation
                and assessment.criterion_text == criterion.text):
            saved.append(assessment)
            continue  # unchanged: keeps who assessed it and when
        assessment.outcome, assessment.explanation, assessment.criterion_text = outcome, explanation, criterion.text
        assessment.assessed_at = now
        assessment.assessed_by = user
        assessment.full_clean(exclude=["criterion"])
        assessment.save()
        saved.append(assessment)
    counts = {value: sum(1 for a in saved if a.outcome == value) for value in GoalOutcome.values}
    log(instance=project, action="projects.goal_assess", user=user, data={"criteria": len(saved), **counts})
    return saved
