"""Mục tiêu 3 use-cases: the report, the per-organization table and the gaps (DOMAIN §4–5).

The computation is app.domain.targets (compute_report, compute_gaps); the facts it is fed come
from snapshot.py (a few set-based queries, never one per official), the target set from
target_sets.py (one query), the settings from settings.py. This module is the one entry point
for views, the API and the CLI: it re-exports what they need of the other three.

`scope` is a path prefix (app.permissions.scope_prefix: "/" the province, a unit's path its
subtree; None sees nothing); `organization_id` narrows it to a subtree inside it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..domain.plan import PlanReport
from ..domain.targets import (
    GROUPS,
    POPULATIONS,
    IndicatorResult,
    OfficialFacts,
    OfficialGap,
    TargetSet,
    compute_gaps,
    compute_report,
    groups_of,
    share_group,
    share_standings,
)
from ..extensions import db
from ..memory import cyclic_gc_paused
from ..officials.models import Organization
from ..permissions import EVERYTHING
from ..plan import services as plan_services
from ..validation import ServiceError
from .settings import load_settings, update_settings  # noqa: F401  (one entry point)
from .snapshot import (  # noqa: F401  (one entry point)
    OfficialInfo,
    Snapshot,
    official_facts,
    scope_path,
    snapshot,
)
from .target_sets import (  # noqa: F401  (one entry point for views, API and CLI)
    CODE_PATTERN,
    DEFAULT_TARGET_SET,
    copy_target_set,
    find_target_set,
    get_target_set,
    list_target_sets,
    set_deadline,
    to_domain,
    update_indicator,
)

# --- reports -----------------------------------------------------------------------------


def _restricted(target_set: TargetSet, population: str | None) -> TargetSet:
    """The target set narrowed to one population's indicators (P, D or C), or as it is."""
    if population is None:
        return target_set
    if population not in POPULATIONS:
        raise ServiceError(_("Cấp không hợp lệ."), "population")
    specs = tuple(spec for spec in target_set.indicators if spec.population == population)
    return dataclasses.replace(target_set, indicators=specs)


def _check_group(group: str | None) -> None:
    if group is not None and group not in GROUPS:
        raise ServiceError(_("Nhóm không hợp lệ."), "group")


def report_results(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    population: str | None = None,
    group: str | None = None,
) -> list[IndicatorResult]:
    """The indicator results (DOMAIN §4.5) for the dashboard: one per indicator and group, in
    the target set's order, optionally only one population's indicators and one group's."""
    _check_group(group)
    target_set = _restricted(get_target_set(target_set_code), population)
    data = snapshot(as_of, scope, organization_id)
    with cyclic_gc_paused():
        results = compute_report(data.facts, target_set, as_of, data.settings)
    return [r for r in results if group is None or r.group == group]


def plan_report(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    target_set: TargetSet | None = None,
) -> PlanReport:
    """Mục tiêu 1 and 2 of the target set (DOMAIN §9–10) for the scope on `as_of`: results
    with group "all", the organizations lacking what they are measured on, the untrained
    gender-equality officers. Empty when the set holds none of them or the scope is None."""
    target_set = target_set or get_target_set(target_set_code)
    prefix = scope_path(scope, organization_id)
    if prefix is None or not target_set.plan_indicators:
        return PlanReport((), (), ())
    with cyclic_gc_paused():
        return plan_services.compute(as_of, target_set.plan_indicators, prefix)


def whole_results(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
) -> list[IndicatorResult]:
    """Every result of the target set: each Mục tiêu 3 indicator × every group, then the
    Mục tiêu 1–2 indicators (group "all"); the report, the dashboard's files."""
    target_set = get_target_set(target_set_code)
    data = snapshot(as_of, scope, organization_id)
    with cyclic_gc_paused():
        results = compute_report(data.facts, target_set, as_of, data.settings)
    plan = plan_report(as_of, target_set_code, scope, organization_id, target_set)
    return [*results, *plan.indicators]


def report(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
) -> dict:
    """The progress report as DOMAIN §5.2 JSON (whole_results)."""
    results = whole_results(as_of, target_set_code, scope, organization_id)
    return {
        "target_set": target_set_code,
        "as_of": as_of.isoformat(),
        "indicators": [result.to_json() for result in results],
    }


def by_indicator(results: Iterable[IndicatorResult]) -> dict[str, dict[str, IndicatorResult]]:
    """{indicator id: {group: result}} in report order: women and men side by side (the gender
    gap), or any group against another."""
    table: dict[str, dict[str, IndicatorResult]] = {}
    for result in results:
        table.setdefault(result.id, {})[result.group] = result
    return table


