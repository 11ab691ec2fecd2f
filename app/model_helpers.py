"""Helpers shared by the models of every feature (core: below the features, above nothing but
the standard library)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL; shown in local time."""
    return datetime.now(UTC).replace(tzinfo=None)


def codes(levels) -> tuple[str, ...]:
    """The codes of a vocabulary (app.domain.ladders), in its order."""
    return tuple(level.code for level in levels)


def check_in(column: str, values) -> str:
    """The SQL of a CHECK constraint: `column` holds one of `values`."""
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


# The largest primary key (PostgreSQL `integer`): a larger id in a URL or a body names nothing.
MAX_ID = 2**31 - 1
