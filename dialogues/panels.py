"""Admin panels for the session edit screen."""

from __future__ import annotations

from wagtail.admin.panels import Panel

from .selectors import session_change_recipient_count


class ScheduleChangeWarningPanel(Panel):
    """Warns, above the time and place fields, how many registered people get an email when
    the time or place changes (``services.session_update`` sends it), before staff save."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "dialogues/admin/schedule_change_warning_panel.html"

        def is_shown(self):
            return super().is_shown() and bool(self.instance and self.instance.pk) and self.count > 0

        @property
        def count(self) -> int:
            if not hasattr(self, "_count"):
                self._count = session_change_recipient_count(self.instance)
            return self._count

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["count"] = self.count
            return context
