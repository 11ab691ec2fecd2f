"""Mục tiêu 1 and 2: women in leadership posts, gender-equality officers (DOMAIN §9, §10).

Computed on a reference date D like Mục tiêu 3 (§4): an appointment is open on D when it started
on or before D and was not left by D; each person counts once per indicator; status and shortfall
are §4.5's integer rules (``targets.status_of`` / ``targets.shortfall``). Every result has the
group ``all``; for person indicators of Mục tiêu 1 the men are denominator − numerator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .ladders import DEPARTMENT_RANKS, DIVISION_RANKS, LEADER_RANKS, ORGANIZATION_KINDS
from .ladders import ELECTED_BODIES as _BODIES
from .targets import (
    KH_327_2017,
    AppointmentFact,
    IndicatorResult,
    OfficialFacts,
    shortfall,
    status_of,
    validate_spec,
)

# The group of every M1/M2 entry (§9: person indicators are not split by sex: the women are the
# numerator).
ALL = "all"

# Organization kinds (DOMAIN §9); their labels live in ladders.ORGANIZATION_KINDS.
PARTY = "party"
PEOPLE_COUNCIL = "people_council"
PEOPLE_COMMITTEE = "people_committee"
STATE = "state"
MASS = "mass"
PUBLIC_SERVICE = "public_service"
OTHER = "other"
KINDS = tuple(level.code for level in ORGANIZATION_KINDS)

# An organization created without a kind (a parent named in the sheet) is a state body.
DEFAULT_KIND = STATE

# Elected bodies whose seats are entered (§9): for a level, all its councils together.
ELECTED_BODIES = tuple(level.code for level in _BODIES)

THUONG_TRUC_KINDS = frozenset({PEOPLE_COUNCIL, PEOPLE_COMMITTEE})
CHU_CHOT_KINDS = frozenset({PARTY, PEOPLE_COUNCIL, PEOPLE_COMMITTEE, STATE, MASS})
# "whose officials in post are ≥ 30% women" (M1.chu_chot_30), in integers: women × 100 ≥ 30 × staff.
CHU_CHOT_WOMEN_PERCENT = 30

GENDER_EQUALITY_LADDER = "gender_equality_training"


def default_needs_gender_equality_officer(kind: str) -> bool:
    """Return the default of ``needs_gender_equality_officer`` for a kind (§10): true for a
    People's Committee at every level, false otherwise. ValueError for an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown organization kind {kind!r}")
    return kind == PEOPLE_COMMITTEE


@dataclass(frozen=True)
class OrganizationFact:
    """One organization, as Mục tiêu 1 and 2 need it."""

    id: int
    name: str
    kind: str
    needs_gender_equality_officer: bool = False
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown organization kind {self.kind!r}")

    def is_open(self, on: date) -> bool:
        """Return whether the organization exists on ``on`` (valid_to is its first day gone)."""
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or self.valid_to > on)


@dataclass(frozen=True)
class SeatEntry:
    """An entered figure of an elected body: seats and women seats, from ``entered_on``.

    Entries are never overwritten; of two entries for one body on one date the one with the
    higher ``sequence`` (the later row of a file, the later entry) wins.
    """

    body: str
    seats: int
    women: int
    entered_on: date
    sequence: int = 0

    def __post_init__(self) -> None:
        check_seat_figures(self.body, self.seats, self.women)


def check_seat_figures(body: str, seats: int, women: int) -> None:
    """Raise ValueError unless ``body`` is known and 0 ≤ women ≤ seats."""
    if body not in ELECTED_BODIES:
        raise ValueError(f"unknown elected body {body!r}")
    for value in (seats, women):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"seat figures must be whole numbers ≥ 0, not {value!r}")
    if women > seats:
        raise ValueError(f"women ({women}) cannot exceed seats ({seats})")


