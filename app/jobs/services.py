"""Use-cases of the background jobs: start one, read how it is doing, find the dead.

`submit` adds the job (flushed, never committed) and marks the session; once the transaction
that holds it commits, the job is put on the queue (a consumer must find the row), and a
rolled-back job is never queued."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select, update

from ..extensions import db
from ..i18n import format_number
from ..integrity import Session
from ..model_helpers import utcnow
from . import kinds, live
from .models import Job
from .queue import bind
from .queue import queue_reachable as _queue_reachable
from .runner import notify_end, run_job

log = logging.getLogger(__name__)

SUBMITTED = "jobs.submitted"  # a key of Session.info: jobs to queue after the commit


def submit(kind: str, owner, params: dict | None = None, subject: str | None = None) -> Job:
    """A new queued job of `kind` for `owner` (a User, or None: the command line), queued
    once the caller commits."""
    if kinds.get(kind) is None:
        raise LookupError(f"no job kind {kind!r}")
    job = Job(
        kind=kind,
        params=dict(params or {}),
        subject=subject,
        owner_id=getattr(owner, "id", None),
        state="queued",
        created_at=utcnow(),
        errors=[],
        details=[],
    )
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(SUBMITTED, []).append(job.id)
    return job


def requeue(job: Job) -> None:
    """Put a queued job on the queue again once the caller commits: its message may have been
    lost (the queue unreachable when it was submitted, a queue emptied). A consumer claims a
    job once (runner.claim), so a second message of it is harmless."""
    db.session.info.setdefault(SUBMITTED, []).append(job.id)


@event.listens_for(Session, "after_commit")
def _queue_committed(session) -> None:
    submitted = session.info.pop(SUBMITTED, [])
    if submitted:
        bind()
    for job_id in submitted:
        try:
            run_job(job_id)  # Huey: onto the queue (or run now, in immediate mode)
        except Exception:
            # What was asked is committed; the job stays queued, and `requeue` puts it on the
            # queue again once the queue answers (/healthz tells when it does not).
            log.exception("job %s could not be put on the queue", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(SUBMITTED, None)


def latest_for(kind: str, subject: str, owner) -> Job | None:
    """The newest job of `kind` about `subject` that `owner` started."""
    return db.session.scalars(
        select(Job)
        .where(Job.kind == kind, Job.subject == subject, Job.owner_id == owner.id)
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def latest_by_subject(kind: str, subjects) -> dict[str, Job]:
    """The newest job of `kind` about each of `subjects`, whoever started it (one query)."""
    subjects = list(subjects)
    if not subjects:
        return {}
    stmt = select(Job).where(Job.kind == kind, Job.subject.in_(subjects)).order_by(Job.id)
    return {job.subject: job for job in db.session.scalars(stmt)}


def progress_of(job: Job) -> tuple[int, int | None, float | None]:
    """(done, total, last sign of life as epoch seconds) of `job`: its row, and for a
    running one the queue's live store, whichever is newer."""
    done, total = job.progress_done or 0, job.progress_total
    beat = _epoch(job.heartbeat_at)
    if job.state == "running":
        told = live.read(job.id)
        if told:
            done = max(done, int(told.get("done") or 0))
            total = told.get("total") if told.get("total") is not None else total
            beat = max(beat or 0.0, float(told.get("beat") or 0.0))
    return done, total, beat


def _epoch(moment) -> float | None:
    if moment is None:
        return None
    from datetime import UTC

    return moment.replace(tzinfo=UTC).timestamp()


def is_stale(job: Job, beat: float | None = None) -> bool:
    """A running job silent for longer than JOBS_STALE_SECONDS: its consumer is gone."""
    if job.state != "running":
        return False
    if beat is None:
        beat = progress_of(job)[2]
    limit = current_app.config["JOBS_STALE_SECONDS"]
    now = _epoch(utcnow())
    return beat is None or now - beat > limit


def is_overdue(job: Job) -> bool:
    """A job that should have moved by now: queued for longer than JOBS_STALE_SECONDS (its
    message may be lost), or running and silent (stale)."""
    if job.state == "queued":
        limit = timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
        return job.created_at < utcnow() - limit
    return is_stale(job)


def stale_message() -> str:
    return _(
        "Công việc đã dừng giữa chừng: tiến trình xử lý không còn chạy (có thể đã bị tắt). "
        "Không có dữ liệu nào của công việc này được ghi; hãy chạy lại."
    )


def fail_if_stale(job: Job) -> bool:
    """Mark a silent running job failed (flushed) and notify its owner; True if it was."""
    if not is_stale(job):
        return False
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    failed = db.session.execute(
        update(Job)
        .where(
            Job.id == job.id,
            Job.state == "running",
            (Job.heartbeat_at.is_(None)) | (Job.heartbeat_at < cutoff),
        )
        .values(state="failed", finished_at=utcnow(), errors=[stale_message()])
    ).rowcount
    if failed:
        notify_end(job, "failed")
        live.forget(job.id)
    return bool(failed)


def fail_stale_jobs() -> int:
    """Mark every silent running job failed (flushed); how many."""
    running = db.session.scalars(select(Job).where(Job.state == "running")).all()
    return sum(1 for job in running if fail_if_stale(job))


def status(job: Job) -> dict:
    """The JSON of the job's status URL (and what its page shows)."""
    done, total, _beat = progress_of(job)
    unit = kinds.unit(job.kind)
    counted = f"{format_number(done)} / {format_number(total)}" if total else format_number(done)
    percent = None
    if job.state == "done":
        percent = 100
    elif total:
        percent = min(100, int(done * 100 / total))
    return {
        "id": job.id,
        "kind": job.kind,
        "title": kinds.title(job.kind, job.params),
        "state": job.state,
        "state_label": state_label(job.state),
        "finished": job.finished,
        "done": done,
        "total": total,
        "percent": percent,
        "progress_text": f"{counted} {unit}",
        "message": job.message,
        "link": job.link,
        "errors": list(job.errors or []),
        "details": list(job.details or []),
        "download_url": f"/jobs/{job.id}/download" if job.file_name and job.has_file else None,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }


def _iso(moment) -> str | None:
    return None if moment is None else moment.isoformat() + "Z"


def state_label(state: str) -> str:
    return {
        "queued": _("Đang chờ xử lý"),
        "running": _("Đang xử lý"),
        "done": _("Đã xong"),
        "failed": _("Không thành công"),
    }[state]


def purge_files(now=None) -> int:
    """Drop the files of the jobs that ended more than JOBS_FILE_DAYS ago (flushed); how many.
    Their rows stay: the page says the file was removed and how to make it again."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["JOBS_FILE_DAYS"])
    return db.session.execute(
        update(Job)
        .where(Job.finished_at < cutoff, Job.file_data.isnot(None))
        .values(file_data=None)
        .execution_options(synchronize_session=False)
    ).rowcount


def queue_reachable() -> bool:
    """Can this process reach the job queue (for /healthz)?"""
    return _queue_reachable()
