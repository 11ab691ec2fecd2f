"""How far a running job got, told while its work's transaction is still open.

The work of a job runs in one transaction, committed at its end. Its progress and heartbeat
go around it: every tick a thread of the job writes them (1) into the queue's own store (the
SqliteHuey file or Redis: never the application database), and (2) into the job's row
through a connection of its own, in a short transaction. PostgreSQL takes (2) at once; SQLite,
which has one writer at a time, refuses it while the work holds the write lock, and the tick
gives up after a moment: the page then reads (1). A job whose ticks stop (its consumer was
killed) is found stale by `services.fail_if_stale`.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy import create_engine, update
from sqlalchemy.pool import NullPool

from ..extensions import db
from ..model_helpers import utcnow
from .models import Job
from .queue import bind, huey

log = logging.getLogger(__name__)

SIDE_WRITE_TIMEOUT = 0.25  # seconds a tick waits for SQLite's write lock


def key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def read(job_id: int) -> dict:
    """{"done", "total", "beat" (epoch seconds)} of a running job, or {}."""
    try:
        bind()
        return huey.get(key(job_id), peek=True) or {}
    except Exception:  # the store unreachable: the row alone tells
        log.warning("cannot read a job's progress from the queue", exc_info=True)
        return {}


def forget(job_id: int) -> None:
    try:
        huey.delete(key(job_id))
    except Exception:
        log.warning("cannot forget a job's progress", exc_info=True)


def _side_engine(app: Flask):
    """The engine of the progress writes: SQLite gets connections that wait only a moment
    for the write lock; other databases share the app's pool (each write its own
    connection and transaction)."""
    engine = app.extensions.get("jobs.side_engine")
    if engine is None:
        if db.engine.dialect.name == "sqlite":
            engine = create_engine(
                db.engine.url,
                poolclass=NullPool,
                connect_args={"timeout": SIDE_WRITE_TIMEOUT},
            )
        else:
            engine = db.engine
        app.extensions["jobs.side_engine"] = engine
    return engine


class Ticker:
    """The progress of one running job and the thread writing it (with its heartbeat)."""

    def __init__(self, app: Flask, job_id: int, interval: float, background: bool):
        self.app = app
        self.job_id = job_id
        self.interval = interval
        self.background = background  # False when the job runs inside a request (immediate)
        self.done = 0
        self.total: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_put = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        """Called by the work: `done` of `total` (None: unknown yet)."""
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        now = time.monotonic()
        if not self.background or now - self._last_put >= 0.2:
            self._last_put = now
            self._put()

    def __enter__(self):
        if self.background:
            self._put()
            self._thread = threading.Thread(target=self._run, name=f"job-{self.job_id}")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return False

    def _run(self) -> None:
        with self.app.app_context():
            engine = _side_engine(self.app)
            while not self._stop.wait(self.interval):
                self._put()
                self._write_row(engine)

    def _put(self) -> None:
        try:
            huey.put(
                key(self.job_id), {"done": self.done, "total": self.total, "beat": time.time()}
            )
        except Exception:
            log.warning("cannot write a job's progress to the queue", exc_info=True)

    def _write_row(self, engine) -> None:
        statement = (
            update(Job)
            .where(Job.id == self.job_id, Job.state == "running")
            .values(progress_done=self.done, progress_total=self.total, heartbeat_at=utcnow())
        )
        try:
            with engine.begin() as connection:
                connection.execute(statement)
        except Exception:  # SQLite's write lock is the work's: the queue's store tells
            log.debug("progress of job %s not written to its row this time", self.job_id)
