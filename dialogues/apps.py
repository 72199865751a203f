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

        from .cache_tags import track_writes
        track_writes()  # cached pages follow every write (projects/page_cache.py)

        from datetime import time, timedelta

        from projects.schedule import periodic_job

        from . import tasks

        periodic_job("dialogues_release_unconfirmed", tasks.release_unconfirmed, every=timedelta(minutes=5))
        periodic_job("dialogues_send_reminders", tasks.send_reminders, every=timedelta(minutes=15))
        periodic_job("dialogues_request_evaluations", tasks.request_evaluations, every=timedelta(hours=1))
        periodic_job("dialogues_purge_registrations", tasks.purge_registrations, daily_at=time(3, 45))
