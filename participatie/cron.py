"""Periodic jobs, run by `manage.py rqcron participatie.cron` (see `make worker`).

Timed work is done by sweeps that read the database (reminders due, seats to release,
mail still pending) rather than by one scheduled job per record: a sweep survives a
Redis flush and needs no rescheduling when a session's time changes.
"""

from rq import cron

from dialogues.tasks import purge_registrations, release_unconfirmed, request_evaluations, send_reminders
from geo.tasks import map_cells_rebuild
from projects.mail import mail_purge_old, mail_retry_pending
from projects.tasks import policy_warn_contacts, results_sweep

cron.register(mail_retry_pending, "mail", interval=300, name="mail_retry_pending")
cron.register(mail_purge_old, "default", cron="30 3 * * *", name="mail_purge_old")
cron.register(policy_warn_contacts, "default", cron="15 4 * * *", name="policy_warn_contacts")
cron.register(results_sweep, "default", interval=900, name="projects_results_sweep")
cron.register(release_unconfirmed, "default", interval=300, name="dialogues_release_unconfirmed")
cron.register(send_reminders, "default", interval=900, name="dialogues_send_reminders")
cron.register(request_evaluations, "default", interval=3600, name="dialogues_request_evaluations")
cron.register(purge_registrations, "default", cron="45 3 * * *", name="dialogues_purge_registrations")
cron.register(map_cells_rebuild, "default", cron="0 4 * * *", name="geo_map_cells_rebuild")
