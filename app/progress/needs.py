""" "What I still need": one official's population and missing items (DOMAIN §4.6) with the
level each requires and the level she holds, for her own page and HR's page of her.

Built from the progress snapshot narrowed to her, so her facts are read exactly as the
reports read them. An item whose indicator is a *share* target (app.domain.targets.is_share)
is no personal requirement: it carries how her unit stands on that share instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.targets import (
    IndicatorResult,
    compute_gaps,
    is_young,
    membership,
    requirement,
    share_group,
    share_standings,
)
from ..i18n import code_label
from ..permissions import EVERYTHING
from .services import DEFAULT_TARGET_SET, get_target_set, load_settings
from .snapshot import snapshot


@dataclass(frozen=True)
class Need:
    item: str
    ladder: str
    required: str  # the level code the item requires
    held: str  # her level code on that ladder ("none" when nothing)
    is_share: bool = False  # a share target: no personal requirement (DOMAIN §4.6)
    share: IndicatorResult | None = None  # her unit's standing on it (None: no unit)

    @property
    def required_label(self) -> str:
        return code_label(self.ladder, self.required)

    @property
    def held_label(self) -> str:
        return code_label(self.ladder, self.held)


@dataclass(frozen=True)
class OfficialNeeds:
    as_of: date
    target_set: str
    population: str | None  # None: in no population (nothing measured)
    needs: tuple[Need, ...]
    unit_name: str | None = None  # the unit the share standings are of

    @property
    def required(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if not need.is_share)

    @property
    def shares(self) -> tuple[Need, ...]:
        return tuple(need for need in self.needs if need.is_share)


def official_needs(
    official_id: int, as_of: date, target_set_code: str = DEFAULT_TARGET_SET
) -> OfficialNeeds:
    settings = load_settings()
    target_set = get_target_set(target_set_code)
    data = snapshot(
        as_of, EVERYTHING, settings=settings, official_ids=[official_id], with_details=True
    )
    if not data.facts:
        return OfficialNeeds(as_of, target_set_code, None, ())
    facts = data.facts[0]
    levels = facts.levels
    member = membership(facts, as_of)
    gaps = compute_gaps([facts], target_set, as_of, settings)
    if member is None or not gaps:
        return OfficialNeeds(as_of, target_set_code, None, ())
    shares = target_set.share_items(member.population) & set(gaps[0].missing)
    standings, unit_name = {}, None
    info = data.info[facts.code]
    if shares and info.organization_id is not None:
        unit_name = info.organization_name
        unit = snapshot(as_of, EVERYTHING, info.organization_id, settings, with_details=True)
        ours = info.organization_id
        same_unit = [f for f in unit.facts if unit.info[f.code].organization_id == ours]
        standings = share_standings(same_unit, target_set, as_of, settings)
    group = share_group(facts.sex, is_young(facts, member, as_of, settings))
    needs = []
    for item in gaps[0].missing:
        ladder, minimum = requirement(item, member.population, member)
        share = None
        if item in shares:
            share = standings.get((f"M3.{member.population}.{item}", group))
        held = levels.get(ladder, "none")
        needs.append(Need(item, ladder, minimum, held, item in shares, share))
    return OfficialNeeds(as_of, target_set_code, member.population, tuple(needs), unit_name)
