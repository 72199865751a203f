from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    label = "dialogues"
    verbose_name = _("Dialogen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from projects.sources import register

        from .sources import DialogueSource

        register(DialogueSource())
