from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    label = "geo"
    verbose_name = _("Kaart en initiatieven")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from projects.sources import register

        from .sources import InitiativeSource

        register(InitiativeSource())

        from .cache_tags import track_writes
        track_writes()  # cached pages follow every write (projects/page_cache.py)

        from datetime import time

        from projects.schedule import periodic_job

        from .tasks import map_cells_rebuild

        periodic_job("geo_map_cells_rebuild", map_cells_rebuild, daily_at=time(4, 0))
