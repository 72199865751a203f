"""Factories for projects. Pages are built through Wagtail's own API (add_child, publish)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Site

from projects.models import ProjectIndexPage, ProjectPage, ProjectPhase, ProjectUpdatePage, StakeholderGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True  # the verified hook writes EmailAddress rows, not the user

    username = factory.Sequence(lambda n: f"bewoner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-wachtwoord-123")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Give the user a verified primary allauth address unless verified=False."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class PageFactory(factory.Factory):
    """Base: ``_create`` adds the page under ``parent`` (default: the site root) and publishes it."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            parent = Site.objects.get(is_default_site=True).root_page.specific
        return _publish(parent, model_class(*args, **kwargs))


class ProjectIndexPageFactory(PageFactory):
    class Meta:
        model = ProjectIndexPage

    title = "Projecten"
    slug = "projecten"


class ProjectPageFactory(PageFactory):
    class Meta:
        model = ProjectPage

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "Wij maken een plan voor de buurt en horen graag wat u ervan vindt."
    ladder_level = "adviseren"
    contact_name = "Sanne de Vries"
    contact_email = "s.devries@gemeente.example"

    @classmethod
    def _create(cls, model_class, *args, parent=None, phases=None, groups=None, **kwargs):
        if parent is None:
            parent = ProjectIndexPage.objects.first() or ProjectIndexPageFactory()
        page = model_class(*args, **kwargs)
        for i, phase in enumerate(phases or []):
            page.phases.add(ProjectPhase(sort_order=i, **phase))
        for i, name in enumerate(groups or []):
            page.stakeholder_groups.add(StakeholderGroup(sort_order=i, name=name))
        return _publish(parent, page)


def phase(kind, title, start: datetime.date, end: datetime.date, description=""):
    return {"kind": kind, "title": title, "start_date": start, "end_date": end, "description": description}


class ProjectUpdatePageFactory(PageFactory):
    class Meta:
        model = ProjectUpdatePage

    title = factory.Sequence(lambda n: f"Nieuws {n}")
    slug = factory.Sequence(lambda n: f"nieuws-{n}")
    intro = "Er is nieuws over het project."
