"""Qualification ladders, position ranks and the other coded vocabularies (DOMAIN §3, §3.1)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .text import fold


@dataclass(frozen=True)
class Level:
    """One coded value: its stored code and its labels."""

    code: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Ladder:
    """An ordered qualification ladder.

    ``levels`` are listed lowest first in display order; alias codes (political ``bachelor``,
    the medical education degrees) come after the canonical codes, so compare levels with
    :func:`rank`, never by position.
    """

    code: str
    label_vi: str
    label_en: str
    levels: tuple[Level, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Return the level codes in display order."""
        return tuple(level.code for level in self.levels)

    def level(self, code: str) -> Level:
        """Return the level with ``code``; ValueError when the ladder has no such code."""
        for level in self.levels:
            if level.code == code:
                return level
        raise ValueError(f"unknown level {code!r} on ladder {self.code!r}")


@dataclass(frozen=True)
class RankSettings:
    """Configurable parts of the ranking (DOMAIN §3)."""

    medical_counts_as_postgraduate: bool = True


DEFAULT_RANK_SETTINGS = RankSettings()

MEDICAL_CODES = ("medical_resident", "specialist_1", "specialist_2")

_NONE = Level("none", "Không", "None")

LADDERS: dict[str, Ladder] = {
    ladder.code: ladder
    for ladder in (
        Ladder(
            "political_theory",
            "Lý luận chính trị",
            "Political theory",
            (
                _NONE,
                Level("elementary", "Sơ cấp", "Elementary"),
                Level("intermediate", "Trung cấp", "Intermediate"),
                Level("advanced", "Cao cấp", "Advanced"),
                Level("bachelor", "Cử nhân", "Bachelor of political science"),
            ),
        ),
        Ladder(
            "education",
            "Trình độ chuyên môn",
            "Education",
            (
                _NONE,
                Level("primary_vocational", "Sơ cấp", "Primary vocational"),
                Level("secondary_vocational", "Trung cấp", "Secondary vocational"),
                Level("college", "Cao đẳng", "College"),
                Level("bachelor", "Đại học", "Bachelor"),
                Level("master", "Thạc sĩ", "Master"),
                Level("doctorate", "Tiến sĩ", "Doctorate"),
                Level("medical_resident", "Bác sĩ nội trú", "Medical resident"),
                Level("specialist_1", "Chuyên khoa I", "Medical specialist level I"),
                Level("specialist_2", "Chuyên khoa II", "Medical specialist level II"),
            ),
        ),
        Ladder(
            "state_management",
            "Quản lý nhà nước",
            "State management",
            (
                _NONE,
                Level("specialist", "Chuyên viên", "Specialist"),
                Level("principal", "Chuyên viên chính", "Principal specialist"),
                Level("senior", "Chuyên viên cao cấp", "Senior specialist"),
            ),
        ),
        Ladder(
            "defense_security",
            "Quốc phòng - an ninh",
            "Defence and security",
            (
                _NONE,
                Level("tier4", "Đối tượng 4", "Tier 4"),
                Level("tier3", "Đối tượng 3", "Tier 3"),
                Level("tier2", "Đối tượng 2", "Tier 2"),
                Level("tier1", "Đối tượng 1", "Tier 1"),
            ),
        ),
        Ladder(
            "it_skill",
            "Tin học",
            "IT skills",
            (
                _NONE,
                Level("basic", "Cơ bản", "Basic"),
                Level("advanced", "Nâng cao", "Advanced"),
            ),
        ),
        Ladder(
            "leadership_training",
            "Bồi dưỡng lãnh đạo, quản lý",
            "Leadership and management training",
            (
                _NONE,
                Level("division", "Cấp phòng", "Division level"),
                Level("department", "Cấp sở", "Department level"),
            ),
        ),
        # DOMAIN §3 calls this a boolean; it is modelled as a two-level ladder so that its
        # qualification records, imports and forecasts work exactly like every other ladder.
        Ladder(
            "international_integration",
            "Hội nhập quốc tế",
            "International integration",
            (Level("none", "Không", "No"), Level("yes", "Có", "Yes")),
        ),
        # DOMAIN §10: trained on gender equality at least once (Mục tiêu 2), boolean like the
        # one above; a course can award it.
        Ladder(
            "gender_equality_training",
            "Tập huấn bình đẳng giới",
            "Gender equality training",
            (Level("none", "Không", "No"), Level("yes", "Có", "Yes")),
        ),
    )
}

# Ranks of the ladders whose order is their display order; education is ranked by _education_rank.
_POSITIONAL_RANKS: dict[str, dict[str, int]] = {
    "political_theory": {
        "none": 0,
        "elementary": 1,
        "intermediate": 2,
        "advanced": 3,
        "bachelor": 3,
    },
    "state_management": {"none": 0, "specialist": 1, "principal": 2, "senior": 3},
    # A lower tier number is a higher level.
    "defense_security": {"none": 0, "tier4": 1, "tier3": 2, "tier2": 3, "tier1": 4},
    "it_skill": {"none": 0, "basic": 1, "advanced": 2},
    "leadership_training": {"none": 0, "division": 1, "department": 2},
    "international_integration": {"none": 0, "yes": 1},
    "gender_equality_training": {"none": 0, "yes": 1},
}

