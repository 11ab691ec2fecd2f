"""Background jobs (Huey): long work in a consumer process, its state and progress in the
database, a page and a JSON status URL following it, the queue's periodic tasks.

For features above the jobs: `register_kind(name, run, title)` and `services.submit(...)`
start work; `periodic(crontab(...), name)(fn)` runs `fn` on the scheduler. Features below
(the officials' sheet, the notifications' outbox) never import the jobs: the jobs import them
and register their kinds and tasks (officials_sheet, exports, outbox).
"""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from . import (  # noqa: E402,F401  (kinds, tasks, views and rules register themselves)
    exports,
    maintenance,
    notices,
    officials_sheet,
    outbox,
    routes,
    rules,
)
from .kinds import Outcome, register_kind  # noqa: E402
from .queue import crontab, huey, periodic  # noqa: E402

__all__ = ["Outcome", "bp", "crontab", "huey", "init_app", "periodic", "register_kind"]


def init_app(app) -> None:
    """Point the process's queue at the storage the app's configuration names, and let
    /healthz check that the queue answers."""
    from ..health import register_check
    from .queue import configure

    configure(app)
    register_check("queue", _check_queue)


class QueueUnreachable(RuntimeError):
    pass


def _check_queue() -> None:
    from .queue import queue_reachable

    if not queue_reachable():
        raise QueueUnreachable("the job queue does not answer")
