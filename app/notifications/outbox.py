"""Email for notifications, through an outbox.

`queue_for(notification)` writes the email (subject and body in the recipient's language) in
the transaction of the notification: it exists exactly when that change is committed, and a
rolled-back change leaves none. Nothing is sent inside that transaction. After a request's
commit that queued emails (MAIL_SEND_AFTER_COMMIT), a task of the job queue runs
`deliver_pending()` in a consumer (app.jobs.outbox, through `provide_sender`), or, where no
consumer runs apart from the process (the queue's immediate mode), a background thread of the
process with an app context of its own; so a slow or dead SMTP server never delays the answer
nor undoes anything. The queue's scheduler sends what is left every minute, as
`flask notifications send-outbox` does.

`deliver_pending` claims due rows (pending -> sending, a compare-and-set UPDATE: two senders,
threads or processes, never send one email twice), commits, sends each through Flask-Mailman
with MAIL_TIMEOUT, and marks it sent, pending again later (app.domain.outbox.retry_delay) or
failed, each in a short transaction of its own. A row claimed by a process that was killed
stays "sending" until its lease (next_attempt_at) ends, then is taken back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMessage
from sqlalchemy import event, select, update

from ..auth.models import User
from ..domain.outbox import retry_delay, short_error
from ..extensions import db, mail
from ..integrity import Session
from ..model_helpers import utcnow
from . import kinds
from .models import Notification, OutboxEmail

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
SUBJECT_LIMIT = 150
QUEUED = "outbox.queued"  # a key of Session.info: this transaction queued emails


# --- queueing (inside the transaction of the notification) -------------------------------------


def queue_for(notification: Notification) -> OutboxEmail | None:
    """Queue the email telling `notification` to its user, when email is configured
    (MAIL_SERVER) and the user has an address and an active account; flushed, not committed."""
    if not current_app.config.get("MAIL_SERVER"):
        return None
    user = db.session.get(User, notification.user_id)
    if user is None or not user.email or not user.active:
        return None
    subject, body = compose(notification, user)
    email = OutboxEmail(
        notification_id=notification.id,
        to_address=user.email,
        subject=subject,
        body=body,
        status="pending",
        attempts=0,
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    db.session.add(email)
    db.session.flush()
    db.session.info[QUEUED] = True
    return email


def language_of(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def compose(notification: Notification, user: User) -> tuple[str, str]:
    """(subject, plain-text body) of the email telling `notification` to `user`, in her
    language."""
    with force_locale(language_of(user)):
        message = kinds.text(notification)
        one_line = " ".join(message.split())
        if len(one_line) > SUBJECT_LIMIT:
            one_line = one_line[: SUBJECT_LIMIT - 1] + "…"
        subject = _("Thông báo: %(message)s", message=one_line)
        name = user.official.full_name if user.official is not None else user.username
        parts = [_("Kính gửi %(name)s,", name=name), message]
        if notification.link:
            parts.append(_("Xem chi tiết: %(url)s", url=absolute_url(notification.link)))
        parts.append(_("— Hệ thống đào tạo, bồi dưỡng cán bộ nữ"))
    return subject, "\n\n".join(parts) + "\n"


def absolute_url(path: str) -> str:
    """`path` of the app as a full address: PUBLIC_BASE_URL, else the development server's.
    Never the request's Host header: a request someone else sends (a cancellation promoting
    her) could name any host, and the email would carry that link to her."""
    if path.startswith(("http://", "https://")):
        return path
    base = current_app.config.get("PUBLIC_BASE_URL") or DEFAULT_BASE_URL
    return base.rstrip("/") + "/" + path.lstrip("/")


# --- sending (after the commit, in short transactions of its own) ------------------------------


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0  # failed this time, pending again for later
    failed: int = 0  # given up
    reclaimed: int = 0  # taken back from a sender that stopped while sending


def deliver_pending(limit: int = 50) -> Delivery:
    """Send up to `limit` due emails; what became of them. Commits its own transactions."""
    delivery = Delivery()
    if not current_app.config.get("MAIL_SERVER"):
        return delivery
    delivery.reclaimed = reclaim_stuck()
    claimed = claim_due(limit)
    if not claimed:
        return delivery
    connection = _smtp_connection()
    try:
        connection.open()
    except Exception as error:  # any failure of the server is a retry
        for email_id in claimed:
            _record_failure(email_id, error, delivery)
        return delivery
    try:
        for email_id in claimed:
            _send_one(connection, email_id, delivery)
    finally:
        _close_quietly(connection)
    return delivery


def reclaim_stuck() -> int:
    """Emails left "sending" past their lease (the sender was killed): pending again, or failed
    when their attempts are used up. Committed."""
    now = utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    stuck = (OutboxEmail.status == "sending", OutboxEmail.next_attempt_at < now)
    error = "interrupted while sending"
    failed = db.session.execute(
        update(OutboxEmail)
        .where(*stuck, OutboxEmail.attempts >= max_attempts)
        .values(status="failed", last_error=error)
        .execution_options(synchronize_session=False)
    ).rowcount
    retried = db.session.execute(
        update(OutboxEmail)
        .where(*stuck)
        .values(status="pending", last_error=error, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return (failed or 0) + (retried or 0)


def claim_due(limit: int) -> list[int]:
    """Claim up to `limit` due pending emails for this sender; their ids. Committed."""
    now = utcnow()
    candidates = db.session.scalars(
        select(OutboxEmail.id)
        .where(OutboxEmail.status == "pending", OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    ).all()
    claimed = [email_id for email_id in candidates if claim(email_id, commit=False)]
    db.session.commit()
    return claimed


def claim(email_id: int, commit: bool = True) -> bool:
    """Take one pending email for this sender (pending -> sending, counting the attempt):
    True when this sender got it, False when another one did first (on PostgreSQL the UPDATE
    waits for the other's commit, then finds the row no longer pending)."""
    lease = timedelta(minutes=current_app.config["MAIL_SENDING_TIMEOUT_MINUTES"])
    got = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id, OutboxEmail.status == "pending")
        .values(
            status="sending",
            attempts=OutboxEmail.attempts + 1,
            next_attempt_at=utcnow() + lease,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if commit:
        db.session.commit()
    return got == 1


def _smtp_connection():
    config = current_app.config
    return mail.get_connection(
        backend="smtp",
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config.get("MAIL_USERNAME") or "",
        password=config.get("MAIL_PASSWORD") or "",
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=config.get("MAIL_TIMEOUT"),
    )


def _send_one(connection, email_id: int, delivery: Delivery) -> None:
    email = db.session.get(OutboxEmail, email_id)
    if email is None:
        return
    message = EmailMessage(
        email.subject,
        email.body,
        current_app.config["MAIL_DEFAULT_SENDER"],
        [email.to_address],
        connection=connection,
    )
    db.session.rollback()  # no transaction stays open while the server answers
    try:
        if message.send() != 1:
            raise RuntimeError("the server took no message")
    except Exception as error:  # any failure of the server is a retry
        _record_failure(email_id, error, delivery)
        _close_quietly(connection)  # the next message opens a fresh connection
        return
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(status="sent", sent_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    delivery.sent += 1


def _record_failure(email_id: int, error: BaseException, delivery: Delivery) -> None:
    config = current_app.config
    email = db.session.get(OutboxEmail, email_id)
    delay = retry_delay(max(email.attempts, 1), config["MAIL_MAX_ATTEMPTS"])
    email.last_error = short_error(
        error, (config.get("MAIL_PASSWORD"), config.get("MAIL_USERNAME"))
    )
    if delay is None:
        email.status = "failed"
        delivery.failed += 1
    else:
        email.status = "pending"
        email.next_attempt_at = utcnow() + delay
        delivery.retried += 1
    db.session.commit()
    log.warning("email %s not sent (attempt %s): %s", email_id, email.attempts, email.last_error)


def _close_quietly(connection) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection may fail too
        connection.close()


# --- the background sender of a process --------------------------------------------------------


class _Dispatcher:
    """One sender thread per app and process at most: a commit that queued emails while it
    runs asks it for one more round instead of starting another thread."""

    def __init__(self, app: Flask):
        self.app = app
        self.lock = threading.Lock()
        self.wanted = False
        self.thread: threading.Thread | None = None

    def request_round(self) -> None:
        with self.lock:
            self.wanted = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._work, name="outbox", daemon=True)
                self.thread.start()

    def _work(self) -> None:
        while True:
            with self.lock:
                if not self.wanted:
                    self.thread = None
                    return
                self.wanted = False
            try:
                with self.app.app_context():
                    deliver_pending()
            except Exception:  # the next round or the cron retries
                log.exception("the outbox sender failed")

    def join(self, timeout: float | None = None) -> bool:
        """Wait until no round runs or is wanted; False when `timeout` passed first."""
        with self.lock:
            thread = self.thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()


def dispatcher(app: Flask) -> _Dispatcher:
    found = app.extensions.get("outbox")
    if found is None:
        found = app.extensions["outbox"] = _Dispatcher(app)
    return found


_senders: list = []


def provide_sender(send) -> None:
    """A higher layer (the background jobs) sends the outbox after a commit instead of this
    process's thread: `send(app)` hands the round on (True), or leaves it to the thread
    (False: e.g. no separate worker to hand it to)."""
    _senders[:] = [send]


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if not session.info.pop(QUEUED, False):
        return
    if has_request_context() and current_app.config.get("MAIL_SEND_AFTER_COMMIT"):
        app = current_app._get_current_object()
        if any(send(app) for send in _senders):
            return
        dispatcher(app).request_round()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(QUEUED, None)
