"""Changing the settings (app.settings holds them and reads them): the admin's use-case."""

import json

from sqlalchemy import select

from ..audit import services as audit
from ..extensions import db
from ..settings import KEYS, Setting, checked, load_settings

__all__ = ["load_settings", "update_settings"]


def update_settings(actor=None, **values):
    """Change some settings (admin only, by the rule "settings.edit"); audited per key.

    Every value is validated before anything is written. Returns the new settings.
    """
    valid = {key: checked(key, value) for key, value in values.items()}
    current = load_settings()
    stored = db.session.scalars(select(Setting).where(Setting.key.in_(KEYS)))
    rows = {row.key: row for row in stored}
    for key, value in valid.items():
        old = getattr(current, key)
        if value == old and key in rows:
            continue
        row = rows.get(key) or Setting(key=key)
        row.value = json.dumps(value)
        row.updated_by_id = getattr(actor, "id", None)
        db.session.add(row)
        db.session.flush()
        audit.record(actor, "settings.update", row, {key: [old, value]})
    return load_settings()