# --- per organization --------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationProgress:
    """One row of the per-organization table: a unit with its whole subtree, or (`own`) the
    officials whose primary post is in the base unit itself rather than in one of its children."""

    organization_id: int
    name: str
    path: str
    plan_level: str
    own: bool
    officials: int  # officials of the row measured in some population
    results: tuple[IndicatorResult, ...]

    @property
    def total_shortfall(self) -> int:
        """The sum of the row's shortfalls (not-applicable counts as 0): "sortable by shortfall"."""
        return sum(result.shortfall or 0 for result in self.results)


def _base_unit(scope: str | None, organization_id: int | None) -> Organization | None:
    """The unit whose children make the rows: the given one, else unit HR's own unit, else the
    province's single root (None when there are several roots: they become the rows)."""
    prefix = scope_path(scope, organization_id)
    if prefix is None:
        return None
    if prefix != EVERYTHING:
        return db.session.scalar(select(Organization).where(Organization.path == prefix))
    roots = db.session.scalars(select(Organization).where(Organization.parent_id.is_(None))).all()
    return roots[0] if len(roots) == 1 else None


def _row_key(path: str | None, base_path: str) -> str | None:
    """The child of the base a unit path falls under ("" = the base itself), or None if outside."""
    if path is None or not path.startswith(base_path):
        return None
    return path[len(base_path) :].split("/", 1)[0]


def report_by_organization(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    population: str | None = None,
    group: str | None = "women",
) -> list[OrganizationProgress]:
    """The report per organization, one pass over the officials grouped in Python.

    The rows are the children of the base unit (`organization_id`, else unit HR's unit, else
    the province root), each with its whole subtree, so that a page can drill down; officials
    whose primary post is in the base unit itself get an `own` row. Every child appears, even
    without measured officials (its results are then not applicable). An official counts in the
    row of the unit of her primary post. `population` (P, D, C) and `group` narrow the results.
    """
    _check_group(group)
    target_set = _restricted(get_target_set(target_set_code), population)
    base = _base_unit(scope, organization_id)
    if scope is None:
        return []
    base_path = base.path if base is not None else EVERYTHING
    data = snapshot(as_of, base_path, with_details=True)
    buckets = _by_child(data, base_path)
    units = [(str(row.id), row, False) for row in _children(base)]
    if base is not None and buckets.get(""):
        units.append(("", base, True))
    rows = []
    with cyclic_gc_paused():
        for key, unit, own in units:
            results = compute_report(buckets.get(key, []), target_set, as_of, data.settings)
            rows.append(
                OrganizationProgress(
                    organization_id=unit.id,
                    name=unit.name,
                    path=unit.path,
                    plan_level=unit.plan_level,
                    own=own,
                    officials=_measured(results),
                    results=tuple(r for r in results if group is None or r.group == group),
                )
            )
    return rows


def _by_child(data: Snapshot, base_path: str) -> dict[str, list[OfficialFacts]]:
    """The facts grouped by the child of the base their primary unit falls under."""
    buckets: dict[str, list[OfficialFacts]] = defaultdict(list)
    for facts in data.facts:
        key = _row_key(data.info[facts.code].organization_path, base_path)
        if key is not None:
            buckets[key].append(facts)
    return buckets


def _children(base: Organization | None):
    """(id, name, path, plan_level) of the base's children, or of the roots (one query)."""
    parent = Organization.parent_id
    return db.session.execute(
        select(Organization.id, Organization.name, Organization.path, Organization.plan_level)
        .where(parent == base.id if base is not None else parent.is_(None))
        .order_by(Organization.name)
    ).all()


def _measured(results: Iterable[IndicatorResult]) -> int:
    """How many officials the results measure: per population, women plus men of its first
    indicator (every official is in one population and is a woman or a man)."""
    first: dict[tuple[str, str], int] = {}
    for result in results:
        if result.group in ("women", "men"):
            first.setdefault((result.id.split(".")[1], result.group), result.denominator)
    return sum(first.values())


# --- individual gaps -----------------------------------------------------------------------


def _gaps(
    as_of: date,
    target_set_code: str,
    scope: str | None,
    organization_id: int | None,
    with_details: bool = False,
    target_set: TargetSet | None = None,
) -> tuple[Snapshot, list[OfficialGap]]:
    target_set = target_set or get_target_set(target_set_code)
    data = snapshot(as_of, scope, organization_id, with_details=with_details)
    with cyclic_gc_paused():
        found = compute_gaps(data.facts, target_set, as_of, data.settings)
    return data, found


