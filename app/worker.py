"""What a job consumer runs: `huey_consumer app.worker.huey` (`make run` starts one beside the
web server; in production any number, on any host, with the web servers' configuration).
Wiring: it builds the app whose configuration points the queue (app.jobs.queue) at its
storage and whose context the tasks run in."""

from . import create_app
from .jobs.queue import huey

app = create_app()

__all__ = ["app", "huey"]
