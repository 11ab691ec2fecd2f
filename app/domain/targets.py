"""Mục tiêu 3: populations, groups, indicators, shortfalls and forecasts (DOMAIN §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .ladders import (
    DEPARTMENT_RANKS,
    DIVISION_RANKS,
    RankSettings,
    at_least,
    position_rank_order,
    rank,
)


@dataclass(frozen=True)
class Settings:
    """Configurable values of the computation, with DOMAIN's defaults."""

    young_age_upper: int = 40  # province/district: young when age < this
    young_age_upper_commune: int = 35
    medical_counts_as_postgraduate: bool = True

    @property
    def rank_settings(self) -> RankSettings:
        """Return the ladder-ranking part of these settings."""
        return RankSettings(medical_counts_as_postgraduate=self.medical_counts_as_postgraduate)


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class AppointmentFact:
    """One appointment (post) of an official, as the computation needs it."""

    plan_level: str
    position_rank: str
    party_committee: bool = False
    commune_key_post: bool = False
    commune_full_time: bool = False
    appointed_on: date | None = None
    left_on: date | None = None
    # What Mục tiêu 1 and 2 read besides (DOMAIN §9–10; app.domain.plan): the organization's id,
    # the post's flags and whether it is her primary post.
    organization: int | None = None
    key_leader: bool = False
    gender_equality_role: bool = False
    is_primary: bool = False

    def is_open(self, on: date) -> bool:
        """Return whether the appointment is open on ``on``: started on or before, not yet left.

        The day ``left_on`` falls on is no longer in post (DOMAIN §4.1).
        """
        started = self.appointed_on is None or self.appointed_on <= on
        not_left = self.left_on is None or self.left_on > on
        return started and not_left


@dataclass(frozen=True)
class UpcomingAward:
    """A confirmed or pending enrolment in a course awarding ``level`` on ``ladder``."""

    ladder: str
    level: str
    last_day: date
    # The course it comes from (None when unknown): a course's page compares the forecast with
    # and without its own enrolments.
    course: int | None = None


@dataclass(frozen=True)
class OfficialFacts:
    """What the computation knows about one official at the reference date.

    ``levels`` maps ladder to the level held at the reference date (a missing ladder = none).
    """

    code: str
    sex: str
    birth_date: date
    appointments: tuple[AppointmentFact, ...]
    levels: Mapping[str, str]
    upcoming: tuple[UpcomingAward, ...] = ()


def age_on(birth_date: date, on: date) -> int:
    """Return the age in whole years on ``on``; the birthday itself counts.

    Someone born on 29 February turns a year older on 1 March in non-leap years, which plain
    (month, day) comparison already gives.
    """
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


@dataclass(frozen=True)
class Membership:
    """The population an official belongs to on a date, with the rank and flags that apply."""

    population: str
    rank: str | None
    party_committee: bool = False
    commune_key_post: bool = False
    commune_full_time: bool = False


_LEADER_ORDER = position_rank_order("deputy_division_head")


def _highest_rank(appointments: list[AppointmentFact]) -> str | None:
    ranks = [a.position_rank for a in appointments]
    return max(ranks, key=position_rank_order, default=None)


def _membership_of(population: str, appointments: list[AppointmentFact]) -> Membership:
    return Membership(
        population=population,
        rank=_highest_rank(appointments),
        party_committee=any(a.party_committee for a in appointments),
        commune_key_post=any(a.commune_key_post for a in appointments),
        commune_full_time=any(a.commune_full_time for a in appointments),
    )


def membership(official: OfficialFacts, on: date) -> Membership | None:
    """Return the official's population on ``on`` (DOMAIN §4.2), or None when in none.

    P if any open appointment is a province leader post, else D for district, else C when an
    open commune appointment carries a commune flag. Rank and flags are taken over the open
    appointments of the chosen level only: highest rank, flags OR'd.
    """
    open_posts = [a for a in official.appointments if a.is_open(on)]
    for population, level in (("P", "province"), ("D", "district")):
        posts = [a for a in open_posts if a.plan_level == level]
        if any(position_rank_order(a.position_rank) >= _LEADER_ORDER for a in posts):
            return _membership_of(population, posts)
    commune = _membership_of("C", [a for a in open_posts if a.plan_level == "commune"])
    if commune.party_committee or commune.commune_key_post or commune.commune_full_time:
        return commune
    return None


