"""The email outbox on the queue: after a commit that queued emails, a task sends them in a
consumer (instead of a thread of the web process), and the scheduler sends what is left every
minute (what cron did with `flask notifications send-outbox`, which stays)."""

from __future__ import annotations

from flask import Flask, current_app

from ..notifications import outbox
from .queue import bind, crontab, flask_app, huey, periodic


def send_due() -> int:
    """Send the due emails (when email is configured); how many were sent."""
    if not current_app.config.get("MAIL_SERVER"):
        return 0
    return outbox.deliver_pending().sent


@huey.task(name="notifications.send_outbox")
def send_outbox_now() -> None:
    with flask_app().app_context():
        send_due()


def _hand_on(app: Flask) -> bool:
    bind(app)
    if huey.immediate:
        return False  # no consumer apart from this process: its own thread sends
    send_outbox_now()
    return True


outbox.provide_sender(_hand_on)
send_outbox_every_minute = periodic(crontab(minute="*"), "notifications.outbox")(send_due)