_EDUCATION_RANKS = {
    "none": 0,
    "primary_vocational": 1,
    "secondary_vocational": 2,
    "college": 3,
    "bachelor": 4,
    "master": 5,
    "doctorate": 6,
}

POSTGRADUATE_RANK = 5


@functools.lru_cache(maxsize=32)
def _ranks(ladder: str, medical_counts_as_postgraduate: bool) -> dict[str, int]:
    """Return the shared rank table; callers must not mutate it (rank_table hands out copies)."""
    if ladder == "education":
        table = dict(_EDUCATION_RANKS)
        if medical_counts_as_postgraduate:
            table.update(medical_resident=5, specialist_1=5, specialist_2=6)
        else:
            table.update(dict.fromkeys(MEDICAL_CODES, 4))
        return table
    try:
        return _POSITIONAL_RANKS[ladder]
    except KeyError:
        raise ValueError(f"unknown ladder {ladder!r}") from None


def rank_table(ladder: str, settings: RankSettings = DEFAULT_RANK_SETTINGS) -> dict[str, int]:
    """Return ``{code: rank}`` for every code of ``ladder`` (e.g. to build SQL CASE expressions).

    Equal ranks mean equal levels: political ``bachelor`` ranks as ``advanced``; the medical
    degrees rank 5/5/6 when ``medical_counts_as_postgraduate`` is on, all 4 when it is off.
    ValueError for an unknown ladder.
    """
    return dict(_ranks(ladder, settings.medical_counts_as_postgraduate))


def rank(ladder: str, code: str, settings: RankSettings = DEFAULT_RANK_SETTINGS) -> int:
    """Return the rank of ``code`` on ``ladder`` (0 = none); ValueError on unknown ladder/code."""
    try:
        return _ranks(ladder, settings.medical_counts_as_postgraduate)[code]
    except KeyError:
        raise ValueError(f"unknown level {code!r} on ladder {ladder!r}") from None


def representative(ladder: str, rank: int, settings: RankSettings = DEFAULT_RANK_SETTINGS) -> str:
    """Return the canonical code of a rank, preferring non-alias codes (``advanced``, ``master``).

    ValueError when no code of the ladder has that rank.
    """
    table = rank_table(ladder, settings)
    for code in LADDERS[ladder].codes:
        if table[code] == rank:
            return code
    raise ValueError(f"no level of rank {rank} on ladder {ladder!r}")


def at_least(
    ladder: str, code: str, minimum: str, settings: RankSettings = DEFAULT_RANK_SETTINGS
) -> bool:
    """Return whether ``code`` is at or above ``minimum`` on ``ladder``."""
    return rank(ladder, code, settings) >= rank(ladder, minimum, settings)


def is_postgraduate(code: str, settings: RankSettings = DEFAULT_RANK_SETTINGS) -> bool:
    """Return whether an education code is postgraduate (sau đại học): rank ≥ master's."""
    return rank("education", code, settings) >= POSTGRADUATE_RANK


def is_medical(code: str) -> bool:
    """Return whether an education code is a medical degree (reported apart, DOMAIN §3)."""
    return code in MEDICAL_CODES


@dataclass(frozen=True)
class QualificationFact:
    """One qualification record: a level reached on a ladder, from ``issued_on`` (None = always)."""

    ladder: str
    level: str
    issued_on: date | None


def level_at(
    records: Iterable[QualificationFact],
    ladder: str,
    on: date,
    settings: RankSettings = DEFAULT_RANK_SETTINGS,
) -> str:
    """Return the highest level on ``ladder`` among records issued on or before ``on``.

    A record without a date counts at every date; ``none`` when no record applies. Between
    codes of equal rank the one listed first on the ladder wins (``advanced`` over ``bachelor``,
    ``master`` over ``specialist_1``), so the answer does not depend on the records' order.
    """
    table = _ranks(ladder, settings.medical_counts_as_postgraduate)
    position = {code: index for index, code in enumerate(LADDERS[ladder].codes)}
    best = "none"
    for record in records:
        if record.ladder != ladder or (record.issued_on is not None and record.issued_on > on):
            continue
        if record.level not in table:
            raise ValueError(f"unknown level {record.level!r} on ladder {ladder!r}")
        candidate = (table[record.level], -position[record.level])
        if candidate > (table[best], -position[best]):
            best = record.level
    return best


SEXES: tuple[Level, ...] = (Level("F", "Nữ", "Female"), Level("M", "Nam", "Male"))

PLAN_LEVELS: tuple[Level, ...] = (
    Level("province", "Tỉnh", "Province"),
    Level("district", "Huyện", "District"),
    Level("commune", "Xã", "Commune"),
)

