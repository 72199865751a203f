"""System checks: ``manage.py check`` tells a host, in plain words, what it forgot.

Errors (``participatie.E0xx``) are things that answer 500 or silently break a flow at request
time; warnings (``participatie.W0xx``) are fallbacks a production site should not rely on.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .conf import DEFAULTS, SITE_SETTINGS_FIELDS, plugin_setting, search_config, site_url

REQUIRED_APPS = (
    "wagtail",
    "wagtail.contrib.settings",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "leaflet",
    "django_rq",
)
ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
LOGIN_LIMIT_BACKEND = "projects.auth.LoginRateLimitBackend"
MALFORMED_INPUT_MIDDLEWARE = "projects.security.RejectMalformedInputMiddleware"
BASE_BLOCKS = ("title", "extra_css", "content", "extra_js")
CONTEXT_PROCESSOR = "projects.context_processors.participatie"
# A few public URL names per app, with the view module that must answer them.
OWN_URLS = (("projects:council", (), "projects."), ("projects:my_data", (), "projects."))


@register(Tags.compatibility)
def check_installed(app_configs=None, **kwargs):
    errors = []
    for app in REQUIRED_APPS:
        if not apps.is_installed(app):
            errors.append(Error(f"{app!r} is not in INSTALLED_APPS.", hint=f"Add {app!r} to INSTALLED_APPS.", id="participatie.E001"))
    if ACCOUNT_MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(Error(
            "allauth's AccountMiddleware is missing: residents' login pages answer errors.",
            hint=f"Add {ACCOUNT_MIDDLEWARE!r} to MIDDLEWARE (after AuthenticationMiddleware).", id="participatie.E002",
        ))
    if ALLAUTH_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        errors.append(Error(
            "allauth's authentication backend is missing: residents cannot log in with their email address.",
            hint=f"Add {ALLAUTH_BACKEND!r} to AUTHENTICATION_BACKENDS (keep ModelBackend for the admin).",
            id="participatie.E003",
        ))
    backends = list(settings.AUTHENTICATION_BACKENDS)
    if not backends or backends[0] != LOGIN_LIMIT_BACKEND:
        errors.append(Warning(
            "Failed logins are not limited: the admin login accepts unlimited password guesses.",
            hint=f"Put {LOGIN_LIMIT_BACKEND!r} first in AUTHENTICATION_BACKENDS.", id="participatie.W003",
        ))
    if MALFORMED_INPUT_MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(Warning(
            "Requests with NUL bytes or invalid UTF-8 can reach the database and answer 500.",
            hint=f"Add {MALFORMED_INPUT_MIDDLEWARE!r} to MIDDLEWARE, after CommonMiddleware.", id="participatie.W004",
        ))
    return errors


@register(Tags.models)
def check_site_settings_model(app_configs=None, **kwargs):
    label = plugin_setting("SITE_SETTINGS_MODEL")
    if not label:
        return []
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return [Error(
            f'PARTICIPATIE["SITE_SETTINGS_MODEL"] = {label!r} is not an installed model.',
            hint=f'Remove the key to use {DEFAULTS["SITE_SETTINGS_MODEL"]!r}, or name a model that exists ("app_label.ModelName").',
            id="participatie.E004",
        )]
    have = {f.name for f in model._meta.get_fields()}
    missing = [f for f in SITE_SETTINGS_FIELDS if f not in have]
    if missing or not hasattr(model, "for_site"):
        return [Error(
            f"The site settings model {label} lacks what the apps read: {', '.join(missing) or 'for_site()'}.",
            hint="Make it a Wagtail BaseSiteSetting with these fields (see projects/conf.py).", id="participatie.E005",
        )]
    return []


def _blocks(template) -> set[str]:
    """Block names a template defines, following {% extends %} up to the root."""
    from django.template.loader_tags import BlockNode, ExtendsNode

    names = set()
    nodelist = template.nodelist
    for node in nodelist.get_nodes_by_type(BlockNode):
        names.add(node.name)
    for node in nodelist.get_nodes_by_type(ExtendsNode):
        parent = node.parent_name.resolve({}) if hasattr(node.parent_name, "resolve") else node.parent_name
        if isinstance(parent, str):
            names |= _blocks(_load(parent))
    return names


def _load(name):
    from django.template import engines

    return engines["django"].engine.get_template(name)


@register(Tags.templates)
def check_base_template(app_configs=None, **kwargs):
    from django.template import TemplateDoesNotExist, TemplateSyntaxError

    name = plugin_setting("BASE_TEMPLATE")
    errors = []
    try:
        missing = [b for b in BASE_BLOCKS if b not in _blocks(_load(name))]
    except TemplateDoesNotExist:
        return [Error(
            f"The base template {name!r} the apps' pages extend does not exist.",
            hint='Create it, or set PARTICIPATIE["BASE_TEMPLATE"] to your site\'s base template.', id="participatie.E006",
        )]
    except TemplateSyntaxError as exc:
        return [Error(f"The base template {name!r} does not compile: {exc}", id="participatie.E006")]
    if missing:
        errors.append(Error(
            f"The base template {name!r} does not define the blocks {', '.join(missing)}.",
            hint="Add {% block title %}, {% block extra_css %}, {% block content %} and {% block extra_js %} to it.",
            id="participatie.E007",
        ))
    if name != DEFAULTS["BASE_TEMPLATE"]:
        processors = [p for t in settings.TEMPLATES for p in t.get("OPTIONS", {}).get("context_processors", [])]
        if CONTEXT_PROCESSOR not in processors:
            errors.append(Error(
                "A custom BASE_TEMPLATE needs the plugin's context processor.",
                hint=f"Add {CONTEXT_PROCESSOR!r} to TEMPLATES[0]['OPTIONS']['context_processors'].", id="participatie.E008",
            ))
    return errors


@register(Tags.urls)
def check_urls(app_configs=None, **kwargs):
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    errors = []
    for name, args, module in OWN_URLS:
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            errors.append(Error(
                f"The URL {name!r} is not in the URLconf.",
                hint='Add path("", include("projects.urls")) (and the dialogues and geo URLs) to your root urls.py.',
                id="participatie.E009",
            ))
            continue
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        view_module = getattr(match.func, "__module__", "") if match else ""
        if not view_module.startswith(module):
            errors.append(Error(
                f"{path} is answered by {view_module or 'nothing'}, not by the apps: Wagtail's catch-all is before them.",
                hint='Put the apps\' include()s before path("", include(wagtail_urls)) in your root urls.py.',
                id="participatie.E010",
            ))
    return errors


@register(Tags.compatibility)
def check_site_url_and_queues(app_configs=None, **kwargs):
    warnings = []
    if not (plugin_setting("SITE_URL") or getattr(settings, "SITE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")):
        warnings.append(Warning(
            "No site address is set: links in emails point to http://localhost:8000.",
            hint="Set WAGTAILADMIN_BASE_URL (or SITE_URL) to the public address, e.g. https://participatie.gemeente.nl.",
            id="participatie.W001",
        ))
    queues = getattr(settings, "RQ_QUEUES", None) or {}
    missing = [q for q in ("default", "mail") if q not in queues]
    if missing:
        warnings.append(Warning(
            f"RQ_QUEUES has no {' or '.join(repr(q) for q in missing)} queue: those jobs run in-process, inside the request.",
            hint='Add RQ_QUEUES = {"default": {"URL": REDIS_URL}, "mail": {"URL": REDIS_URL}} (use "ASYNC": False without Redis).',
            id="participatie.W002",
        ))
    return warnings


@register(Tags.compatibility)
def check_wagtail_admin_base_url(app_configs=None, **kwargs):
    """Wagtail's own mail (moderation and workflow notifications, its password reset) builds links
    from WAGTAILADMIN_BASE_URL alone; the apps' mail from their site address (``site_url()``)."""
    admin_url = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    if not admin_url:
        return [Warning(
            "WAGTAILADMIN_BASE_URL is not set: links in Wagtail's own emails (moderation, password reset) "
            "point to the wrong address or have none.",
            hint=f"Set WAGTAILADMIN_BASE_URL = {site_url()!r} (the site's public address, SITE_URL).",
            id="participatie.W005",
        )]
    if admin_url != site_url():
        return [Warning(
            f"WAGTAILADMIN_BASE_URL ({admin_url}) differs from the site address the apps use in emails ({site_url()}).",
            hint="Set both to the public address, e.g. WAGTAILADMIN_BASE_URL = SITE_URL.",
            id="participatie.W005",
        )]
    return []


