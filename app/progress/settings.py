"""The configurable values of DOMAIN §2–3 (young-age limits, the medical setting), stored as
JSON in the `settings` table; a key without a row has the default of app.domain.targets.Settings.
"""

import dataclasses
import json

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit import services as audit
from ..domain.targets import DEFAULT_SETTINGS, Settings
from ..extensions import db
from ..validation import ServiceError
from .models import Setting

# The keys are the fields of the domain's Settings: never listed twice.
KEYS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Settings))
# Plausible bounds of a "young official" age limit (DOMAIN §2 says 40 and 35).
AGE_LIMITS = (18, 70)


def _decode(key: str, text: str):
    default = getattr(DEFAULT_SETTINGS, key)
    try:
        value = json.loads(text)
    except ValueError:
        return default
    # A row that no longer parses as the right type falls back to the default, not a crash.
    return value if type(value) is type(default) else default


def load_settings() -> Settings:
    """Return the current settings (one query); missing or unreadable rows take the defaults."""
    rows = db.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(KEYS)))
    return dataclasses.replace(DEFAULT_SETTINGS, **{key: _decode(key, text) for key, text in rows})


def _checked(key: str, value):
    if key not in KEYS:
        raise ServiceError(_("Không có thiết lập “%(key)s”.", key=key), key)
    if isinstance(getattr(DEFAULT_SETTINGS, key), bool):
        if not isinstance(value, bool):
            raise ServiceError(_("Giá trị phải là có hoặc không."), key)
        return value
    low, high = AGE_LIMITS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ServiceError(
            _("Tuổi phải là số nguyên từ %(low)d đến %(high)d.", low=low, high=high), key
        )
    return value


def update_settings(actor=None, **values) -> Settings:
    """Change some settings (admin only, by the rule "settings.edit"); audited per key.

    Every value is validated before anything is written. Returns the new settings.
    """
    checked = {key: _checked(key, value) for key, value in values.items()}
    current = load_settings()
    stored = db.session.scalars(select(Setting).where(Setting.key.in_(KEYS)))
    rows = {row.key: row for row in stored}
    for key, value in checked.items():
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
