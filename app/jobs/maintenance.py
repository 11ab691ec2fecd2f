"""The queue's own periodic work: a running job whose consumer was killed is marked failed
even when nobody looks at it; the files of old jobs are dropped once a day."""

from ..extensions import db
from . import services
from .queue import crontab, periodic


def fail_stale_jobs() -> int:
    failed = services.fail_stale_jobs()
    db.session.commit()
    return failed


fail_stale_every_minute = periodic(crontab(minute="*"), "jobs.fail_stale")(fail_stale_jobs)


def purge_files() -> int:
    purged = services.purge_files()
    db.session.commit()
    return purged


purge_files_daily = periodic(crontab(hour="3", minute="15"), "jobs.purge_files")(purge_files)
