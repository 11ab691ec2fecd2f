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


def check_one_of(column: str, values) -> str:
    """The same constraint as check_in, written as comparisons joined by OR: SQLite probes a
    temporary index for every row checked against an IN list, while comparisons cost almost
    nothing (a 100,000-official import writes 488,273 qualification records: 1.2 s of SQLite
    time for their checks as IN lists, 0.06 s as comparisons). Used on bulk-written tables."""
    return "(" + " OR ".join(f"{column} = '{value}'" for value in values) + ")"


# The largest primary key (PostgreSQL `integer`): a larger id in a URL or a body names nothing.
MAX_ID = 2**31 - 1