@register(Tags.compatibility)
def check_search_config(app_configs=None, **kwargs):
    """The memory's search (``/zoeken/``) stems Dutch words only with PostgreSQL's "dutch"
    text search configuration (``conf.search_config()``): without it "bomen" does not find "boom"."""
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        return []
    if search_config().lower() != "dutch":
        return [Warning(
            "The search runs on PostgreSQL without the Dutch text search configuration: "
            "Dutch words are not stemmed, so a search for 'bomen' does not find 'boom'.",
            hint='Set WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "dutch" (or PARTICIPATIE["SEARCH_CONFIG"] '
                 'with another search backend), then run manage.py participatie_memory_rebuild so the memory uses it.',
            id="participatie.W006",
        )]
    return []


PAGE_CACHE_MIDDLEWARE = "projects.page_cache.PageCacheMiddleware"
PAGE_CACHE_AFTER = (
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)


@register(Tags.compatibility)
def check_page_cache(app_configs=None, **kwargs):
    """Anonymous pages are only fast with the page cache's middleware, and only correct after
    the middlewares whose work a cached page still needs (a CSRF cookie, the user, messages)."""
    if not plugin_setting("PAGE_CACHE_ALIAS"):
        return []
    middleware = list(settings.MIDDLEWARE)
    if PAGE_CACHE_MIDDLEWARE not in middleware:
        return [Warning(
            "The page cache is on but its middleware is missing: anonymous pages are rendered on every request.",
            hint=f"Add {PAGE_CACHE_MIDDLEWARE!r} to MIDDLEWARE after {', '.join(PAGE_CACHE_AFTER)}, "
                 'or set PARTICIPATIE["PAGE_CACHE_ALIAS"] = "" to switch the page cache off.',
            id="participatie.W007",
        )]
    position = middleware.index(PAGE_CACHE_MIDDLEWARE)
    before = [name for name in PAGE_CACHE_AFTER if name in middleware[position:]]
    if before:
        return [Warning(
            f"{PAGE_CACHE_MIDDLEWARE} comes before {', '.join(before)}: cached pages would miss their CSRF cookie or "
            "be served to logged-in visitors.",
            hint=f"Move {PAGE_CACHE_MIDDLEWARE!r} after them in MIDDLEWARE.", id="participatie.W007",
        )]
    if plugin_setting("PAGE_CACHE_ALIAS") not in settings.CACHES:
        return [Warning(
            f'PARTICIPATIE["PAGE_CACHE_ALIAS"] is {plugin_setting("PAGE_CACHE_ALIAS")!r}, which is not in CACHES.',
            hint="Name one of CACHES, or leave it at 'default'.", id="participatie.W007",
        )]
    return []
