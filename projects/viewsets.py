"""Admin viewsets of projects (registered in wagtail_hooks.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Decision


class DecisionViewSet(ModelViewSet):
    """Decisions per project, with their reasoning, shown on "Wat is er met uw inbreng gedaan"."""

    model = Decision
    icon = "doc-full"
    menu_label = _("Besluiten")
    menu_order = 310
    add_to_admin_menu = True
    form_fields = ["project", "phase", "title", "decided_on", "reasoning", "published"]
    list_display = ["title", "project", "decided_on", "published"]
    list_filter = ["published", "project"]
    search_fields = ["title", "reasoning"]
    ordering = ["-decided_on"]


decision_viewset = DecisionViewSet("decisions")
