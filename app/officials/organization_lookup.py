"""Finding an organization by the name a person wrote (a spreadsheet cell, a command line).

The rule lives in app.domain.text.pick_by_name: the exact name first, else the one
organization whose name is equal ignoring diacritics and case; two or more such names are
ambiguous and none is chosen. :class:`OrganizationIndex` reads every organization once (one
statement) for callers that look up many names, such as the officials import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.text import fold, pick_by_name
from ..extensions import db
from .models import Organization


@dataclass(frozen=True)
class Found:
    """An organization as the index knows it."""

    id: int
    name: str
    path: str
    plan_level: str
    valid_to: date | None  # closed from this day on (app.officials.services.is_closed)
    kind: str = "state"


class OrganizationIndex:
    """Every organization's id, name, path and plan level, read in one statement."""

    def __init__(self):
        self.by_name: dict[str, Found] = {}
        self.by_folded: dict[str, list[Found]] = {}
        self.by_id: dict[int, Found] = {}
        columns = (
            Organization.id,
            Organization.name,
            Organization.path,
            Organization.plan_level,
            Organization.valid_to,
            Organization.kind,
        )
        for values in db.session.execute(select(*columns)):
            found = Found(*values)
            self.by_name[found.name] = found
            self.by_folded.setdefault(fold(found.name), []).append(found)
            self.by_id[found.id] = found

    def find(self, name: str) -> tuple[Found | None, tuple[str, ...]]:
        """app.domain.text.pick_by_name among the organizations whose name folds alike."""
        candidates = self.by_folded.get(fold(name.strip()), [])
        return pick_by_name(name, ((found.name, found) for found in candidates))
