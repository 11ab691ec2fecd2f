"""The configurable values of DOMAIN §2–3 (young-age limits, the medical setting), stored as
JSON in the `settings` table; a key without a row has the default of app.domain.targets.Settings.

Core: read by the registry (the officials list, the import, the levels) and by progress alike.
Changing them is the admin's use-case `app.progress.settings.update_settings` (it is audited).
"""

import dataclasses
import json
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .domain.targets import DEFAULT_SETTINGS, Settings
from .extensions import db
from .model_helpers import utcnow
from .validation import ServiceError

# The keys are the fields of the domain's Settings: never listed twice.
KEYS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Settings))
# Plausible bounds of a "young official" age limit (DOMAIN §2 says 40 and 35).
AGE_LIMITS = (18, 70)


class Setting(db.Model):
    """One configurable value, JSON-encoded; a missing row means the DOMAIN default."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def decode(key: str, text: str):
    """The stored JSON `text` of `key`; the default where it no longer parses as its type."""
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
    return dataclasses.replace(DEFAULT_SETTINGS, **{key: decode(key, text) for key, text in rows})


def checked(key: str, value):
    """`value` if it is a valid value of setting `key`, else a ServiceError naming the key."""
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
