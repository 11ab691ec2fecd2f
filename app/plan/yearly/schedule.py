"""The yearly report's daily reminder on the job queue's scheduler (issue 17): the consumer
runs `plan remind` for today every morning; it is safe to run daily (each unit is reminded
once a year, only in the 15 days before 30 November). `flask --app wsgi plan remind` stays
for a cron of one's own."""

from ...extensions import db
from ...i18n import today as local_today
from ...jobs import crontab, periodic
from .reminders import RemindResult, remind

# 07:00 in Bến Tre (app.jobs.periodic reads crontabs in Asia/Ho_Chi_Minh); the day too.
DAILY_AT = crontab(hour="7", minute="0")


def remind_today() -> RemindResult:
    """Remind as of today in Asia/Ho_Chi_Minh, in its own transaction."""
    try:
        result = remind(local_today())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


remind_daily = periodic(DAILY_AT, "plan.remind")(remind_today)