def latest_seats(entries: Iterable[SeatEntry], on: date) -> dict[str, SeatEntry]:
    """Return, per body, its latest entry on or before ``on`` (the later sequence on a tie)."""
    latest: dict[str, SeatEntry] = {}
    for entry in entries:
        if entry.entered_on > on:
            continue
        held = latest.get(entry.body)
        if held is None or (entry.entered_on, entry.sequence) > (held.entered_on, held.sequence):
            latest[entry.body] = entry
    return latest


# --- indicators ----------------------------------------------------------------------------

PERSON_ITEMS = (
    "cap_uy.province",
    "cap_uy.district",
    "cap_uy.commune",
    "lanh_dao_so",
    "phong_tinh",
    "dvsn_tinh",
    "phong_huyen",
    "chuyen_trach_xa",
)
ORGANIZATION_ITEMS = ("thuong_truc", "chu_chot_30", "bo_tri")

# Every indicator of §9–10, in report order.
INDICATOR_IDS = (
    "M1.cap_uy.province",
    "M1.cap_uy.district",
    "M1.cap_uy.commune",
    "M1.dai_bieu",
    "M1.thuong_truc",
    "M1.chu_chot_30",
    "M1.lanh_dao_so",
    "M1.phong_tinh",
    "M1.dvsn_tinh",
    "M1.phong_huyen",
    "M1.chuyen_trach_xa",
    "M2.bo_tri",
    "M2.tap_huan",
)


@dataclass(frozen=True)
class PlanIndicatorSpec:
    """One Mục tiêu 1/2 indicator of a target set (e.g. ``M1.phong_tinh >= 35``); validated."""

    id: str
    operator: str
    threshold: int
    implied: bool = False

    def __post_init__(self) -> None:
        validate_spec(self.operator, self.threshold)
        if self.id not in INDICATOR_IDS:
            raise ValueError(f"unknown Mục tiêu 1/2 indicator {self.id!r}")

    @property
    def item(self) -> str:
        """Return the id without its objective, e.g. ``cap_uy.province``, ``bo_tri``."""
        return self.id.split(".", 1)[1]


def _spec(indicator: str, threshold: int) -> PlanIndicatorSpec:
    return PlanIndicatorSpec(indicator, ">=", threshold)


# The thresholds of Kế hoạch 327 (DOMAIN §9–10), the defaults a target set is seeded with.
KH_327_2017_PLAN: tuple[PlanIndicatorSpec, ...] = (
    _spec("M1.cap_uy.province", 15),
    _spec("M1.cap_uy.district", 15),
    _spec("M1.cap_uy.commune", 25),
    _spec("M1.dai_bieu", 35),
    _spec("M1.thuong_truc", 100),
    _spec("M1.chu_chot_30", 100),
    _spec("M1.lanh_dao_so", 25),
    _spec("M1.phong_tinh", 35),
    _spec("M1.dvsn_tinh", 45),
    _spec("M1.phong_huyen", 30),
    _spec("M1.chuyen_trach_xa", 25),
    _spec("M2.bo_tri", 100),
    _spec("M2.tap_huan", 100),
)


# The whole target set of the plan, as the migrations seed it: Mục tiêu 3 then 1 and 2.
KH_327_2017_WHOLE = dataclasses.replace(KH_327_2017, plan_indicators=KH_327_2017_PLAN)


def _kind_of(post: AppointmentFact, organizations: Mapping[int, OrganizationFact]) -> str | None:
    organization = organizations.get(post.organization) if post.organization is not None else None
    return organization.kind if organization is not None else None


def person_items(
    post: AppointmentFact, organizations: Mapping[int, OrganizationFact]
) -> tuple[str, ...]:
    """Return the person items of Mục tiêu 1 whose denominator this post puts its holder in
    (§9 table; the post's own plan level, rank, flags and its organization's kind)."""
    kind = _kind_of(post, organizations)
    level, rank = post.plan_level, post.position_rank
    items = []
    if post.party_committee:
        items.append(f"cap_uy.{level}")
    if level == "province" and kind is not None:
        if kind != PUBLIC_SERVICE and rank in DEPARTMENT_RANKS:
            items.append("lanh_dao_so")
        if kind != PUBLIC_SERVICE and rank in DIVISION_RANKS:
            items.append("phong_tinh")
        if kind == PUBLIC_SERVICE and rank in LEADER_RANKS:
            items.append("dvsn_tinh")
    if level == "district" and rank in DIVISION_RANKS:
        items.append("phong_huyen")
    if level == "commune" and post.commune_full_time:
        items.append("chuyen_trach_xa")
    return tuple(items)


