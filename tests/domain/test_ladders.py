"""Ladders, ranks and coded vocabularies (DOMAIN §3, §3.1)."""

from datetime import date

import pytest

from app.domain.ladders import (
    CATEGORIES,
    DEPARTMENT_RANKS,
    DIVISION_RANKS,
    LADDERS,
    LEADER_RANKS,
    ORGANIZATION_KINDS,
    PLAN_LEVELS,
    POSITION_RANKS,
    SEXES,
    QualificationFact,
    RankSettings,
    at_least,
    is_medical,
    is_postgraduate,
    level_at,
    lookup,
    position_rank_order,
    rank,
    rank_table,
    representative,
)

ON = RankSettings(medical_counts_as_postgraduate=True)
OFF = RankSettings(medical_counts_as_postgraduate=False)


def test_ladders_and_labels():
    assert list(LADDERS) == [
        "political_theory",
        "education",
        "state_management",
        "defense_security",
        "it_skill",
        "leadership_training",
        "international_integration",
        "gender_equality_training",
    ]
    assert [ladder.label_vi for ladder in LADDERS.values()] == [
        "Lý luận chính trị",
        "Trình độ chuyên môn",
        "Quản lý nhà nước",
        "Quốc phòng - an ninh",
        "Tin học",
        "Bồi dưỡng lãnh đạo, quản lý",
        "Hội nhập quốc tế",
        "Tập huấn bình đẳng giới",
    ]
    assert LADDERS["education"].codes == (
        "none",
        "primary_vocational",
        "secondary_vocational",
        "college",
        "bachelor",
        "master",
        "doctorate",
        "medical_resident",
        "specialist_1",
        "specialist_2",
    )
    assert LADDERS["international_integration"].codes == ("none", "yes")
    assert LADDERS["defense_security"].level("tier1").label_vi == "Đối tượng 1"
    with pytest.raises(ValueError):
        LADDERS["it_skill"].level("expert")


@pytest.mark.parametrize(
    ("ladder", "code", "settings", "expected"),
    [
        ("political_theory", "none", ON, 0),
        ("political_theory", "elementary", ON, 1),
        ("political_theory", "intermediate", ON, 2),
        ("political_theory", "advanced", ON, 3),
        ("political_theory", "bachelor", ON, 3),
        ("education", "none", ON, 0),
        ("education", "primary_vocational", ON, 1),
        ("education", "secondary_vocational", ON, 2),
        ("education", "college", ON, 3),
        ("education", "bachelor", ON, 4),
        ("education", "master", ON, 5),
        ("education", "doctorate", ON, 6),
        ("education", "medical_resident", ON, 5),
        ("education", "specialist_1", ON, 5),
        ("education", "specialist_2", ON, 6),
        ("education", "medical_resident", OFF, 4),
        ("education", "specialist_1", OFF, 4),
        ("education", "specialist_2", OFF, 4),
        ("education", "master", OFF, 5),
        ("state_management", "senior", ON, 3),
        ("defense_security", "none", ON, 0),
        ("defense_security", "tier4", ON, 1),
        ("defense_security", "tier3", ON, 2),
        ("defense_security", "tier2", ON, 3),
        ("defense_security", "tier1", ON, 4),
        ("it_skill", "advanced", ON, 2),
        ("leadership_training", "department", ON, 2),
        ("international_integration", "none", ON, 0),
        ("international_integration", "yes", ON, 1),
    ],
)
def test_rank(ladder, code, settings, expected):
    assert rank(ladder, code, settings) == expected
    assert rank_table(ladder, settings)[code] == expected


def test_rank_defaults_to_medical_on():
    assert rank("education", "specialist_1") == 5


@pytest.mark.parametrize(("ladder", "code"), [("education", "phd"), ("nonsense", "none")])
def test_rank_rejects_unknown(ladder, code):
    with pytest.raises(ValueError):
        rank(ladder, code)


