"""URL converters of the application."""

import builtins

from flask import Flask
from werkzeug.routing import IntegerConverter

# Ids are `integer` columns: PostgreSQL's integer stops at 2**31 - 1 (SQLite's at 2**63 - 1).
from .model_helpers import MAX_ID


class CappedIntegerConverter(IntegerConverter):
    """`<int:...>` for every route of the app: at most MAX_ID (a rule may ask for less with
    `int(max=...)`). A larger number does not match the rule, so a URL such as
    /officials/99999999999 answers 404 instead of overflowing the database driver (500).
    Other integers of a URL (a year, a page) fit the same range."""

    # The parameters keep werkzeug's names: rules pass them by keyword, e.g. int(min=1).
    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        max = MAX_ID if max is None else builtins.min(max, MAX_ID)
        if signed:
            min = -MAX_ID - 1 if min is None else builtins.max(min, -MAX_ID - 1)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def to_id(value) -> int:
    """An id typed in a form or a query string: an integer from 1 to MAX_ID, else ValueError
    (as `int` raises for text), so a form shows its field's error and `request.args.get(...,
    type=to_id)` falls back to its default instead of sending the database a number it
    cannot hold."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"not an id: {value!r}")
    return number


def register(app: Flask) -> None:
    """Replace the "int" converter; call before any blueprint adds its rules."""
    app.url_map.converters["int"] = CappedIntegerConverter


def optional_id(value) -> int | None:
    """An optional id of a form field: None when blank, else `to_id` (ValueError on junk or a
    number beyond the ids' range, which the field shows as its error)."""
    return None if value in (None, "") else to_id(value)
