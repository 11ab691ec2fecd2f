"""Read-side queries of the registry: the filtered, scoped officials list and its counts.

A page of the list costs a constant number of statements whatever the number of officials:
one for the counts, one for the page (officials joined to their primary post and its unit).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, or_, select

from ..domain.ladders import LEADER_RANKS
from ..domain.targets import DEFAULT_SETTINGS
from ..domain.text import fold
from ..extensions import db
from ..permissions import EVERYTHING
from .models import Appointment, Official, Organization

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
    "rank": (Appointment.position_rank, Official.sort_key),
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
            or_(Official.name_folded.contains(needle), func.lower(Official.code) == needle)
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


def counts(scope: str | None, filters: OfficialFilters, today: date) -> dict[str, int]:
    """Totals of the filtered list in one statement: all, women, men, leaders, young."""
    young_limit = _years_before(today, DEFAULT_SETTINGS.young_age_upper)
    young_commune = _years_before(today, DEFAULT_SETTINGS.young_age_upper_commune)
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