def test_rank_table_covers_every_code_and_is_a_copy():
    for code, ladder in LADDERS.items():
        assert set(rank_table(code)) == set(ladder.codes)
    rank_table("it_skill")["basic"] = 99
    assert rank("it_skill", "basic") == 1
    with pytest.raises(ValueError):
        rank_table("nonsense")


@pytest.mark.parametrize(
    ("ladder", "level_rank", "settings", "expected"),
    [
        ("political_theory", 3, ON, "advanced"),
        ("education", 4, OFF, "bachelor"),
        ("education", 5, ON, "master"),
        ("education", 6, ON, "doctorate"),
        ("defense_security", 4, ON, "tier1"),
        ("international_integration", 1, ON, "yes"),
    ],
)
def test_representative(ladder, level_rank, settings, expected):
    assert representative(ladder, level_rank, settings) == expected


def test_representative_rejects_missing_rank():
    with pytest.raises(ValueError):
        representative("it_skill", 7)


@pytest.mark.parametrize(
    ("ladder", "code", "minimum", "settings", "expected"),
    [
        ("political_theory", "bachelor", "advanced", ON, True),
        ("political_theory", "advanced", "bachelor", ON, True),
        ("political_theory", "intermediate", "advanced", ON, False),
        ("education", "specialist_1", "bachelor", OFF, True),
        ("education", "specialist_1", "bachelor", ON, True),
        ("education", "college", "bachelor", ON, False),
        ("defense_security", "tier1", "tier3", ON, True),
        ("defense_security", "tier4", "tier3", ON, False),
        ("defense_security", "none", "tier4", ON, False),
    ],
)
def test_at_least(ladder, code, minimum, settings, expected):
    assert at_least(ladder, code, minimum, settings) is expected


@pytest.mark.parametrize(
    ("code", "on", "off"),
    [
        ("bachelor", False, False),
        ("master", True, True),
        ("doctorate", True, True),
        ("medical_resident", True, False),
        ("specialist_1", True, False),
        ("specialist_2", True, False),
        ("none", False, False),
    ],
)
def test_is_postgraduate(code, on, off):
    assert is_postgraduate(code, ON) is on
    assert is_postgraduate(code, OFF) is off


def test_is_medical():
    assert [code for code in LADDERS["education"].codes if is_medical(code)] == [
        "medical_resident",
        "specialist_1",
        "specialist_2",
    ]


def _fact(ladder, level, issued_on=None):
    return QualificationFact(ladder, level, issued_on)


@pytest.mark.parametrize(
    ("records", "on", "expected"),
    [
        ([], date(2020, 1, 1), "none"),
        ([_fact("education", "master")], date(1900, 1, 1), "master"),
        ([_fact("education", "master", date(2020, 6, 1))], date(2020, 5, 31), "none"),
        ([_fact("education", "master", date(2020, 6, 1))], date(2020, 6, 1), "master"),
        (
            [_fact("education", "bachelor"), _fact("education", "master", date(2020, 6, 1))],
            date(2020, 1, 1),
            "bachelor",
        ),
        (
            [_fact("education", "doctorate", date(2020, 6, 1)), _fact("education", "college")],
            date(2021, 1, 1),
            "doctorate",
        ),
        ([_fact("it_skill", "advanced")], date(2020, 1, 1), "none"),
        ([_fact("education", "specialist_1"), _fact("education", "master")], date.max, "master"),
        ([_fact("education", "master"), _fact("education", "specialist_1")], date.max, "master"),
        (
            [_fact("education", "specialist_2"), _fact("education", "master")],
            date.max,
            "specialist_2",
        ),
    ],
)
def test_level_at(records, on, expected):
    assert level_at(records, "education", on, ON) == expected


def test_level_at_defence_uses_rank_not_tier_number():
    records = [_fact("defense_security", "tier3"), _fact("defense_security", "tier2")]
    assert level_at(records, "defense_security", date(2020, 1, 1)) == "tier2"


def test_level_at_political_bachelor_and_advanced_tie_to_the_canonical_code():
    records = [_fact("political_theory", "bachelor"), _fact("political_theory", "advanced")]
    assert level_at(records, "political_theory", date(2020, 1, 1)) == "advanced"
    assert level_at(records[:1], "political_theory", date(2020, 1, 1)) == "bachelor"


