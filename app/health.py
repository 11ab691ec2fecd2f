"""The checks of `/healthz` (for load balancers): a small registry any layer may add to.

A check is a function of no argument that returns when its part answers and raises when it
does not (`app.jobs` registers "queue" this way). Its error is logged under its name, never
answered: a message may name a host or a URL, and the health check answers anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import text

from .extensions import db

log = logging.getLogger(__name__)

Check = Callable[[], object]
_checks: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Add (or replace) the check called `name`; checks run in the order they were added."""
    _checks[name] = check


def registered() -> tuple[str, ...]:
    return tuple(_checks)


def run_checks() -> tuple[bool, dict[str, str]]:
    """Run every check: (all passed, {name: "ok" | "error"})."""
    results: dict[str, str] = {}
    for name, check in _checks.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure of a part is an "error" of the check
            log.exception("Health check %r failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


def check_database() -> None:
    """A trivial statement on a connection of the pool, rolled back at once."""
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


register_check("database", check_database)
