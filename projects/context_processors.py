"""Template context the plugin's pages need from every request."""

from .conf import plugin_setting


def participatie(request):
    """Add to a host's TEMPLATES context_processors: names the base template plugin pages extend."""
    return {"participatie_base_template": plugin_setting("BASE_TEMPLATE")}