def test_level_at_with_medical_off():
    records = [_fact("education", "specialist_2"), _fact("education", "master")]
    assert level_at(records, "education", date.max, OFF) == "master"


def test_position_ranks():
    assert [level.code for level in POSITION_RANKS] == [
        "staff",
        "deputy_division_head",
        "division_head",
        "deputy_department_head",
        "department_head",
        "provincial_leader",
    ]
    assert POSITION_RANKS[1].label_vi == "Phó trưởng phòng và tương đương"
    assert [position_rank_order(level.code) for level in POSITION_RANKS] == list(range(6))
    assert DIVISION_RANKS == ("deputy_division_head", "division_head")
    assert DEPARTMENT_RANKS == ("deputy_department_head", "department_head")
    assert LEADER_RANKS == (
        "deputy_division_head",
        "division_head",
        "deputy_department_head",
        "department_head",
        "provincial_leader",
    )
    with pytest.raises(ValueError):
        position_rank_order("chairman")


VOCABULARIES = [SEXES, PLAN_LEVELS, CATEGORIES, POSITION_RANKS, ORGANIZATION_KINDS] + [
    ladder.levels for ladder in LADDERS.values()
]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_every_code_and_label_finds_its_own_entry(vocabulary):
    for level in vocabulary:
        for text in (level.code, level.label_vi, level.label_en):
            assert lookup(vocabulary, text) == level.code
            assert lookup(vocabulary, f"  {text.upper()} ") == level.code


@pytest.mark.parametrize(
    ("vocabulary", "text", "expected"),
    [
        (SEXES, "Nữ", "F"),
        (SEXES, "NỮ", "F"),
        (SEXES, "nu", "F"),
        (SEXES, "f", "F"),
        (SEXES, "nam", "M"),
        (PLAN_LEVELS, "xa", "commune"),
        (PLAN_LEVELS, "HUYỆN", "district"),
        (CATEGORIES, "cong chuc", "cong_chuc"),
        (POSITION_RANKS, "pho truong phong va tuong duong", "deputy_division_head"),
        (LADDERS["education"].levels, "Thạc sĩ", "master"),
        (LADDERS["education"].levels, "chuyen khoa ii", "specialist_2"),
        (LADDERS["political_theory"].levels, "Cử nhân", "bachelor"),
        (LADDERS["defense_security"].levels, "doi tuong 3", "tier3"),
        (LADDERS["leadership_training"].levels, "Cấp Sở", "department"),
        (SEXES, "", None),
        (SEXES, "Khác", None),
        (LADDERS["education"].levels, "Tiến sĩ khoa học", None),
    ],
)
def test_lookup(vocabulary, text, expected):
    assert lookup(vocabulary, text) == expected


def test_gender_equality_training_is_a_boolean_ladder():
    assert LADDERS["gender_equality_training"].codes == ("none", "yes")
    assert rank("gender_equality_training", "yes") == 1
    assert lookup(LADDERS["gender_equality_training"].levels, "có") == "yes"


def test_organization_kinds_and_elected_bodies_of_domain_9():
    from app.domain.ladders import ELECTED_BODIES

    assert [(k.code, k.label_vi) for k in ORGANIZATION_KINDS] == [
        ("party", "Cơ quan Đảng"),
        ("people_council", "HĐND"),
        ("people_committee", "UBND"),
        ("state", "Cơ quan nhà nước"),
        ("mass", "Đoàn thể / tổ chức chính trị - xã hội"),
        ("public_service", "Đơn vị sự nghiệp công lập"),
        ("other", "Khác"),
    ]
    assert [(b.code, b.label_vi) for b in ELECTED_BODIES] == [
        ("national_assembly", "Quốc hội"),
        ("council_province", "HĐND tỉnh"),
        ("council_district", "HĐND huyện"),
        ("council_commune", "HĐND xã"),
    ]
