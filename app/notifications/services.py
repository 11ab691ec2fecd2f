"""Notifications: send one, count and list a user's, mark them read.

Flush, never commit: a notification is written in the transaction of what it tells about, so
it exists exactly when that change was committed; so is its email, when email is configured
(app.notifications.outbox sends it after the commit)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update

from ..auth.models import User
from ..extensions import db
from ..model_helpers import utcnow
from . import kinds, outbox
from .models import Notification

LIST_LIMIT = 100


def path_for(endpoint: str, **values) -> str:
    """The app's path of a page, inside a request or out of one (the command line)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def notify(
    user_id: int,
    kind: str,
    params: dict | None = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    link: str | None = None,
) -> Notification:
    """Tell user `user_id` that `kind` happened to an object. `params` must be JSON values:
    the words are made from them when shown (app.notifications.kinds). With MAIL_SERVER set,
    an email in her language is queued in the same transaction (outbox.queue_for)."""
    if not kinds.known(kind):
        raise LookupError(f"no words registered for notification kind {kind!r}")
    notification = Notification(
        user_id=user_id,
        kind=kind,
        params=dict(params or {}),
        object_type=object_type,
        object_id=object_id,
        link=link,
        created_at=utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    outbox.queue_for(notification)
    return notification


def notify_official(official_id: int, kind: str, params: dict | None = None, **about):
    """Notify the account linked to an official; None when she has no account."""
    user_id = db.session.scalar(select(User.id).where(User.official_id == official_id))
    if user_id is None:
        return None
    return notify(user_id, kind, params, **about)


def unread_count_query(user):
    """The SELECT of how many of `user`'s notifications are unread."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread: one statement."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(unread_count_query(user))


def latest(user, limit: int = LIST_LIMIT) -> list[Notification]:
    """`user`'s notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(notification: Notification) -> None:
    """Mark one notification read (once: the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
