"""Read-side queries of the registry: the filtered, scoped officials list and its counts.

A page of the list costs a constant number of statements whatever the number of officials:
one for the counts, one for the page (officials joined to their primary post and its unit).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..domain.ladders import LEADER_RANKS
from ..domain.targets import Settings
from ..domain.text import fold
from ..domain.tree import tree_order
from ..extensions import db
from ..permissions import EVERYTHING
from .models import POSITION_RANKS, Appointment, Official, Organization, RecordNote

AGE_BANDS = {  # label -> (min age inclusive, max age exclusive)
    "under30": (0, 30),
    "30to39": (30, 40),
    "40to49": (40, 50),
    "50plus": (50, 200),
}
SORTS = {
    "name": (Official.sort_key, Official.id),
    "code": (Official.code,),
    "birth_date": (Official.birth_date, Official.sort_key),
    "organization": (Organization.name, Official.sort_key),
    # Highest rank first: the codes' alphabetical order means nothing.
    "rank": (
        case(
            {code: -index for index, code in enumerate(POSITION_RANKS)},
            value=Appointment.position_rank,
            else_=1,
        ),
        Official.sort_key,
    ),
}


@dataclass(frozen=True)
class OfficialFilters:
    q: str = ""
    organization_id: int | None = None  # with its subtree
    plan_level: str | None = None
    sex: str | None = None
    position_rank: str | None = None
    age_band: str | None = None
    in_succession_pool: bool | None = None
    status: str | None = "active"


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def filtered(scope: str | None, filters: OfficialFilters, today: date, *columns) -> Select:
    """`columns` (default: official, primary post, unit) of the officials within `scope` (a
    path prefix, see permissions.scope_prefix) matching `filters`."""
    stmt = (
        select(*(columns or (Official, Appointment, Organization)))
        .select_from(Official)
        .join(Appointment, and_(Appointment.official_id == Official.id, Appointment.is_primary))
        .join(Organization, Organization.id == Appointment.organization_id)
    )
    if scope is None:
        return stmt.where(False)
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    if filters.q:
        needle = fold(filters.q)
        stmt = stmt.where(
            or_(
                Official.name_folded.contains(needle, autoescape=True),
                func.lower(Official.code) == needle,
            )
        )
    if filters.organization_id:
        root = db.session.get(Organization, filters.organization_id)
        stmt = stmt.where(Organization.path.startswith(root.path) if root else False)
    if filters.plan_level:
        stmt = stmt.where(Organization.plan_level == filters.plan_level)
    if filters.sex:
        stmt = stmt.where(Official.sex == filters.sex)
    if filters.position_rank:
        stmt = stmt.where(Appointment.position_rank == filters.position_rank)
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        # age >= low  <=> born on or before today - low years; age < high <=> born after.
        stmt = stmt.where(
            Official.birth_date <= _years_before(today, low),
            Official.birth_date > _years_before(today, high),
        )
    if filters.in_succession_pool is not None:
        stmt = stmt.where(Official.in_succession_pool.is_(filters.in_succession_pool))
    if filters.status:
        stmt = stmt.where(Official.status == filters.status)
    return stmt


def counts(
    scope: str | None, filters: OfficialFilters, today: date, settings: Settings
) -> dict[str, int]:
    """Totals of the filtered list in one statement: all, women, men, leaders, young (by the
    stored young-age limits of `settings`)."""
    young_limit = _years_before(today, settings.young_age_upper)
    young_commune = _years_before(today, settings.young_age_upper_commune)
    base = filtered(
        scope,
        filters,
        today,
        Official.sex,
        Official.birth_date,
        Organization.plan_level,
        Appointment.position_rank,
    ).subquery()
    young = or_(
        and_(base.c.plan_level != "commune", base.c.birth_date > young_limit),
        and_(base.c.plan_level == "commune", base.c.birth_date > young_commune),
    )
    row = db.session.execute(
        select(
            func.count(),
            func.sum(case((base.c.sex == "F", 1), else_=0)),
            func.sum(case((base.c.sex == "M", 1), else_=0)),
            func.sum(case((base.c.position_rank.in_(LEADER_RANKS), 1), else_=0)),
            func.sum(case((young, 1), else_=0)),
        )
    ).one()
    keys = ("total", "women", "men", "leaders", "young")
    return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}


def page_of(
    scope: str | None,
    filters: OfficialFilters,
    today: date,
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
):
    """One page of (official, primary post, unit) rows, in one statement."""
    stmt = (
        filtered(scope, filters, today)
        .order_by(*SORTS.get(sort, SORTS["name"]))
        .limit(per_page)
        .offset(max(page - 1, 0) * per_page)
    )
    return db.session.execute(stmt).all()


# --- one official's page -------------------------------------------------------------------


def official_with_posts(official_id: int) -> Official | None:
    """The official with her appointments and their units loaded (two statements)."""
    return db.session.get(
        Official,
        official_id,
        options=[selectinload(Official.appointments).joinedload(Appointment.organization)],
    )


def record_notes(official_id: int, open_only: bool = False, limit: int = 50) -> list[RecordNote]:
    """Her "report an error" notes, newest first."""
    stmt = select(RecordNote).where(RecordNote.official_id == official_id)
    if open_only:
        stmt = stmt.where(RecordNote.resolved_at.is_(None))
    stmt = stmt.order_by(RecordNote.created_at.desc(), RecordNote.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def official_history(official_id: int, limit: int = 200) -> list[AuditEntry]:
    """The audit entries about an official (her data, posts, notes...), newest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.official_id == official_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def organization_names(ids) -> dict[int, str]:
    """{id: name} of the given organizations, in one statement."""
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return dict(rows.all())


def organization_options(scope: str | None, open_on: date | None = None) -> list[tuple[int, str]]:
    """(id, name indented by depth) of the organizations within `scope` as a tree, each level
    in name order; with `open_on`, closed ones are left out. One statement."""
    if scope is None:
        return []
    stmt = select(
        Organization.id,
        Organization.name,
        Organization.parent_id,
        Organization.valid_from,
        Organization.valid_to,
    )
    if scope != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(scope))
    rows = db.session.execute(stmt).all()

    def is_open(row) -> bool:
        return open_on is None or (
            (row.valid_from is None or row.valid_from <= open_on)
            and (row.valid_to is None or row.valid_to > open_on)
        )

    return [(row.id, "— " * depth + row.name) for row, depth in tree_order(rows) if is_open(row)]
