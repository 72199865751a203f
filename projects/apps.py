from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    label = "projects"
    verbose_name = _("Participatieprojecten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from datetime import time, timedelta

        from . import checks  # noqa: F401  (registers the system checks)
        from . import signals  # noqa: F401  (connects page_published for project updates)
        from .mail import mail_purge_old, mail_retry_pending
        from .schedule import periodic_job
        from .tasks import policy_warn_contacts, results_sweep

        # The plugin's own site settings screen, unless the host named its own model.
        from wagtail.contrib.settings.models import register_setting

        from .conf import plugin_setting
        from .site_settings import DEFAULT_MODEL, MunicipalitySettings

        if plugin_setting("SITE_SETTINGS_MODEL") == DEFAULT_MODEL:
            register_setting(MunicipalitySettings, icon="site")

        # The search's memory follows every write that calls projects.sources.memory_changed.
        from .memory import memory_refresh
        from .sources import memory_listen

        memory_listen(memory_refresh)

        periodic_job("mail_retry_pending", mail_retry_pending, queue="mail", every=timedelta(minutes=5))
        periodic_job("mail_purge_old", mail_purge_old, daily_at=time(3, 30))
        periodic_job("policy_warn_contacts", policy_warn_contacts, daily_at=time(4, 15))
        periodic_job("projects_results_sweep", results_sweep, every=timedelta(minutes=15))
