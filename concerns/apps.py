from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "concerns"
    label = "concerns"
    verbose_name = _("Top-3 van zorgen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from projects.sources import register

        from .sources import ConcernSource

        register(ConcernSource())

        from .cache_tags import track_writes
        track_writes()  # cached pages follow every write (projects/page_cache.py)

        from datetime import time

        from projects.schedule import periodic_job

        from .tasks import unconfirmed_purge_job

        periodic_job("concerns_unconfirmed_purge", unconfirmed_purge_job, daily_at=time(4, 30))
