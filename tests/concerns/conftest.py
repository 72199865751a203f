"""Fixtures for the Top-3: the geo fixtures (moderator, resident) and the roles of the permission matrix."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group

from tests.geo.conftest import _clear_cache, moderators_group as geo_moderators_group  # noqa: F401


def moderators_group():
    """"Moderatoren" with this app's rights too. Transactional tests empty the tables (see
    tests/geo/conftest.py), so rebuild it with the migrations' own code."""
    from django.apps import apps

    group = geo_moderators_group()
    if not group.permissions.filter(content_type__app_label="concerns").exists():
        modules = {config: config.models_module for config in apps.get_app_configs()}
        try:
            importlib.import_module("concerns.migrations.0001_initial").moderators_may_moderate(apps, None)
        finally:
            for config, module in modules.items():
                config.models_module = module
    return Group.objects.get(name="Moderatoren")


@pytest.fixture
def moderator(db):
    from tests.projects.factories import UserFactory

    user = UserFactory(username="moderator")
    user.groups.add(moderators_group())
    return user


@pytest.fixture
def resident(db):
    from tests.projects.factories import UserFactory

    return UserFactory(username="bewoner-top3")


@pytest.fixture
def council_member(db):
    from tests.projects.factories import UserFactory

    user = UserFactory(username="raadslid-top3")
    user.groups.add(Group.objects.get_or_create(name="Raadsleden")[0])
    return user
