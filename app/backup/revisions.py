"""Where a backup's migration revision stands against the code's."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import current_app

CURRENT, OLDER, UNKNOWN = "current", "older", "unknown"


def _scripts() -> ScriptDirectory:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config)


def code_head() -> str:
    """The revision the code's migrations end at."""
    return ",".join(sorted(_scripts().get_heads()))


def classify(revision: str) -> str:
    """CURRENT: the code's head; OLDER: one of its ancestors (restore, then `db upgrade`);
    UNKNOWN: a revision the code does not know (a newer release's, or another app's)."""
    scripts = _scripts()
    heads = set(scripts.get_heads())
    if revision in heads:
        return CURRENT
    known = {script.revision for script in scripts.walk_revisions()}
    return OLDER if revision in known else UNKNOWN
