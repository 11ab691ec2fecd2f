"""Share targets vs. everyone-must targets (DOMAIN §4.6, issue 11 item 2): which indicators a
unit meets by enough of its officials, and how a unit stands on them."""

from datetime import date

import pytest

from app.domain.targets import (
    KH_327_2017,
    AppointmentFact,
    IndicatorSpec,
    OfficialFacts,
    TargetSet,
    is_share,
    share_group,
    share_standings,
)

D = date(2020, 11, 30)


@pytest.mark.parametrize(
    ("operator", "threshold", "share"),
    [
        (">=", 100, False),  # everyone must
        (">=", 99, True),
        (">=", 60, True),  # Cao cấp
        (">=", 15, True),  # sau đại học (P)
        (">=", 10, True),  # sau đại học (D)
        (">=", 0, True),
        (">", 50, True),  # đại học at commune level: "trên 50%"
        (">", 0, True),
    ],
)
def test_is_share(operator, threshold, share):
    assert is_share(operator, threshold) is share


def test_is_share_refuses_an_unknown_operator():
    with pytest.raises(ValueError):
        is_share("<", 50)


@pytest.mark.parametrize(
    ("population", "shares"),
    [
        ("P", {"pol_cc", "edu_sdh"}),
        ("D", {"pol_cc", "edu_sdh"}),
        ("C", {"edu_dh"}),
    ],
)
def test_the_shares_of_kh_327(population, shares):
    assert KH_327_2017.share_items(population) == shares


def test_a_copied_set_decides_by_its_own_thresholds():
    specs = (
        IndicatorSpec("M3.C.edu_dh", ">=", 100, False),
        IndicatorSpec("M3.C.it", ">=", 80, True),
    )
    edited = TargetSet("X", "X", date(2025, 12, 31), specs)
    assert edited.share_items("C") == {"it"}
    assert edited.share_items("P") == frozenset()


@pytest.mark.parametrize(
    ("sex", "young", "group"),
    [("F", False, "women"), ("F", True, "women"), ("M", True, "young"), ("M", False, "men")],
)
def test_share_group(sex, young, group):
    assert share_group(sex, young) == group


def _leader(code, sex, pol):
    post = AppointmentFact(plan_level="province", position_rank="division_head")
    return OfficialFacts(code, sex, date(1970, 1, 1), (post,), {"political_theory": pol})


def test_share_standings_of_a_unit():
    unit = [
        _leader("A", "F", "advanced"),
        _leader("B", "F", "intermediate"),
        _leader("C", "F", "none"),
        _leader("M", "M", "advanced"),
    ]
    standings = share_standings(unit, KH_327_2017, D)
    assert {indicator for indicator, _group in standings} == {
        "M3.P.pol_cc",
        "M3.P.edu_sdh",
        "M3.D.pol_cc",
        "M3.D.edu_sdh",
        "M3.C.edu_dh",
    }
    women = standings[("M3.P.pol_cc", "women")]
    assert (women.numerator, women.denominator, women.status, women.shortfall) == (
        1,
        3,
        "not_met",
        1,  # 2 of 3 = 66.7% ≥ 60%
    )
    assert standings[("M3.P.pol_cc", "men")].status == "met"
    assert standings[("M3.C.edu_dh", "women")].status == "not_applicable"


def test_share_standings_of_a_set_without_shares():
    everyone = TargetSet("Y", "Y", D, (IndicatorSpec("M3.C.it", ">=", 100, True),))
    assert share_standings([_leader("A", "F", "none")], everyone, D) == {}