def is_young(
    official: OfficialFacts,
    membership: Membership,
    on: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> bool:
    """Return whether the official is young on ``on``: under the commune limit in C, else under
    the province/district limit (the birthday reaching the limit is no longer young)."""
    commune = membership.population == "C"
    limit = settings.young_age_upper_commune if commune else settings.young_age_upper
    return age_on(official.birth_date, on) < limit


GROUPS = ("women", "young", "women_or_young", "men")


def groups_of(sex: str, young: bool) -> tuple[str, ...]:
    """Return the groups (in GROUPS order) an official of that sex and youth belongs to."""
    women = sex == "F"
    flags = {"women": women, "young": young, "women_or_young": women or young, "men": sex == "M"}
    return tuple(group for group in GROUPS if flags[group])


OPERATORS = (">=", ">")
POPULATIONS = ("P", "D", "C")


def validate_spec(operator: str, threshold: int) -> None:
    """Raise ValueError unless the operator and integer percent threshold can be used (§4.5).

    ``>`` with 100 is refused: no number of officials could exceed 100%.
    """
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be an integer percent 0..100, not {threshold!r}")
    if operator == ">" and threshold == 100:
        raise ValueError("operator '>' cannot be combined with threshold 100")


# What each population is measured on (DOMAIN §4.4); a new population is new code, not data.
ITEMS_BY_POPULATION: dict[str, tuple[str, ...]] = {
    "P": ("pol_tc", "pol_cc", "edu_dh", "edu_sdh", "qlnn", "qpan", "lead", "it", "hoi_nhap"),
    "D": ("pol_tc", "pol_cc", "edu_dh", "edu_sdh", "qlnn", "qpan", "lead", "it", "hoi_nhap"),
    "C": ("pol_tc", "edu_tc", "edu_dh", "qlnn", "qpan", "it"),
}


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of a target set, e.g. ``M3.P.pol_cc >= 60``; validated on creation."""

    id: str
    operator: str
    threshold: int
    implied: bool

    def __post_init__(self) -> None:
        validate_spec(self.operator, self.threshold)
        parts = self.id.split(".")
        if len(parts) != 3 or parts[1] not in POPULATIONS:
            raise ValueError(f"indicator id must look like M3.P.pol_cc, not {self.id!r}")
        if parts[2] not in ITEMS_BY_POPULATION[parts[1]]:
            raise ValueError(f"item {parts[2]!r} is not defined for population {parts[1]}")

    @property
    def population(self) -> str:
        """Return the population letter: P, D or C."""
        return self.id.split(".")[1]

    @property
    def item(self) -> str:
        """Return the short item name, e.g. ``pol_cc``."""
        return self.id.split(".")[2]


def is_share(operator: str, threshold: int) -> bool:
    """Return whether an indicator is a *share* target (DOMAIN §4.6): a threshold below 100%,
    or the operator ``>`` (e.g. Cao cấp ≥ 60%, sau đại học ≥ 15% / 10%, đại học > 50% at
    commune level). A share is met by enough officials of a unit, not by each of them; an
    everyone-must target (≥ 100%) is a personal requirement."""
    _check_operator(operator)
    return operator == ">" or threshold < 100


@dataclass(frozen=True)
class TargetSet:
    """A plan's goals: indicators with their thresholds, and the deadline forecasts look to."""

    code: str
    name: str
    deadline: date
    indicators: tuple[IndicatorSpec, ...]
    # Mục tiêu 1 and 2 (app.domain.plan.PlanIndicatorSpec, DOMAIN §9–10): computed by
    # app.domain.plan, reported after the Mục tiêu 3 entries.
    plan_indicators: tuple = ()

    def share_items(self, population: str) -> frozenset[str]:
        """Return the items of ``population`` whose indicator is a share target (§4.6)."""
        return frozenset(
            spec.item
            for spec in self.indicators
            if spec.population == population and is_share(spec.operator, spec.threshold)
        )

    def __post_init__(self) -> None:
        ids = [spec.id for spec in (*self.indicators, *self.plan_indicators)]
        if len(ids) != len(set(ids)):
            raise ValueError(f"target set {self.code!r} repeats an indicator id")


def _kh327(
    population: str, item: str, operator: str, threshold: int, implied: bool
) -> IndicatorSpec:
    return IndicatorSpec(f"M3.{population}.{item}", operator, threshold, implied)


def _kh327_leaders(population: str, postgraduate_threshold: int) -> tuple[IndicatorSpec, ...]:
    return (
        _kh327(population, "pol_tc", ">=", 100, False),
        _kh327(population, "pol_cc", ">=", 60, False),
        _kh327(population, "edu_dh", ">=", 100, False),
        _kh327(population, "edu_sdh", ">=", postgraduate_threshold, False),
        _kh327(population, "qlnn", ">=", 100, True),
        _kh327(population, "qpan", ">=", 100, True),
        _kh327(population, "lead", ">=", 100, True),
        _kh327(population, "it", ">=", 100, True),
        _kh327(population, "hoi_nhap", ">=", 100, True),
    )


KH_327_2017 = TargetSet(
    code="KH-327-2017",
    name="Kế hoạch 327/KH-UBND (2017)",
    deadline=date(2020, 12, 31),
    indicators=(
        *_kh327_leaders("P", 15),
        *_kh327_leaders("D", 10),
        _kh327("C", "pol_tc", ">=", 100, False),
        _kh327("C", "edu_tc", ">=", 100, False),
        _kh327("C", "edu_dh", ">", 50, False),  # "trên 50%": strictly more than half
        _kh327("C", "qlnn", ">=", 100, True),
        _kh327("C", "qpan", ">=", 100, True),
        _kh327("C", "it", ">=", 100, True),
    ),
)

_FIXED_MINIMUMS: dict[str, tuple[str, str]] = {
    "pol_tc": ("political_theory", "intermediate"),
    "pol_cc": ("political_theory", "advanced"),
    "edu_tc": ("education", "secondary_vocational"),
    "edu_dh": ("education", "bachelor"),
    # Postgraduate is "rank of master or more", which also covers medical degrees per setting.
    "edu_sdh": ("education", "master"),
    "qlnn": ("state_management", "specialist"),
    "it": ("it_skill", "basic"),
    "hoi_nhap": ("international_integration", "yes"),
}


def item_ladder(item: str) -> str:
    """Return the ladder an item of §4.4 is measured on (whatever the level it requires).

    KeyError for an unknown item."""
    if item in _FIXED_MINIMUMS:
        return _FIXED_MINIMUMS[item][0]
    return {"qpan": "defense_security", "lead": "leadership_training"}[item]


def _post_tier(member: Membership, division: str, department: str, provincial: str) -> str:
    if member.rank in DIVISION_RANKS:
        return division
    if member.rank in DEPARTMENT_RANKS:
        return department
    if member.rank == "provincial_leader":
        return provincial
    raise ValueError(f"rank {member.rank!r} sets no requirement")


def requirement(item: str, population: str, membership: Membership) -> tuple[str, str]:
    """Return (ladder, minimum level) an official must hold to count for ``item`` (§4.4).

    ValueError when the item is unknown or not measured for the population.
    """
    if item not in ITEMS_BY_POPULATION.get(population, ()):
        raise ValueError(f"unknown item {item!r} for population {population!r}")
    if item in _FIXED_MINIMUMS:
        return _FIXED_MINIMUMS[item]
    if item == "qpan" and population == "C":
        return "defense_security", "tier3" if membership.commune_key_post else "tier4"
    if item == "qpan":
        return "defense_security", _post_tier(membership, "tier3", "tier2", "tier1")
    return "leadership_training", _post_tier(membership, "division", "department", "department")


def counts(
    item: str,
    population: str,
    membership: Membership,
    levels: Mapping[str, str],
    settings: Settings = DEFAULT_SETTINGS,
) -> bool:
    """Return whether an official with these levels counts for ``item`` (DOMAIN §4.4).

    ``levels`` maps ladder to level code; a missing ladder is ``none``. ValueError for an
    unknown item.
    """
    return _counts(item, population, membership, levels, settings.rank_settings)


def _counts(
    item: str,
    population: str,
    membership: Membership,
    levels: Mapping[str, str],
    rank_settings: RankSettings,
) -> bool:
    ladder, minimum = requirement(item, population, membership)
    return at_least(ladder, levels.get(ladder, "none"), minimum, rank_settings)


def _check_operator(operator: str) -> None:
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}")


