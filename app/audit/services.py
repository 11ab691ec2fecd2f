"""Writing the audit log. Values are made JSON-safe; callers never pass a child's data."""

from datetime import date, datetime

from ..extensions import db
from .models import AuditEntry


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj, fields) -> dict:
    """The current values of `fields` on `obj`, JSON-safe."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def record(actor, action: str, subject, changes: dict, official_id: int | None = None) -> None:
    """Add one audit entry (flushed with the change it records)."""
    db.session.add(
        AuditEntry(
            user_id=getattr(actor, "id", None),
            username=getattr(actor, "username", None),
            action=action,
            subject_type=type(subject).__name__,
            subject_id=getattr(subject, "id", None),
            official_id=official_id,
            changes=changes,
            subject_version=getattr(subject, "version", None),
        )
    )
