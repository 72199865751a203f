"""Periodic jobs, run by `manage.py rqcron participatie.cron` (see `make worker`).

Timed work is done by sweeps that read the database (reminders due, seats to release,
mail still pending) rather than by one scheduled job per record: a sweep survives a
Redis flush and needs no rescheduling when a session's time changes.
"""

from rq import cron

from projects.mail import mail_purge_old, mail_retry_pending

cron.register(mail_retry_pending, "mail", interval=300, name="mail_retry_pending")
cron.register(mail_purge_old, "default", cron="30 3 * * *", name="mail_purge_old")