# An indicator's result for a group (DOMAIN §4.5).
RESULT_STATUSES = ("met", "not_met", "not_applicable")


def status_of(numerator: int, denominator: int, operator: str, threshold: int) -> str:
    """Return ``not_applicable`` (empty group), ``met`` or ``not_met``, in integers (§4.5)."""
    _check_operator(operator)
    if denominator == 0:
        return "not_applicable"
    left, right = numerator * 100, threshold * denominator
    met = left >= right if operator == ">=" else left > right
    return "met" if met else "not_met"


def shortfall(numerator: int, denominator: int, operator: str, threshold: int) -> int | None:
    """Return the least k ≥ 0 with ``(numerator + k) × 100 (operator) threshold × denominator``.

    None for an empty group. Integer ceiling arithmetic, no loop: for ``>=`` the least count
    is ceil(t·d / 100); for ``>`` it is floor(t·d / 100) + 1.
    """
    _check_operator(operator)
    if denominator == 0:
        return None
    product = threshold * denominator
    needed = -(-product // 100) if operator == ">=" else product // 100 + 1
    return max(0, needed - numerator)


# The §5.2 entry of one indicator: these keys, in this order. The JSON of the API and the CLI,
# the CSV of the pages and the CLI are all derived from it.
REPORT_FIELDS = (
    "id",
    "group",
    "numerator",
    "denominator",
    "value",
    "operator",
    "threshold",
    "status",
    "shortfall",
    "forecast_numerator",
    "forecast_status",
    "forecast_shortfall",
    "implied",
)


@dataclass(frozen=True)
class IndicatorResult:
    """The result of one indicator for one group (DOMAIN §4.5, §5.2)."""

    id: str
    group: str
    numerator: int
    denominator: int
    value: float | None
    operator: str
    threshold: int
    status: str
    shortfall: int | None
    forecast_numerator: int
    forecast_status: str
    forecast_shortfall: int | None
    implied: bool

    def to_json(self) -> dict:
        """Return the §5.2 JSON entry (exactly the keys of REPORT_FIELDS, in that order)."""
        return {name: getattr(self, name) for name in REPORT_FIELDS}


def indicator_result(
    spec: IndicatorSpec, group: str, numerator: int, denominator: int, forecast_numerator: int
) -> IndicatorResult:
    """Build the result of ``spec`` for ``group`` from its three counts."""
    op, threshold = spec.operator, spec.threshold
    return IndicatorResult(
        id=spec.id,
        group=group,
        numerator=numerator,
        denominator=denominator,
        value=numerator / denominator if denominator else None,
        operator=op,
        threshold=threshold,
        status=status_of(numerator, denominator, op, threshold),
        shortfall=shortfall(numerator, denominator, op, threshold),
        forecast_numerator=forecast_numerator,
        forecast_status=status_of(forecast_numerator, denominator, op, threshold),
        forecast_shortfall=shortfall(forecast_numerator, denominator, op, threshold),
        implied=spec.implied,
    )


def forecast_levels(
    official: OfficialFacts, deadline: date, settings: Settings = DEFAULT_SETTINGS
) -> Mapping[str, str]:
    """Return the levels the official will hold if every upcoming award due by ``deadline`` is
    obtained: per ladder, the higher of the current and the awarded level."""
    rank_settings = settings.rank_settings
    levels = dict(official.levels)
    for award in official.upcoming:
        if award.last_day > deadline:
            continue
        awarded = rank(award.ladder, award.level, rank_settings)
        if awarded > rank(award.ladder, levels.get(award.ladder, "none"), rank_settings):
            levels[award.ladder] = award.level
    return levels


def award_closes(
    official: OfficialFacts,
    target_set: TargetSet,
    as_of: date,
    ladder: str,
    level: str,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[str, ...]:
    """Return the items of her population (target-set order, each once) for which she does not
    count on ``as_of`` but would with ``level`` on ``ladder`` (a course's award): the gaps a
    course closes for her. Empty when she is in no population or already holds as much."""
    member = membership(official, as_of)
    if member is None:
        return ()
    rank_settings = settings.rank_settings
    held = official.levels.get(ladder, "none")
    if rank(ladder, level, rank_settings) <= rank(ladder, held, rank_settings):
        return ()
    later = {**official.levels, ladder: level}
    population = member.population
    closed: list[str] = []
    for spec in _by_population(target_set)[population]:
        if spec.item in closed:
            continue
        if not _counts(spec.item, population, member, official.levels, rank_settings) and _counts(
            spec.item, population, member, later, rank_settings
        ):
            closed.append(spec.item)
    return tuple(closed)


@dataclass(frozen=True)
class _Assessment:
    member: Membership
    young: bool
    # (spec, counts now, counts by the deadline) for each indicator of the population
    outcomes: tuple[tuple[IndicatorSpec, bool, bool], ...]


def _by_population(target_set: TargetSet) -> dict[str, tuple[IndicatorSpec, ...]]:
    return {
        population: tuple(s for s in target_set.indicators if s.population == population)
        for population in POPULATIONS
    }


def _assess(
    official: OfficialFacts,
    specs: Mapping[str, tuple[IndicatorSpec, ...]],
    as_of: date,
    deadline: date | None,
    settings: Settings,
) -> _Assessment | None:
    """Evaluate one official against every indicator of her population, once.

    Without a ``deadline`` no forecast is made and "counts by the deadline" repeats "counts now".
    """
    member = membership(official, as_of)
    if member is None:
        return None
    rank_settings = settings.rank_settings
    population = member.population
    later_levels = None
    if deadline is not None and any(a.last_day <= deadline for a in official.upcoming):
        later_levels = forecast_levels(official, deadline, settings)
    outcomes = []
    for spec in specs[population]:
        now = _counts(spec.item, population, member, official.levels, rank_settings)
        later = now or (
            later_levels is not None
            and _counts(spec.item, population, member, later_levels, rank_settings)
        )
        outcomes.append((spec, now, later))
    return _Assessment(member, is_young(official, member, as_of, settings), tuple(outcomes))


def compute_report(
    officials: Iterable[OfficialFacts],
    target_set: TargetSet,
    as_of: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[IndicatorResult]:
    """Return one result per indicator × group (indicator order, then GROUPS order), as of
    ``as_of`` (DOMAIN §4.5), including empty groups.

    One pass over ``officials``: membership, youth and every indicator of her population are
    evaluated once per official, so the cost is linear in the number of officials.
    """
    specs = _by_population(target_set)
    tally = {spec.id: {group: [0, 0, 0] for group in GROUPS} for spec in target_set.indicators}
    for official in officials:
        assessment = _assess(official, specs, as_of, target_set.deadline, settings)
        if assessment is None:
            continue
        groups = groups_of(official.sex, assessment.young)
        for spec, now, later in assessment.outcomes:
            cells = tally[spec.id]
            for group in groups:
                cell = cells[group]
                cell[0] += now
                cell[1] += 1
                cell[2] += later
    return [
        indicator_result(spec, group, *tally[spec.id][group])
        for spec in target_set.indicators
        for group in GROUPS
    ]


def share_group(sex: str, young: bool) -> str:
    """Return the group whose share target an official's page speaks of: the first of her
    groups in GROUPS order (a woman: ``women``; a young man: ``young``; else ``men``)."""
    return next(iter(groups_of(sex, young)), "men")


@dataclass(frozen=True)
class OfficialGap:
    """What one measured official still lacks (DOMAIN §4.6)."""

    code: str
    population: str
    missing: tuple[str, ...]
    women: bool
    young: bool


def compute_gaps(
    officials: Iterable[OfficialFacts],
    target_set: TargetSet,
    as_of: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[OfficialGap]:
    """Return the gaps of every official in P, D or C on ``as_of``, sorted by code.

    ``missing`` lists the items of her population's indicators (target-set order) for which she
    does not count; officials missing nothing are included with an empty tuple.
    """
    specs = _by_population(target_set)
    gaps = []
    for official in officials:
        assessment = _assess(official, specs, as_of, None, settings)
        if assessment is None:
            continue
        missing = tuple(spec.item for spec, now, _ in assessment.outcomes if not now)
        gaps.append(
            OfficialGap(
                code=official.code,
                population=assessment.member.population,
                missing=missing,
                women=official.sex == "F",
                young=assessment.young,
            )
        )
    gaps.sort(key=lambda gap: gap.code)
    return gaps


def share_standings(
    officials: Iterable[OfficialFacts],
    target_set: TargetSet,
    as_of: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict[tuple[str, str], IndicatorResult]:
    """Return the results of the share indicators of ``target_set`` (§4.6) for ``officials``
    (e.g. one unit's), keyed by (indicator id, group): whether the unit meets each share now
    and how many more of its officials must qualify."""
    shares = tuple(s for s in target_set.indicators if is_share(s.operator, s.threshold))
    if not shares:
        return {}
    only_shares = TargetSet(target_set.code, target_set.name, target_set.deadline, shares)
    return {(r.id, r.group): r for r in compute_report(officials, only_shares, as_of, settings)}
