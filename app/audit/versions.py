"""Optimistic locking of the versioned objects (officials, appointments, organizations,
qualification records): a save based on an older version than the stored one is refused.

The version is SQLAlchemy's `version_id_col`: every UPDATE raises it and names the version it
read in its WHERE clause, so a change committed between the read and the write (StaleDataError
at flush) is refused as well. Pages carry the version the user loaded in a hidden field, the API
in `If-Match`; both call `check_version`. What changed since is read from the audit log, whose
entries note the version their change produced.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..validation import StaleVersion
from . import services as audit
from .models import AuditEntry


@dataclass(frozen=True)
class Change:
    """A field changed since the version the user loaded: its value now stored (JSON-safe, as
    in the audit log), who changed it last and when (None when the log does not say)."""

    field: str
    value: object
    username: str | None
    at: datetime | None


def _stale(subject, expected: int | None) -> StaleVersion:
    identity = inspect(subject).identity  # kept by the session even after a failed flush
    return StaleVersion(
        _(
            "Dữ liệu này đã được người khác thay đổi sau khi bạn mở trang, nên thay đổi của bạn "
            "chưa được lưu. Hãy xem lại những thay đổi dưới đây rồi lưu lại nếu vẫn cần."
        ),
        type(subject),
        identity[0] if identity else None,
        expected,
    )


def check_version(obj, expected: int | None) -> None:
    """Refuse (StaleVersion) a save based on version `expected` of `obj` when the stored version
    is another; None (no version sent: an older client, an API call without If-Match) lets it
    through."""
    if expected is not None and int(expected) != obj.version:
        raise _stale(obj, int(expected))


@contextmanager
def stale_refused(subject):
    """Turn a concurrent change found at flush (StaleDataError: the row's version moved on
    between the read and the write) into the same refusal as `check_version`."""
    loaded = subject.__dict__.get("version")
    try:
        yield
    except StaleDataError as error:
        raise _stale(subject, loaded) from error


def flush(subject) -> None:
    """Flush the session, refusing a concurrent change of `subject` as stale."""
    with stale_refused(subject):
        db.session.flush()


def changes_since(error: StaleVersion) -> tuple[object | None, list[Change]]:
    """(the object as now stored, None when it is gone; the fields changed after the version
    the user had, each once with its latest author). Call it after the rollback."""
    subject = None
    if error.subject_id is not None:
        subject = db.session.get(error.subject_type, error.subject_id, populate_existing=True)
    if subject is None:
        return None, []
    stmt = select(AuditEntry).where(
        AuditEntry.subject_type == error.subject_type.__name__,
        AuditEntry.subject_id == error.subject_id,
    )
    if error.expected is not None:
        stmt = stmt.where(AuditEntry.subject_version > error.expected)
        entries = db.session.scalars(stmt.order_by(AuditEntry.id)).all()
    else:  # the version read is unknown: the latest change only
        entries = db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(1)).all()
    latest: dict[str, AuditEntry] = {}
    for entry in entries:
        for field in entry.changes or {}:
            latest.pop(field, None)
            latest[field] = entry
    stored = audit.snapshot(subject, [f for f in latest if hasattr(subject, f)])
    changes = [
        Change(field, stored[field], entry.username, entry.at)
        for field, entry in latest.items()
        if field in stored
    ]
    return subject, changes