def is_trained(official: OfficialFacts) -> bool:
    """Return whether she holds ``gender_equality_training`` (level ``yes``) on the date her
    ``levels`` were taken at."""
    return official.levels.get(GENDER_EQUALITY_LADDER, "none") == "yes"


@dataclass(frozen=True)
class OrganizationGap:
    """An organization of an organization indicator's denominator that does not count."""

    name: str
    missing: tuple[str, ...]

    def to_json(self) -> dict:
        """Return the gaps JSON entry ``{"name", "missing"}``."""
        return {"name": self.name, "missing": list(self.missing)}


@dataclass(frozen=True)
class PlanReport:
    """The Mục tiêu 1/2 results (§5.2 entries) and the gaps they name."""

    indicators: tuple[IndicatorResult, ...]
    organizations: tuple[OrganizationGap, ...]
    untrained_gender_officers: tuple[str, ...]


def plan_result(spec: PlanIndicatorSpec, numerator: int, denominator: int) -> IndicatorResult:
    """Return the §5.2 entry of ``spec`` for the group ``all`` (no forecast: it repeats now)."""
    op, threshold = spec.operator, spec.threshold
    status = status_of(numerator, denominator, op, threshold)
    short = shortfall(numerator, denominator, op, threshold)
    return IndicatorResult(
        id=spec.id,
        group=ALL,
        numerator=numerator,
        denominator=denominator,
        value=numerator / denominator if denominator else None,
        operator=op,
        threshold=threshold,
        status=status,
        shortfall=short,
        forecast_numerator=numerator,
        forecast_status=status,
        forecast_shortfall=short,
        implied=spec.implied,
    )


@dataclass
class _OrganizationTally:
    staff: int = 0
    women_staff: int = 0
    woman_key_leader: bool = False
    gender_officer: bool = False


class _Tally:
    """The counts of one pass over the officials."""

    def __init__(self, organizations: Mapping[int, OrganizationFact], as_of: date) -> None:
        self.organizations = organizations
        self.as_of = as_of
        self.persons = {item: [0, 0] for item in PERSON_ITEMS}
        self.tap_huan = [0, 0]
        self.untrained: list[str] = []
        self.by_organization: dict[int, _OrganizationTally] = {}

    def add(self, official: OfficialFacts, counted_as_person: bool = True) -> None:
        open_posts = [post for post in official.appointments if post.is_open(self.as_of)]
        if not open_posts:
            return
        woman = official.sex == "F"
        if counted_as_person:
            self._add_person(official, open_posts, woman)
        for post in open_posts:
            if post.organization is None:
                continue
            tally = self.by_organization.setdefault(post.organization, _OrganizationTally())
            if post.is_primary:
                tally.staff += 1
                tally.women_staff += woman
            tally.woman_key_leader |= woman and post.key_leader
            tally.gender_officer |= post.gender_equality_role

    def _add_person(self, official: OfficialFacts, open_posts, woman: bool) -> None:
        items = {item for post in open_posts for item in person_items(post, self.organizations)}
        for item in items:
            self.persons[item][0] += woman
            self.persons[item][1] += 1
        if any(post.gender_equality_role for post in open_posts):
            trained = is_trained(official)
            self.tap_huan[0] += trained
            self.tap_huan[1] += 1
            if not trained:
                self.untrained.append(official.code)


