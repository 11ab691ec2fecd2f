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

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

__all__ = ["configure", "crontab", "flask_app", "huey", "periodic", "queue_reachable"]

huey = Huey("ccvc-jobs", results=False, immediate=True, storage_class=MemoryStorage)
_state: dict[str, Flask] = {}


def configure(app: Flask) -> None:
    """Point the process's queue at the storage `app`'s configuration names; tasks run with
    `app` (in a consumer, the one app it builds)."""
    config = app.config
    name = config["JOBS_QUEUE_NAME"]
    huey.name = name
    if config.get("JOBS_IMMEDIATE"):
        huey._immediate = True
        huey.storage = MemoryStorage(name)
    elif config.get("JOBS_QUEUE_URL"):
        huey._immediate = False
        huey.storage = RedisStorage(name, url=config["JOBS_QUEUE_URL"])
    else:
        huey._immediate = False
        huey.storage = SqliteStorage(name, filename=config["JOBS_QUEUE_FILE"])
    _state["app"] = app


def flask_app() -> Flask:
    """The app a task runs with: the current one (a job run at once inside a request), else
    the consumer's."""
    if has_app_context():
        return current_app._get_current_object()
    return _state["app"]


def periodic(schedule, name: str) -> Callable[[Callable[[], object]], Callable]:
    """Register `fn()` to run on the queue's scheduler (in the consumer, with `-s`/by default)
    at the times of `schedule` (`crontab(...)`), inside an app context. For features above
    the jobs: `app.jobs.periodic(crontab(hour="7", minute="0"), "plan.remind")(remind)`."""

    def register(fn: Callable[[], object]) -> Callable:
        def run():
            with flask_app().app_context():
                return fn()

        run.__name__ = fn.__name__
        return huey.periodic_task(schedule, name=name)(run)

    return register


def queue_reachable() -> bool:
    """Can this process reach the queue's storage (for a health check)?"""
    try:
        huey.storage.queue_size()
    except Exception:  # any failure of the storage means "not reachable"
        log.warning("the job queue is not reachable", exc_info=True)
        return False
    return True