CATEGORIES: tuple[Level, ...] = (
    Level("can_bo", "Cán bộ", "Cadre"),
    Level("cong_chuc", "Công chức", "Civil servant"),
    Level("vien_chuc", "Viên chức", "Public employee"),
)

POSITION_RANKS: tuple[Level, ...] = (
    Level("staff", "Chuyên viên, nhân viên", "Staff"),
    Level("deputy_division_head", "Phó trưởng phòng và tương đương", "Deputy division head"),
    Level("division_head", "Trưởng phòng và tương đương", "Division head"),
    Level("deputy_department_head", "Phó giám đốc sở và tương đương", "Deputy department head"),
    Level("department_head", "Giám đốc sở và tương đương", "Department head"),
    Level("provincial_leader", "Lãnh đạo tỉnh", "Provincial leader"),
)

# DOMAIN §9 (app.domain.plan names the same codes for Mục tiêu 1 and 2).
ORGANIZATION_KINDS: tuple[Level, ...] = (
    Level("party", "Cơ quan Đảng", "Party body"),
    Level("people_council", "HĐND", "People's Council"),
    Level("people_committee", "UBND", "People's Committee"),
    Level("state", "Cơ quan nhà nước", "State body"),
    Level("mass", "Đoàn thể / tổ chức chính trị - xã hội", "Mass organization"),
    Level("public_service", "Đơn vị sự nghiệp công lập", "Public service unit"),
    Level("other", "Khác", "Other"),
)

# Elected bodies whose seats province HR enters (DOMAIN §9); a level's councils together.
ELECTED_BODIES: tuple[Level, ...] = (
    Level("national_assembly", "Quốc hội", "National Assembly"),
    Level("council_province", "HĐND tỉnh", "Provincial People's Council"),
    Level("council_district", "HĐND huyện", "District People's Councils"),
    Level("council_commune", "HĐND xã", "Commune People's Councils"),
)

OFFICIAL_STATUSES: tuple[Level, ...] = (
    Level("active", "Đang công tác", "Active"),
    Level("retired", "Đã nghỉ hưu", "Retired"),
    Level("transferred", "Đã chuyển công tác", "Transferred"),
    Level("deceased", "Đã mất", "Deceased"),
)

# A qualification record's review: a proposal waits for HR; only verified records count.
RECORD_STATUSES: tuple[Level, ...] = (
    Level("pending", "Chờ duyệt", "Pending review"),
    Level("verified", "Đã xác nhận", "Verified"),
    Level("rejected", "Bị từ chối", "Rejected"),
)

# Where a qualification record came from.
RECORD_SOURCES: tuple[Level, ...] = (
    Level("manual", "Nhập tay", "Manual entry"),
    Level("import", "Nhập từ tệp", "File import"),
    Level("course", "Hoàn thành khóa học", "Course completion"),
    Level("proposed", "Cán bộ đề nghị", "Official's request"),
)

# The roles of an account (app.permissions names their codes); a user may hold several.
ACCOUNT_ROLES: tuple[Level, ...] = (
    Level("official", "Cán bộ, công chức, viên chức", "Official"),
    Level("trainer", "Giảng viên", "Trainer"),
    Level("unit_hr", "Cán bộ tổ chức đơn vị", "Unit HR officer"),
    Level("province_hr", "Cán bộ Sở Nội vụ", "Department of Home Affairs officer"),
    Level("admin", "Quản trị hệ thống", "System administrator"),
)

_POSITION_ORDER = {level.code: index for index, level in enumerate(POSITION_RANKS)}


def position_rank_order(code: str) -> int:
    """Return a position rank's order, staff 0 … provincial_leader 5; ValueError if unknown."""
    try:
        return _POSITION_ORDER[code]
    except KeyError:
        raise ValueError(f"unknown position rank {code!r}") from None


DIVISION_RANKS: tuple[str, ...] = ("deputy_division_head", "division_head")
DEPARTMENT_RANKS: tuple[str, ...] = ("deputy_department_head", "department_head")
LEADER_RANKS: tuple[str, ...] = tuple(
    level.code
    for level in POSITION_RANKS
    if _POSITION_ORDER[level.code] >= _POSITION_ORDER["deputy_division_head"]
)


@functools.lru_cache(maxsize=64)
def _folded_index(vocabulary: tuple[Level, ...]) -> dict[str, str]:
    """Map every folded code and label to its code; cached because imports call lookup per cell."""
    index: dict[str, str] = {}
    for level in vocabulary:
        for name in (level.code, level.label_vi, level.label_en):
            index.setdefault(fold(name), level.code)
    return index


def lookup(vocabulary: Iterable[Level], text: str) -> str | None:
    """Return the code whose code, Vietnamese label or English label equals ``text`` after
    :func:`~app.domain.text.fold` (DOMAIN §5.1 leniency: ``Nữ``, ``NỮ``, ``nu``, ``F``), or None.

    Works for any tuple of levels, e.g. ``lookup(LADDERS["education"].levels, "Thạc sĩ")``.
    """
    wanted = fold(text)
    if not wanted:
        return None
    return _folded_index(tuple(vocabulary)).get(wanted)
