"""The yearly counts of an organization's gender-equality collaborators and volunteers
(DOMAIN §10: recorded and reported, no target). Entries are never overwritten: a correction is
a new entry, and the latest entry of an organization and year is its figure. Services flush,
never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import services as audit
from ..domain.tree import tree_order
from ..extensions import db
from ..officials.models import Organization
from ..validation import ServiceError
from .figures import check_figure, clean_source
from .models import CollaboratorCount

FIRST_YEAR, LAST_YEAR = 2000, 2100


def add_count(
    organization: Organization,
    year: int,
    collaborators: int,
    volunteers: int,
    source: str | None = None,
    actor=None,
) -> CollaboratorCount:
    """Record a year's figures of an organization; ServiceError on a bad year or count."""
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            _("Năm phải từ %(first)d đến %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
            "year",
            code="year_out_of_range",
        )
    for name, value in (("collaborators", collaborators), ("volunteers", volunteers)):
        check_figure(
            value,
            name,
            _("Số người phải là số nguyên không âm."),
            _("Số người không được lớn hơn %(n)s."),
        )
    source = clean_source(source)
    entry = CollaboratorCount(
        organization_id=organization.id,
        year=year,
        collaborators=collaborators,
        volunteers=volunteers,
        source=source,
        entered_by_id=getattr(actor, "id", None),
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        actor,
        "collaborator_count.create",
        entry,
        {"year": year, "collaborators": collaborators, "volunteers": volunteers},
    )
    return entry


def counts_of_year(year: int) -> dict[int, tuple[int, int]]:
    """{organization id: (collaborators, volunteers)}, the latest entry of each, for `year`
    (one statement)."""
    latest = (
        select(func.max(CollaboratorCount.id))
        .where(CollaboratorCount.year == year)
        .group_by(CollaboratorCount.organization_id)
    )
    stmt = select(
        CollaboratorCount.organization_id,
        CollaboratorCount.collaborators,
        CollaboratorCount.volunteers,
    ).where(CollaboratorCount.id.in_(latest.scalar_subquery()))
    return {org_id: (c, v) for org_id, c, v in db.session.execute(stmt)}


def history(organization: Organization) -> list[CollaboratorCount]:
    """Every entry of an organization, newest first."""
    stmt = (
        select(CollaboratorCount)
        .where(CollaboratorCount.organization_id == organization.id)
        .order_by(CollaboratorCount.year.desc(), CollaboratorCount.id.desc())
    )
    return list(db.session.scalars(stmt))


def latest_by_year(entries: list[CollaboratorCount]) -> list[CollaboratorCount]:
    """The figure of each year (its latest entry), newest year first, from `history`'s list."""
    seen: dict[int, CollaboratorCount] = {}
    for entry in entries:  # newest first within a year
        seen.setdefault(entry.year, entry)
    return sorted(seen.values(), key=lambda entry: entry.year, reverse=True)


@dataclass(frozen=True)
class OverviewRow:
    organization: Organization
    depth: int
    entry: CollaboratorCount | None  # the year's figure, None: not entered


@dataclass(frozen=True)
class Overview:
    year: int
    rows: list[OverviewRow]
    collaborators: int  # summed over the organizations that entered the year
    volunteers: int
    entered: int  # how many organizations entered the year


def overview(scope: str | None, year: int, today: date) -> Overview:
    """The year's figure of every organization under the path prefix `scope` (an HR's scope),
    in tree order: the open ones, and the closed ones that entered the year (two statements)."""
    if scope is None:
        return Overview(year, [], 0, 0, 0)
    orgs = db.session.scalars(select(Organization).where(Organization.path.startswith(scope))).all()
    latest = (
        select(func.max(CollaboratorCount.id))
        .join(Organization, Organization.id == CollaboratorCount.organization_id)
        .where(CollaboratorCount.year == year, Organization.path.startswith(scope))
        .group_by(CollaboratorCount.organization_id)
    )
    entries = {
        entry.organization_id: entry
        for entry in db.session.scalars(
            select(CollaboratorCount).where(CollaboratorCount.id.in_(latest.scalar_subquery()))
        )
    }
    rows = [
        OverviewRow(org, depth, entries.get(org.id))
        for org, depth in tree_order(orgs)
        if org.id in entries or org.valid_to is None or org.valid_to > today
    ]
    found = list(entries.values())
    return Overview(
        year,
        rows,
        sum(entry.collaborators for entry in found),
        sum(entry.volunteers for entry in found),
        len(found),
    )
