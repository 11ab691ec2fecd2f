"""The yearly counts of an organization's gender-equality collaborators and volunteers
(DOMAIN §10: recorded and reported, no target). Entries are never overwritten: a correction is
a new entry, and the latest entry of an organization and year is its figure. Services flush,
never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..audit import services as audit
from ..extensions import db
from ..officials.models import Organization
from ..validation import ServiceError
from .models import SOURCE_LIMIT, CollaboratorCount

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
            _("Năm phải từ %(first)d đến %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), "year"
        )
    for name, value in (("collaborators", collaborators), ("volunteers", volunteers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ServiceError(_("Số người phải là số nguyên không âm."), name)
    source = (source or "").strip() or None
    if source is not None and len(source) > SOURCE_LIMIT:
        raise ServiceError(_("Nguồn quá dài (tối đa %(n)d ký tự).", n=SOURCE_LIMIT), "source")
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
