"""Template tags for project pages. Rendering only; no business logic."""

from django import template

from projects import dates
from projects.conf import site_config

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a ``projects.sections.PageSection`` with the page's context plus
    ``section`` and the section's own context."""
    template = context.template.engine.get_template(section.template)
    with context.push(section=section, **section.context):
        return template.render(context)


# Dates for people (projects/dates.py says why and how); ISO stays in datetime attributes and data.
@register.filter
def nl_date(value):
    """ "21 december 2026"."""
    return dates.format_date(value)


@register.filter
def nl_datetime(value):
    """ "dinsdag 21 december 2026 om 19.30 uur"."""
    return dates.format_datetime(value)


@register.filter
def nl_period(start, end=None):
    """ ``{{ session.starts_at|nl_period:session.ends_at }}``: "dinsdag 21 december 2026 van 19.30 tot 21.00 uur"."""
    return dates.format_period(start, end)


@register.simple_tag(takes_context=True)
def municipality_name(context):
    """The municipality's name from the site settings (default site), for signatures in emails,
    which are often rendered by a job without a request. ``projects.mail.mail_render`` puts it in
    the context once, so a mail's text and HTML parts do not each look it up."""
    name = context.get("municipality_name")
    return name if name is not None else site_config().municipality_name
