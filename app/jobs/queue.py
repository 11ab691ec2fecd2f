"""The task queue (Huey) of the background jobs.

One Huey object per process, as Huey wants it (its tasks register on it when imported). Its
storage follows the configuration of the app that `configure` is given: a SQLite file of its
own in instance/ (the embedded default, its consumer started by `make run`), a Redis named by
JOBS_QUEUE_URL (production: any number of `huey_consumer app.jobs.worker.huey` on any number
of hosts), or memory with the tasks run at once in the process that enqueues them
(JOBS_IMMEDIATE, the tests). Consumers import app.jobs.worker, which builds the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from ..i18n import TIMEZONE

log = logging.getLogger(__name__)

__all__ = ["configure", "crontab", "flask_app", "huey", "periodic", "queue_reachable"]

# utc=True: the scheduler hands periodic tasks the moment in UTC, whatever the host's clock;
# `periodic` reads their crontabs in Bến Tre's time (Asia/Ho_Chi_Minh).
huey = Huey("ccvc-jobs", results=False, immediate=True, storage_class=MemoryStorage, utc=True)
_state: dict[str, Flask] = {}


def configure(app: Flask) -> None:
    """Make the storage `app`'s configuration names and point the process's queue at it;
    tasks run with `app` (in a consumer, the one app it builds)."""
    config = app.config
    name = config["JOBS_QUEUE_NAME"]
    if config.get("JOBS_IMMEDIATE"):
        settings = (True, MemoryStorage(name))
    elif config.get("JOBS_QUEUE_URL"):
        settings = (False, RedisStorage(name, url=config["JOBS_QUEUE_URL"]))
    else:
        settings = (False, SqliteStorage(name, filename=config["JOBS_QUEUE_FILE"]))
    app.extensions["jobs.queue"] = settings
    _state["app"] = app
    bind(app)


def bind(app: Flask | None = None) -> None:
    """Point the queue at `app`'s (default: the current app's) storage, where a process holds
    several apps (the tests) and the last one built is not the one at work."""
    app = app or flask_app()
    settings = app.extensions.get("jobs.queue")
    if settings is None or _state.get("bound") is settings:
        return
    huey._immediate, huey.storage = settings
    huey.name = app.config["JOBS_QUEUE_NAME"]
    _state["bound"] = settings


def flask_app() -> Flask:
    """The app a task runs with: the current one (a job run at once inside a request), else
    the consumer's."""
    if has_app_context():
        return current_app._get_current_object()
    return _state["app"]


def in_local_time(schedule: Callable[[datetime], bool]) -> Callable[[datetime], bool]:
    """`schedule` (a crontab of local times) as the scheduler checks it: given the moment in
    UTC (naive, as Huey passes it), is it due in Asia/Ho_Chi_Minh?"""

    def validate(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone(TIMEZONE).replace(tzinfo=None)
        return schedule(local)

    return validate


def periodic(schedule, name: str) -> Callable[[Callable[[], object]], Callable]:
    """Register `fn()` to run on the queue's scheduler (in the consumer, with `-s`/by default)
    at the times of `schedule` (`crontab(...)`) in Bến Tre's time, whatever the host's clock,
    inside an app context. For features above the jobs:
    `app.jobs.periodic(crontab(hour="7", minute="0"), "plan.remind")(remind)` runs at 07:00
    in Asia/Ho_Chi_Minh (00:00 UTC)."""

    def register(fn: Callable[[], object]) -> Callable:
        def run():
            with flask_app().app_context():
                return fn()

        run.__name__ = fn.__name__
        return huey.periodic_task(in_local_time(schedule), name=name)(run)

    return register


def queue_reachable() -> bool:
    """Can this process reach the queue's storage (for a health check)?"""
    try:
        bind()
        huey.storage.queue_size()
    except Exception:  # any failure of the storage means "not reachable"
        log.warning("the job queue is not reachable", exc_info=True)
        return False
    return True
