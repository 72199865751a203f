"""Admin panels for the project edit screen."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ComplianceStatusPanel(Panel):
    """Shows, on the project's edit screen, which rules of the participation policy the saved
    project meets and which it misses, with the reason (``projects.policy``)."""

    def __init__(self, heading=_("Participatiebeleid"), **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/results/compliance_panel.html"

        def get_context_data(self, parent_context=None):
            from .policy import NOT_MET, project_compliance

            context = super().get_context_data(parent_context)
            results = []
            if self.instance is not None and self.instance.pk:
                results = project_compliance(self.instance.specific if hasattr(self.instance, "specific") else self.instance)
            context["results"] = results
            context["not_met"] = sum(1 for r in results if r.status == NOT_MET)
            context["project"] = self.instance
            return context


class FollowerCountPanel(Panel):
    """How many residents follow the project (and get its news by email). A count only:
    who follows is personal data and is not shown to editors."""

    def __init__(self, heading=_("Volgers"), **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/admin/follower_count_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import project_follower_count

            context = super().get_context_data(parent_context)
            context["count"] = project_follower_count(self.instance) if self.instance and self.instance.pk else 0
            return context
