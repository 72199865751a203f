"""Every URL pattern of the site with garbage input: never a 5xx.

Walks ``get_resolver()`` recursively, fills path converters with a seeded object's id and with
garbage, and sends a seeded-random sample of bad query strings, form bodies and methods, as an
anonymous visitor and as a logged-in resident. Sampled, not the cross product, to stay fast."""

import random
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.projects.factories import ProjectPageFactory, UserFactory

GARBAGE_VALUES = ["a\x00b", "%ff%fe", "x" * 100_000, "-1", "99999999999999999999", "0", "abc", "'\"<>", "%00"]
GARBAGE_QUERIES = [
    "kind=a%00b", "q=%ff%fe", "page=-1", "page=99999999999999999999", "theme=" + "x" * 100_000,
    "next=abc", "next=//evil.example/", "bbox=a,b,c,d", "bbox=-999,-999,999,999", "status=%c3%28", "lat=1e400&lon=-1e400",
]
GARBAGE_BODIES = [
    "name=a%00b&email=%ff%fe", "next=abc", "title=" + "x" * 100_000, "latitude=-1e400&longitude=nan",
    "count=-1&session=99999999999999999999", "email=x@example.org&consent=on&group=-5",
]
METHODS = ["GET", "POST", "PUT", "DELETE"]
SKIP_PREFIXES = ("admin/", "django-admin/", "documents/", "__debug__", "static/", "media/")


def walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def fill(route, value_for):
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value_for(m.group(1) or "str", m.group(2)), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value_for("str", m.group(1)), route)
    route = route.replace("\\", "")
    return "/" + route if re.fullmatch(r"[^()\[\]*+?|^$]*", route) else None


@pytest.fixture
def seeded(home_page):
    return {"project": ProjectPageFactory(title="Fuzz"), "user": UserFactory(username="fuzz-bewoner")}


@pytest.mark.django_db
def test_no_url_answers_5xx_to_garbage(client, seeded):
    rng = random.Random(20261201)
    project_id = str(seeded["project"].pk)
    routes = [r for r in walk(get_resolver()) if not r.lstrip("^").startswith(SKIP_PREFIXES)]
    assert len(routes) > 20  # the walk found the site's patterns
    requests = []
    for route in routes:
        for variant in ("valid", "garbage"):
            def value_for(converter, name, variant=variant):
                if variant == "valid":
                    return project_id if converter == "int" else "abc"
                return rng.choice(["0", "99999999", "abc-def", "%ff%fe", "x" * 300])
            path = fill(route, value_for)
            if path is None:
                continue
            method = rng.choice(METHODS) if variant == "garbage" else "GET"
            requests.append((path, method))
    failures = []
    for logged_in in (False, True):
        if logged_in:
            client.force_login(seeded["user"])
        for path, method in requests:
            query = rng.choice(GARBAGE_QUERIES)
            kwargs = {}
            if method != "GET":
                kwargs = {"data": rng.choice(GARBAGE_BODIES), "content_type": "application/x-www-form-urlencoded"}
            response = getattr(client, method.lower())(f"{path}?{query}", **kwargs)
            if response.status_code >= 500:
                failures.append((logged_in, method, path[:120], query[:60], response.status_code))
    assert not failures, failures
