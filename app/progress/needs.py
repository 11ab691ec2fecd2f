""" "What I still need": one official's population and missing items (DOMAIN §4.6) with the
level each requires and the level she holds, for her own page and HR's page of her.

Built from the progress snapshot narrowed to her, so her facts are read exactly as the
reports read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.targets import compute_gaps, membership, requirement
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


def official_needs(
    official_id: int, as_of: date, target_set_code: str = DEFAULT_TARGET_SET
) -> OfficialNeeds:
    settings = load_settings()
    found = snapshot(as_of, EVERYTHING, settings=settings, official_ids=[official_id]).facts
    if not found:
        return OfficialNeeds(as_of, target_set_code, None, ())
    facts = found[0]
    levels = facts.levels
    member = membership(facts, as_of)
    gaps = compute_gaps([facts], get_target_set(target_set_code), as_of, settings)
    if member is None or not gaps:
        return OfficialNeeds(as_of, target_set_code, None, ())
    needs = []
    for item in gaps[0].missing:
        ladder, minimum = requirement(item, member.population, member)
        needs.append(Need(item, ladder, minimum, levels.get(ladder, "none")))
    return OfficialNeeds(as_of, target_set_code, member.population, tuple(needs))
