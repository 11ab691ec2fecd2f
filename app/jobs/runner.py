"""Running a job in a consumer (or at once, in the process that starts it: JOBS_IMMEDIATE).

The job is claimed (queued -> running) in a short transaction of its own; then its kind's
work runs in one transaction, and the job's result (state done, message, file) and the
owner's notification are written in that same transaction and committed with the work: a job
killed in the middle leaves the database as it was, and its row still says running, until
its silence shows it failed (services.fail_if_stale). A refusal or a crash rolls the work
back and records the failure in a transaction of its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from ..auth.models import User
from ..database import reading_only
from ..extensions import db
from ..model_helpers import utcnow
from ..notifications import services as notifications
from . import kinds, live
from .kinds import Outcome
from .models import Job
from .queue import flask_app, huey

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What a kind's `run` gets: the job, its owner (None: the command line) and
    `progress(done, total=None)`."""

    job: Job
    owner: User | None
    ticker: live.Ticker

    @property
    def params(self) -> dict:
        return self.job.params or {}

    def progress(self, done: int, total: int | None = None) -> None:
        self.ticker.progress(done, total)


@huey.task(name="jobs.run")
def run_job(job_id: int) -> None:
    app = flask_app()
    with app.app_context():
        execute(job_id)


def _language(user: User | None) -> str:
    app = current_app
    if user is not None and user.locale in app.config["LANGUAGES"]:
        return user.locale
    return app.config["BABEL_DEFAULT_LOCALE"]


def claim(job_id: int) -> Job | None:
    """queued -> running, committed; None when another consumer took it or it is gone."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "queued")
        .values(state="running", started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


def execute(job_id: int) -> None:
    job = claim(job_id)
    if job is None:
        return
    kind = kinds.get(job.kind)
    owner = db.session.get(User, job.owner_id) if job.owner_id else None
    config = current_app.config
    ticker = live.Ticker(
        current_app._get_current_object(),
        job_id,
        interval=config["JOBS_HEARTBEAT_SECONDS"],
        background=not huey.immediate,
    )
    # The owner's language: the messages a job keeps (the importer's summary) are text.
    with force_locale(_language(owner)):
        try:
            if kind is None:
                raise LookupError(f"unknown job kind {job.kind!r}")
            with ticker:
                if kind.writes:
                    outcome = kind.run(JobContext(job, owner, ticker))
                else:
                    with reading_only():
                        outcome = kind.run(JobContext(job, owner, ticker))
                    db.session.rollback()  # nothing to keep; the result in a new transaction
        except Exception:
            log.exception("job %s (%s) failed", job_id, job.kind)
            db.session.rollback()
            message = _("Lỗi không mong đợi khi xử lý. Không có dữ liệu nào được ghi.")
            _end(job_id, "failed", Outcome(errors=[message]), ticker)
            db.session.commit()
            live.forget(job_id)
            return
        if outcome.refused:
            db.session.rollback()
            _end(job_id, "failed", outcome, ticker)
            db.session.commit()
        elif _end(job_id, "done", outcome, ticker):
            db.session.commit()  # the work and its result at once
            if outcome.after_commit is not None:
                outcome.after_commit()
        else:  # found failed meanwhile (taken for dead): its work is not kept
            db.session.rollback()
    live.forget(job_id)


def _end(job_id: int, state: str, outcome: Outcome, ticker: live.Ticker) -> bool:
    """Write how the job ended and notify its owner (flushed); False if it was no longer
    running."""
    ended = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == "running")
        .values(
            state=state,
            finished_at=utcnow(),
            progress_done=ticker.done,
            progress_total=ticker.total,
            message=outcome.message or None,
            link=outcome.link,
            errors=list(outcome.errors),
            details=list(outcome.details),
            file_name=outcome.file_name,
            content_type=outcome.content_type,
            file_data=outcome.file_data,
        )
    ).rowcount
    if ended:
        notify_end(db.session.get(Job, job_id), state)
    return bool(ended)


def notify_end(job: Job, state: str) -> None:
    """The owner's bell: the job ended, with a link to its page."""
    if job is None or job.owner_id is None:
        return
    db.session.refresh(job)
    notifications.notify(
        job.owner_id,
        "job.done" if state == "done" else "job.failed",
        {"kind": job.kind, "params": job.params or {}},
        object_type="job",
        object_id=job.id,
        link=f"/jobs/{job.id}",
    )