def compute_plan(
    officials: Iterable[OfficialFacts],
    organizations: Iterable[OrganizationFact],
    seats: Iterable[SeatEntry],
    as_of: date,
    specs: Iterable[PlanIndicatorSpec] = KH_327_2017_PLAN,
    people: frozenset[str] | None = None,
) -> PlanReport:
    """Return Mục tiêu 1 and 2 on ``as_of`` (DOMAIN §9–10), one pass over ``officials``.

    ``officials`` carry their appointments with ``organization`` (an id of ``organizations``),
    the flags ``key_leader``, ``gender_equality_role`` and ``is_primary``, and their levels
    taken on ``as_of``. Results follow the order of ``specs``; the organization gaps are sorted
    by name, each naming the indicators (in report order) it does not count for.

    A unit's report (a subtree): ``organizations`` are the subtree's, ``officials`` everyone
    holding a post there or belonging there, and ``people`` the codes of those the person
    indicators count (those whose primary post is in the subtree; None: every official given).
    Organization indicators see every post held in the subtree's organizations.
    """
    specs = tuple(specs)
    by_id = {organization.id: organization for organization in organizations}
    tally = _Tally(by_id, as_of)
    for official in officials:
        tally.add(official, people is None or official.code in people)
    organization_counts, missing = _organization_counts(
        by_id.values(), tally.by_organization, as_of
    )
    figures = {
        **{item: tuple(pair) for item, pair in tally.persons.items()},
        **{item: tuple(pair) for item, pair in organization_counts.items()},
        "dai_bieu": _seat_counts(seats, as_of),
        "tap_huan": tuple(tally.tap_huan),
    }
    results = tuple(plan_result(spec, *figures[spec.item]) for spec in specs)
    measured = {spec.item for spec in specs}
    gaps = []
    for organization_id, items in missing.items():
        kept = tuple(item for item in ORGANIZATION_ITEMS if item in items and item in measured)
        if kept:
            gaps.append(OrganizationGap(by_id[organization_id].name, kept))
    gaps.sort(key=lambda gap: gap.name)
    untrained = tuple(sorted(tally.untrained)) if "tap_huan" in measured else ()
    return PlanReport(results, tuple(gaps), untrained)


def in_chu_chot_30(staff: int, women_staff: int) -> bool:
    """Return whether an organization's staff in post is at least 30% women (and not empty)."""
    return staff > 0 and women_staff * 100 >= CHU_CHOT_WOMEN_PERCENT * staff


def _organization_counts(
    organizations: Iterable[OrganizationFact],
    tallies: Mapping[int, _OrganizationTally],
    as_of: date,
) -> tuple[dict[str, list[int]], dict[int, set[str]]]:
    counts = {item: [0, 0] for item in ORGANIZATION_ITEMS}
    missing: dict[int, set[str]] = {}
    for organization in organizations:
        if not organization.is_open(as_of):
            continue
        tally = tallies.get(organization.id, _OrganizationTally())
        measured = []
        if organization.kind in THUONG_TRUC_KINDS:
            measured.append(("thuong_truc", tally.woman_key_leader))
        if organization.kind in CHU_CHOT_KINDS and in_chu_chot_30(tally.staff, tally.women_staff):
            measured.append(("chu_chot_30", tally.woman_key_leader))
        if organization.needs_gender_equality_officer:
            measured.append(("bo_tri", tally.gender_officer))
        for item, counted in measured:
            counts[item][0] += counted
            counts[item][1] += 1
            if not counted:
                missing.setdefault(organization.id, set()).add(item)
    return counts, missing


def _seat_counts(seats: Iterable[SeatEntry], as_of: date) -> tuple[int, int]:
    latest = latest_seats(seats, as_of).values()
    return sum(entry.women for entry in latest), sum(entry.seats for entry in latest)


def report_json(report: PlanReport) -> list[dict]:
    """Return the §5.2 entries of ``report`` (the keys of targets.REPORT_FIELDS)."""
    return [result.to_json() for result in report.indicators]


def gaps_json(report: PlanReport) -> dict:
    """Return the gaps JSON additions of §9: ``organizations`` and ``untrained_gender_officers``."""
    return {
        "organizations": [gap.to_json() for gap in report.organizations],
        "untrained_gender_officers": list(report.untrained_gender_officers),
    }