def gaps(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
) -> dict:
    """Individual gaps as DOMAIN §5.2 JSON: every official of P, D and C, sorted by code, with
    the short names of the indicators she does not count for (empty when none)."""
    target_set = get_target_set(target_set_code)
    _, found = _gaps(as_of, target_set_code, scope, organization_id, target_set=target_set)
    plan = plan_report(as_of, target_set_code, scope, organization_id, target_set)
    return {
        "target_set": target_set_code,
        "as_of": as_of.isoformat(),
        "officials": [
            {"code": gap.code, "population": gap.population, "missing": list(gap.missing)}
            for gap in found
        ],
        # DOMAIN §9: the organizations of M1/M2's organization indicators that do not count,
        # and the gender-equality officers without the training.
        "organizations": [gap.to_json() for gap in plan.organizations],
        "untrained_gender_officers": list(plan.untrained_gender_officers),
    }


@dataclass(frozen=True)
class GapRow:
    """One official of the gaps page: who she is, where she works, what she lacks.

    `missing` lists every item she does not count for (as §4.6); `shares` holds, for those of
    them that are share targets, how her unit stands on that share for her group (None when
    she has no unit); the others are personal requirements (`required`)."""

    official_id: int
    code: str
    full_name: str
    sort_key: str
    organization_id: int | None
    organization_name: str | None
    population: str
    missing: tuple[str, ...]
    groups: tuple[str, ...]  # of GROUPS: women, young, women_or_young, men
    sex: str = ""
    birth_date: date | None = None
    position_title: str | None = None
    shares: dict[str, IndicatorResult | None] = dataclasses.field(default_factory=dict)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(item for item in self.missing if item not in self.shares)


def _unit_standings(data: Snapshot, target_set, unit_ids: set) -> dict:
    """(unit id, indicator id, group) -> the unit's result on each share indicator, for the
    units in `unit_ids`: the officials whose primary post is in that very unit (one pass)."""
    by_unit: dict[int, list[OfficialFacts]] = defaultdict(list)
    for facts in data.facts:
        unit_id = data.info[facts.code].organization_id
        if unit_id in unit_ids:
            by_unit[unit_id].append(facts)
    standings = {}
    for unit_id, facts in by_unit.items():
        for key, result in share_standings(facts, target_set, data.as_of, data.settings).items():
            standings[(unit_id, *key)] = result
    return standings


def gap_rows(
    as_of: date,
    target_set_code: str = DEFAULT_TARGET_SET,
    scope: str | None = EVERYTHING,
    organization_id: int | None = None,
    population: str | None = None,
    group: str | None = None,
    missing: str | None = None,
    lacking_only: bool = False,
) -> list[GapRow]:
    """The gaps page: officials of P, D and C in scope with names and units, optionally only
    one population, one group, those missing one item ("who needs Cao cấp chính trị") and
    those missing anything (`lacking_only`). Share items carry their unit's standing.
    Sorted in the Vietnamese name order, then by code. As many queries as `gaps`."""
    _check_group(group)
    target_set = get_target_set(target_set_code)
    data, found = _gaps(as_of, target_set_code, scope, organization_id, with_details=True)
    facts_of = {facts.code: facts for facts in data.facts}
    kept = []
    for gap in found:
        groups = groups_of(facts_of[gap.code].sex, gap.young)
        if population is not None and gap.population != population:
            continue
        if (group is not None and group not in groups) or (missing and missing not in gap.missing):
            continue
        if lacking_only and not gap.missing:
            continue
        kept.append((gap, groups, target_set.share_items(gap.population) & set(gap.missing)))
    units = {data.info[gap.code].organization_id for gap, _groups, shares in kept if shares}
    standings = _unit_standings(data, target_set, units - {None}) if units else {}
    rows = []
    for gap, groups, shares in kept:
        info, facts = data.info[gap.code], facts_of[gap.code]
        chosen = share_group(facts.sex, gap.young)
        rows.append(
            GapRow(
                official_id=info.official_id,
                code=gap.code,
                full_name=info.full_name,
                sort_key=info.sort_key,
                organization_id=info.organization_id,
                organization_name=info.organization_name,
                population=gap.population,
                missing=gap.missing,
                groups=groups,
                sex=facts.sex,
                birth_date=facts.birth_date,
                position_title=info.position_title,
                shares={
                    item: standings.get(
                        (info.organization_id, f"M3.{gap.population}.{item}", chosen)
                    )
                    for item in gap.missing
                    if item in shares
                },
            )
        )
    rows.sort(key=lambda row: (row.sort_key, row.code))
    return rows
