"""Mục tiêu 1 and 2 on the dashboard (DOMAIN §9–10): the plan report of the scope, and what
their tabs show beside the figures — the organizations lacking a woman key leader or a
gender-equality officer (with their ids, for links), the untrained gender-equality officers
(with their names, for links), the elected bodies' latest seats (the province's: a unit has
none) and the year's collaborators and volunteers.

A fixed number of statements whatever the number of officials: the plan report's, then one
each for the scope's organizations, the officers' names, the seats and the year's counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.plan import ELECTED_BODIES, PlanReport, latest_seats
from ..domain.targets import IndicatorResult
from ..extensions import db
from ..officials.models import Official, Organization
from ..permissions import EVERYTHING
from ..plan import collaborators, seats
from ..plan.labels import objective_of
from . import services

OBJECTIVES = ("M1", "M2", "M3")

# The person indicators of Mục tiêu 1 whose numerator is women (the men are the rest), and the
# elected bodies' seats, counted the same way; the other M1/M2 entries count organizations or
# trained officers.
WOMEN_COUNTED = frozenset(
    {
        "M1.cap_uy.province",
        "M1.cap_uy.district",
        "M1.cap_uy.commune",
        "M1.dai_bieu",
        "M1.lanh_dao_so",
        "M1.phong_tinh",
        "M1.dvsn_tinh",
        "M1.phong_huyen",
        "M1.chuyen_trach_xa",
    }
)
ORGANIZATION_COUNTED = frozenset({"M1.thuong_truc", "M1.chu_chot_30", "M2.bo_tri"})


def counted_unit(indicator_id: str) -> str:
    """What an M1/M2 entry counts: "seats" (elected bodies), "organizations" or "people"."""
    if indicator_id == "M1.dai_bieu":
        return "seats"
    return "organizations" if indicator_id in ORGANIZATION_COUNTED else "people"


def men_of(result: IndicatorResult) -> int | None:
    """The men of a women-counted entry (denominator − numerator), else None."""
    return result.denominator - result.numerator if result.id in WOMEN_COUNTED else None


@dataclass(frozen=True)
class OrganizationLink:
    id: int | None  # None: not found by its name (cannot happen while names are unique)
    name: str


@dataclass(frozen=True)
class OfficerLink:
    id: int | None
    code: str
    full_name: str


@dataclass(frozen=True)
class SeatRow:
    """The latest entry of an elected body on or before the date (None: no entry yet)."""

    body: str
    seats: int | None = None
    women: int | None = None
    entered_on: date | None = None

    @property
    def value(self) -> float | None:
        return self.women / self.seats if self.seats else None


@dataclass(frozen=True)
class PlanDashboard:
    report: PlanReport
    # item ("thuong_truc", "chu_chot_30", "bo_tri") -> the organizations lacking it, by name
    lacking: dict[str, tuple[OrganizationLink, ...]]
    untrained: tuple[OfficerLink, ...]
    # The province's elected bodies; None for a unit's subtree (the seats are the province's).
    seats: tuple[SeatRow, ...] | None
    year: int
    collaborators: int
    volunteers: int
    reporting: int  # organizations of the scope with figures for the year

    def results(self, objective: str) -> list[IndicatorResult]:
        """The entries of one objective ("M1", "M2"), in the target set's order."""
        return [r for r in self.report.indicators if objective_of(r.id) == objective]

    def result(self, indicator_id: str) -> IndicatorResult | None:
        return next((r for r in self.report.indicators if r.id == indicator_id), None)


def plan_dashboard(
    as_of: date,
    target_set_code: str = services.DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
) -> PlanDashboard:
    """What the Mục tiêu 1 and 2 tabs show for the scope on `as_of` (ServiceError as
    services.plan_report for an organization outside the scope or unknown)."""
    prefix = services.scope_path(scope, organization_id)
    report = services.plan_report(as_of, target_set_code, scope, organization_id)
    units = _organizations(prefix)
    ids = {name: unit_id for unit_id, name in units}
    lacking: dict[str, list[OrganizationLink]] = {}
    for gap in report.organizations:
        for item in gap.missing:
            lacking.setdefault(item, []).append(OrganizationLink(ids.get(gap.name), gap.name))
    counts = collaborators.counts_of_year(as_of.year)
    in_scope = [counts[unit_id] for unit_id, _name in units if unit_id in counts]
    return PlanDashboard(
        report=report,
        lacking={item: tuple(found) for item, found in lacking.items()},
        untrained=_officers(report.untrained_gender_officers),
        seats=_seats(as_of) if prefix == EVERYTHING else None,
        year=as_of.year,
        collaborators=sum(c for c, _v in in_scope),
        volunteers=sum(v for _c, v in in_scope),
        reporting=len(in_scope),
    )


def _organizations(prefix: str | None) -> list[tuple[int, str]]:
    """(id, name) of the scope's organizations (one statement; none for no scope)."""
    stmt = select(Organization.id, Organization.name)
    if prefix is None:
        return []
    if prefix != EVERYTHING:
        stmt = stmt.where(Organization.path.startswith(prefix))
    return [(unit_id, name) for unit_id, name in db.session.execute(stmt)]


def _officers(codes: tuple[str, ...]) -> tuple[OfficerLink, ...]:
    """The officials of `codes` with their ids and names, in the order of `codes` (one
    statement, run even for none so that a page reads as many statements either way)."""
    stmt = select(Official.id, Official.code, Official.full_name).where(
        Official.code.in_(list(codes))
    )
    found = {code: (official_id, name) for official_id, code, name in db.session.execute(stmt)}
    links = []
    for code in codes:
        official_id, name = found.get(code, (None, code))
        links.append(OfficerLink(official_id, code, name))
    return tuple(links)


def _seats(as_of: date) -> tuple[SeatRow, ...]:
    """Each elected body's latest entry on or before `as_of`, in the bodies' order."""
    latest = latest_seats(seats.entries(), as_of)
    rows = []
    for body in ELECTED_BODIES:
        entry = latest.get(body)
        if entry is None:
            rows.append(SeatRow(body))
        else:
            rows.append(SeatRow(body, entry.seats, entry.women, entry.entered_on))
    return tuple(rows)
