"""Finding an organization by the name a person wrote (a spreadsheet cell, a command line).

The rule, in one place: the exact name first, else the one organization whose name is equal
ignoring diacritics and case (app.domain.text.fold); two or more such names are ambiguous and
none is chosen. :class:`OrganizationIndex` reads every organization once (one statement) for
callers that look up many names, such as the officials import.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..domain.text import fold
from ..extensions import db
from .models import Organization


@dataclass(frozen=True)
class Found:
    """An organization as the index knows it."""

    id: int
    name: str
    path: str
    plan_level: str


def choose(name: str, exact: Found | None, folded: list[Found]) -> tuple[Found | None, tuple]:
    """Apply the rule: (the organization, ()) when found; (None, the names) when ambiguous;
    (None, ()) when unknown. `exact` has the very name, `folded` the same folded name."""
    if exact is not None:
        return exact, ()
    if len(folded) == 1:
        return folded[0], ()
    return None, tuple(sorted(found.name for found in folded))


class OrganizationIndex:
    """Every organization's id, name, path and plan level, read in one statement."""

    def __init__(self):
        self.by_name: dict[str, Found] = {}
        self.by_folded: dict[str, list[Found]] = {}
        self.by_id: dict[int, Found] = {}
        columns = (Organization.id, Organization.name, Organization.path, Organization.plan_level)
        for values in db.session.execute(select(*columns)):
            found = Found(*values)
            self.by_name[found.name] = found
            self.by_folded.setdefault(fold(found.name), []).append(found)
            self.by_id[found.id] = found

    def find(self, name: str) -> tuple[Found | None, tuple[str, ...]]:
        """See :func:`choose`."""
        return choose(name, self.by_name.get(name), self.by_folded.get(fold(name), []))
