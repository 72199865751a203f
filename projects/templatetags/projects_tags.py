"""Template tags for project pages. Rendering only; no business logic."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a ``projects.sections.PageSection`` with the page's context plus
    ``section`` and the section's own context."""
    template = context.template.engine.get_template(section.template)
    with context.push(section=section, **section.context):
        return template.render(context)
