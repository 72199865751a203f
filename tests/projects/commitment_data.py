"""Builders for the accountability tests: sessions with outcomes and agreements, adopted initiatives."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from dialogues import services as dialogue_services
from dialogues.models import Agreement, DialogueSession, SessionOutcome
from geo.models import Area, Moderation, Status
from tests.dialogues.factories import DialogueRoundPageFactory, DialogueSessionFactory, registration_data
from tests.geo.factories import AreaFactory, InitiativeFactory
from tests.projects.factories import UserFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def outcome_with_agreements(project, agreements, *, published=True, title="Avond in de Linde"):
    """A held session under ``project`` with an outcome holding ``agreements`` (dicts of
    Agreement fields), and one registrant whose personal data must never show."""
    round_page = DialogueRoundPageFactory(parent=project)
    session = DialogueSessionFactory(round=round_page, title=title)
    dialogue_services.registration_create(session_id=session.pk, **registration_data(
        name="Geheime Deelnemer", email="geheim@example.org", phone="0612345678"))
    # Held three weeks ago (registration is only possible before it starts).
    past = timezone.now() - datetime.timedelta(days=21)
    DialogueSession.objects.filter(pk=session.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    outcome = SessionOutcome.objects.create(session=session, summary="We gaan aan de slag.",
                                            published_at=timezone.now() if published else None)
    for i, fields in enumerate(agreements):
        Agreement.objects.create(outcome=outcome, sort_order=i, **fields)
    return session, outcome


def adopted_initiative(project, *, status=Status.OVERGENOMEN, moderation=Moderation.PUBLISHED, area_name="Wijk Noord", **fields):
    submitter = UserFactory(username=f"indiener-{InitiativeFactory._meta.model.objects.count()}",
                            email=f"indiener{InitiativeFactory._meta.model.objects.count()}@example.org")
    area = (Area.objects.filter(name=area_name).first() or AreaFactory(name=area_name, code=f"WK-{area_name}")) if area_name else None
    return InitiativeFactory(project=project, status=status, moderation=moderation, area=area, submitter=submitter,
                             answer="Goed idee, we doen het.", **fields)


def editor_for(page, name):
    group = Group.objects.create(name=f"Redactie {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"))
    user = UserFactory(username=f"editor-{name}")
    user.groups.add(group)
    return user


def user_in(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user
