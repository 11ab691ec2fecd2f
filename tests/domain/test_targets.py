"""Mục tiêu 3 computation (DOMAIN §4): boundaries first, then whole reports."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.targets import (
    GROUPS,
    KH_327_2017,
    AppointmentFact,
    IndicatorSpec,
    Membership,
    OfficialFacts,
    OfficialGap,
    Settings,
    TargetSet,
    UpcomingAward,
    age_on,
    compute_gaps,
    compute_report,
    counts,
    groups_of,
    is_young,
    membership,
    requirement,
    shortfall,
    status_of,
    validate_spec,
)

D = date(2020, 11, 30)
DAY = timedelta(days=1)
MEDICAL_OFF = Settings(medical_counts_as_postgraduate=False)


def post(plan_level="province", rank="division_head", **flags) -> AppointmentFact:
    return AppointmentFact(plan_level=plan_level, position_rank=rank, **flags)


def official(
    code="BT1", sex="F", birth=date(1970, 1, 1), posts=None, levels=None, upcoming=()
) -> OfficialFacts:
    return OfficialFacts(
        code=code,
        sex=sex,
        birth_date=birth,
        appointments=tuple(posts if posts is not None else [post()]),
        levels=levels or {},
        upcoming=tuple(upcoming),
    )


# --- §4.1 snapshot -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("appointed_on", "left_on", "is_open"),
    [
        (None, None, True),
        (D, None, True),  # the first day is in post
        (D + DAY, None, False),
        (None, D, False),  # the day she leaves is no longer in post
        (None, D + DAY, True),
        (None, D - DAY, False),
        (D - DAY, D + DAY, True),
        (D, D + DAY, True),
    ],
)
def test_appointment_is_open(appointed_on, left_on, is_open):
    appointment = post(appointed_on=appointed_on, left_on=left_on)
    assert appointment.is_open(D) is is_open


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1980, 11, 30), D, 40),  # birthday on D counts
        (date(1980, 12, 1), D, 39),
        (date(1980, 11, 29), D, 40),
        (date(2000, 2, 29), date(2021, 2, 28), 20),  # non-leap year: birthday is 1 March
        (date(2000, 2, 29), date(2021, 3, 1), 21),
        (date(2000, 2, 29), date(2024, 2, 28), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2000, 3, 1), date(2000, 3, 1), 0),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("population", "birth", "young"),
    [
        ("P", date(1980, 11, 30), False),  # 40th birthday exactly on D: no longer young
        ("P", date(1980, 12, 1), True),
        ("D", date(1980, 11, 30), False),
        ("D", date(1980, 12, 1), True),
        ("C", date(1985, 11, 30), False),  # commune limit 35
        ("C", date(1985, 12, 1), True),
        ("C", date(1982, 1, 1), False),  # 38: young at province level, not at commune
    ],
)
def test_is_young(population, birth, young):
    member = Membership(population, "division_head")
    assert is_young(official(birth=birth), member, D, Settings()) is young


def test_young_limits_are_configurable():
    settings = Settings(young_age_upper=45, young_age_upper_commune=30)
    person = official(birth=date(1978, 1, 1))  # 42 on D
    assert is_young(person, Membership("P", "division_head"), D, settings)
    assert not is_young(person, Membership("C", "staff"), D, settings)


@pytest.mark.parametrize(
    ("sex", "young", "groups"),
    [
        ("F", False, ("women", "women_or_young")),
        ("F", True, ("women", "young", "women_or_young")),
        ("M", False, ("men",)),
        ("M", True, ("young", "women_or_young", "men")),
    ],
)
def test_groups_of(sex, young, groups):
    assert groups_of(sex, young) == groups


# --- §4.2 populations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        ([], None),
        ([post("province", "staff")], None),
        ([post("province", "deputy_division_head")], ("P", "deputy_division_head")),
        ([post("district", "division_head")], ("D", "division_head")),
        ([post("district", "staff", party_committee=True)], None),
        ([post("commune", "staff")], None),
        ([post("commune", "staff", party_committee=True)], ("C", "staff")),
        ([post("commune", "staff", commune_key_post=True)], ("C", "staff")),
        ([post("commune", "staff", commune_full_time=True)], ("C", "staff")),
        ([post("province", "provincial_leader", left_on=D)], None),
        ([post("province", "division_head", appointed_on=D + DAY)], None),
        ([post("province", "division_head", appointed_on=D)], ("P", "division_head")),
        (
            [post("commune", "staff", commune_key_post=True), post("province", "division_head")],
            ("P", "division_head"),
        ),
        (
            [post("commune", "staff", commune_key_post=True), post("district", "division_head")],
            ("D", "division_head"),
        ),
        (
            [post("district", "department_head"), post("province", "deputy_division_head")],
            ("P", "deputy_division_head"),  # the rank of the winning level only
        ),
        (
            [post("province", "division_head"), post("province", "deputy_department_head")],
            ("P", "deputy_department_head"),  # highest rank of that level
        ),
        (
            [post("province", "staff"), post("province", "division_head")],
            ("P", "division_head"),
        ),
        (
            [post("province", "staff"), post("commune", "staff", party_committee=True)],
            ("C", "staff"),
        ),
        (
            [
                post("province", "provincial_leader", left_on=D),
                post("commune", "staff", commune_full_time=True),
            ],
            ("C", "staff"),
        ),
    ],
)
def test_membership(posts, expected):
    member = membership(official(posts=posts), D)
    assert (member and (member.population, member.rank)) == expected


def test_commune_flags_are_ored_over_open_commune_appointments():
    posts = [
        post("commune", "staff", party_committee=True),
        post("commune", "staff", commune_key_post=True),
        post("commune", "staff", commune_full_time=True, left_on=D),
        post("province", "staff", commune_full_time=True),
    ]
    assert membership(official(posts=posts), D) == Membership(
        "C", "staff", party_committee=True, commune_key_post=True, commune_full_time=False
    )


# --- §4.4 what counts ----------------------------------------------------------------------

P_DIVISION = Membership("P", "division_head")
D_DEPUTY_DIVISION = Membership("D", "deputy_division_head")
P_DEPARTMENT = Membership("P", "deputy_department_head")
P_LEADER = Membership("P", "provincial_leader")
C_KEY = Membership("C", "staff", commune_key_post=True)
C_OTHER = Membership("C", "staff", party_committee=True)


@pytest.mark.parametrize(
    ("item", "member", "levels", "settings", "expected"),
    [
        ("pol_tc", P_DIVISION, {"political_theory": "intermediate"}, Settings(), True),
        ("pol_tc", P_DIVISION, {"political_theory": "elementary"}, Settings(), False),
        ("pol_tc", P_DIVISION, {}, Settings(), False),
        ("pol_cc", P_DIVISION, {"political_theory": "advanced"}, Settings(), True),
        ("pol_cc", P_DIVISION, {"political_theory": "bachelor"}, Settings(), True),  # Cử nhân
        ("pol_cc", P_DIVISION, {"political_theory": "intermediate"}, Settings(), False),
        ("edu_dh", P_DIVISION, {"education": "bachelor"}, Settings(), True),
        ("edu_dh", P_DIVISION, {"education": "college"}, Settings(), False),
        ("edu_dh", P_DIVISION, {"education": "specialist_1"}, Settings(), True),
        ("edu_dh", P_DIVISION, {"education": "specialist_1"}, MEDICAL_OFF, True),
        ("edu_dh", P_DIVISION, {"education": "medical_resident"}, MEDICAL_OFF, True),
        ("edu_sdh", P_DIVISION, {"education": "master"}, Settings(), True),
        ("edu_sdh", P_DIVISION, {"education": "master"}, MEDICAL_OFF, True),
        ("edu_sdh", P_DIVISION, {"education": "bachelor"}, Settings(), False),
        ("edu_sdh", P_DIVISION, {"education": "specialist_1"}, Settings(), True),
        ("edu_sdh", P_DIVISION, {"education": "specialist_1"}, MEDICAL_OFF, False),
        ("edu_sdh", P_DIVISION, {"education": "specialist_2"}, MEDICAL_OFF, False),
        ("edu_sdh", P_DIVISION, {"education": "medical_resident"}, Settings(), True),
        ("qlnn", P_DIVISION, {"state_management": "specialist"}, Settings(), True),
        ("qlnn", P_DIVISION, {"state_management": "none"}, Settings(), False),
        ("qpan", P_DIVISION, {"defense_security": "tier3"}, Settings(), True),
        ("qpan", P_DIVISION, {"defense_security": "tier4"}, Settings(), False),
        ("qpan", D_DEPUTY_DIVISION, {"defense_security": "tier3"}, Settings(), True),
        ("qpan", P_DEPARTMENT, {"defense_security": "tier3"}, Settings(), False),
        ("qpan", P_DEPARTMENT, {"defense_security": "tier2"}, Settings(), True),
        ("qpan", P_DEPARTMENT, {"defense_security": "tier1"}, Settings(), True),
        ("qpan", P_LEADER, {"defense_security": "tier2"}, Settings(), False),
        ("qpan", P_LEADER, {"defense_security": "tier1"}, Settings(), True),
        ("lead", P_DIVISION, {"leadership_training": "division"}, Settings(), True),
        ("lead", P_DIVISION, {"leadership_training": "none"}, Settings(), False),
        ("lead", P_DEPARTMENT, {"leadership_training": "division"}, Settings(), False),
        ("lead", P_DEPARTMENT, {"leadership_training": "department"}, Settings(), True),
        ("lead", P_LEADER, {"leadership_training": "division"}, Settings(), False),
        ("lead", P_LEADER, {"leadership_training": "department"}, Settings(), True),
        ("it", P_DIVISION, {"it_skill": "basic"}, Settings(), True),
        ("it", P_DIVISION, {"it_skill": "none"}, Settings(), False),
        ("hoi_nhap", P_DIVISION, {"international_integration": "yes"}, Settings(), True),
        ("hoi_nhap", P_DIVISION, {"international_integration": "none"}, Settings(), False),
        ("edu_tc", C_OTHER, {"education": "secondary_vocational"}, Settings(), True),
        ("edu_tc", C_OTHER, {"education": "primary_vocational"}, Settings(), False),
        ("qpan", C_KEY, {"defense_security": "tier4"}, Settings(), False),
        ("qpan", C_KEY, {"defense_security": "tier3"}, Settings(), True),
        ("qpan", C_OTHER, {"defense_security": "tier4"}, Settings(), True),
        ("qpan", C_OTHER, {"defense_security": "none"}, Settings(), False),
    ],
)
def test_counts(item, member, levels, settings, expected):
    assert counts(item, member.population, member, levels, settings) is expected


@pytest.mark.parametrize(
    ("item", "population"),
    [("nonsense", "P"), ("lead", "C"), ("pol_cc", "C"), ("edu_tc", "P"), ("it", "X")],
)
def test_counts_rejects_unknown_items(item, population):
    with pytest.raises(ValueError):
        counts(item, population, Membership(population, "division_head"), {})


def test_requirement_names_ladder_and_minimum():
    assert requirement("qpan", "D", Membership("D", "department_head")) == (
        "defense_security",
        "tier2",
    )


# --- §4.5 status and shortfall -------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "operator", "threshold", "status", "missing"),
    [
        (0, 0, ">=", 100, "not_applicable", None),
        (0, 0, ">", 50, "not_applicable", None),
        (2, 4, ">", 50, "not_met", 1),  # "trên 50%": exactly half is not enough
        (3, 4, ">", 50, "met", 0),
        (2, 4, ">=", 50, "met", 0),
        (1, 3, ">", 50, "not_met", 1),
        (0, 5, ">", 0, "not_met", 1),
        (0, 5, ">=", 0, "met", 0),
        (12, 20, ">=", 60, "met", 0),
        (11, 20, ">=", 60, "not_met", 1),
        (65, 79, ">=", 100, "not_met", 14),
        (40, 79, ">=", 60, "not_met", 8),  # 47.4 needed: 48
        (3, 21, ">=", 15, "not_met", 1),  # 3.15 needed: 4
        (3, 20, ">=", 15, "met", 0),  # 3.0 needed exactly: no rounding
        (0, 3, ">=", 10, "not_met", 1),
        (10, 10, ">=", 100, "met", 0),
    ],
)
def test_status_and_shortfall(numerator, denominator, operator, threshold, status, missing):
    assert status_of(numerator, denominator, operator, threshold) == status
    assert shortfall(numerator, denominator, operator, threshold) == missing


def _holds(numerator, denominator, operator, threshold):
    left, right = numerator * 100, threshold * denominator
    return left >= right if operator == ">=" else left > right


@given(
    data=st.integers(min_value=1, max_value=10_000).flatmap(
        lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
    ),
    operator=st.sampled_from([">=", ">"]),
    threshold=st.integers(min_value=0, max_value=100),
)
def test_shortfall_is_the_least_k_meeting_the_target(data, operator, threshold):
    numerator, denominator = data
    if operator == ">" and threshold == 100:
        return  # refused by validate_spec
    k = shortfall(numerator, denominator, operator, threshold)
    assert k >= 0
    assert _holds(numerator + k, denominator, operator, threshold)
    if k > 0:
        assert not _holds(numerator + k - 1, denominator, operator, threshold)
    assert numerator + k <= denominator
    assert (status_of(numerator, denominator, operator, threshold) == "met") is (k == 0)


@pytest.mark.parametrize(
    ("operator", "threshold"),
    [("<", 50), ("=>", 50), (">=", -1), (">=", 101), (">", 100), (">=", 50.0), (">=", True)],
)
def test_validate_spec_rejects(operator, threshold):
    with pytest.raises(ValueError):
        validate_spec(operator, threshold)
    with pytest.raises(ValueError):
        IndicatorSpec("M3.P.pol_cc", operator, threshold, False)


@pytest.mark.parametrize(("operator", "threshold"), [(">=", 0), (">=", 100), (">", 0), (">", 99)])
def test_validate_spec_accepts(operator, threshold):
    validate_spec(operator, threshold)


@pytest.mark.parametrize(("operator", "function"), [("<", status_of), ("", shortfall)])
def test_unknown_operator_in_arithmetic(operator, function):
    with pytest.raises(ValueError):
        function(1, 2, operator, 50)


def test_indicator_spec_parts():
    spec = IndicatorSpec("M3.C.edu_dh", ">", 50, False)
    assert (spec.population, spec.item) == ("C", "edu_dh")


@pytest.mark.parametrize("bad_id", ["pol_cc", "M3.X.pol_cc", "M3.P", "M3.C.lead", "M3.P.edu_tc"])
def test_indicator_spec_rejects_bad_ids(bad_id):
    with pytest.raises(ValueError):
        IndicatorSpec(bad_id, ">=", 100, False)


def test_target_set_rejects_repeated_ids():
    spec = IndicatorSpec("M3.P.it", ">=", 100, True)
    with pytest.raises(ValueError):
        TargetSet("X", "X", D, (spec, spec))


def test_kh_327_2017_is_the_table_of_domain_4_4():
    assert (KH_327_2017.code, KH_327_2017.name, KH_327_2017.deadline) == (
        "KH-327-2017",
        "Kế hoạch 327/KH-UBND (2017)",
        date(2020, 12, 31),
    )
    leaders = ["pol_tc", "pol_cc", "edu_dh", "edu_sdh", "qlnn", "qpan", "lead", "it", "hoi_nhap"]
    commune = ["pol_tc", "edu_tc", "edu_dh", "qlnn", "qpan", "it"]
    expected_ids = [f"M3.P.{i}" for i in leaders] + [f"M3.D.{i}" for i in leaders]
    expected_ids += [f"M3.C.{i}" for i in commune]
    specs = {spec.id: spec for spec in KH_327_2017.indicators}
    assert list(specs) == expected_ids
    table = {
        "M3.P.pol_cc": (">=", 60, False),
        "M3.D.pol_cc": (">=", 60, False),
        "M3.P.edu_sdh": (">=", 15, False),
        "M3.D.edu_sdh": (">=", 10, False),
        "M3.C.edu_dh": (">", 50, False),
    }
    stated = {"pol_tc", "pol_cc", "edu_dh", "edu_sdh", "edu_tc"}
    for spec_id, spec in specs.items():
        default = (">=", 100, spec.item not in stated)
        assert (spec.operator, spec.threshold, spec.implied) == table.get(spec_id, default)


# --- whole reports -------------------------------------------------------------------------

ALL_LEVELS = {
    "political_theory": "advanced",
    "education": "master",
    "state_management": "specialist",
    "defense_security": "tier1",
    "it_skill": "basic",
    "leadership_training": "department",
    "international_integration": "yes",
}


def _result(results, spec_id, group):
    return next(r for r in results if r.id == spec_id and r.group == group)


def test_report_has_every_indicator_and_group_even_when_empty():
    results = compute_report([], KH_327_2017, D)
    assert [(r.id, r.group) for r in results] == [
        (spec.id, group) for spec in KH_327_2017.indicators for group in GROUPS
    ]
    assert all(r.status == "not_applicable" and r.shortfall is None for r in results)
    assert all(r.value is None and r.forecast_shortfall is None for r in results)


def test_report_counts_groups():
    people = [
        official("W_OLD", "F", date(1960, 1, 1), levels=ALL_LEVELS),
        official("W_YOUNG", "F", date(1990, 1, 1)),
        official("M_YOUNG", "M", date(1990, 1, 1), levels=ALL_LEVELS),
        official("M_OLD", "M", date(1960, 1, 1)),
        official("OUT", "F", date(1990, 1, 1), posts=[post("province", "staff")]),
    ]
    results = compute_report(people, KH_327_2017, D)
    counted = {
        group: (r.numerator, r.denominator)
        for group in GROUPS
        for r in [_result(results, "M3.P.it", group)]
    }
    assert counted == {
        "women": (1, 2),
        "young": (1, 2),
        "women_or_young": (2, 3),
        "men": (1, 2),
    }
    women = _result(results, "M3.P.it", "women")
    assert (women.value, women.status, women.shortfall) == (0.5, "not_met", 1)
    assert _result(results, "M3.D.it", "women").status == "not_applicable"


def test_report_to_json_has_exactly_the_domain_keys():
    result = compute_report([official(levels=ALL_LEVELS)], KH_327_2017, D)[0]
    assert list(result.to_json()) == [
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
    ]
    assert result.to_json()["value"] == 1.0


def test_medical_setting_changes_the_report():
    person = official(levels={"education": "specialist_1"})
    on = _result(compute_report([person], KH_327_2017, D), "M3.P.edu_sdh", "women")
    off = _result(compute_report([person], KH_327_2017, D, MEDICAL_OFF), "M3.P.edu_sdh", "women")
    assert (on.numerator, off.numerator) == (1, 0)


@pytest.mark.parametrize(
    ("award", "counted"),
    [
        (UpcomingAward("political_theory", "advanced", date(2020, 12, 31)), True),  # deadline
        (UpcomingAward("political_theory", "bachelor", date(2020, 12, 15)), True),
        (UpcomingAward("political_theory", "advanced", date(2021, 1, 1)), False),  # too late
        (UpcomingAward("political_theory", "elementary", date(2020, 12, 1)), False),  # too low
        (UpcomingAward("it_skill", "basic", date(2020, 12, 1)), False),  # other ladder
    ],
)
def test_forecast(award, counted):
    person = official(levels={"political_theory": "intermediate"}, upcoming=[award])
    results = compute_report([person], KH_327_2017, D)
    result = _result(results, "M3.P.pol_cc", "women")
    assert (result.numerator, result.status, result.shortfall) == (0, "not_met", 1)
    assert result.forecast_numerator == int(counted)
    assert result.forecast_status == ("met" if counted else "not_met")
    assert result.forecast_shortfall == (0 if counted else 1)


def test_forecast_does_not_count_an_official_twice_or_lower_her_level():
    award = UpcomingAward("political_theory", "intermediate", date(2020, 12, 1))
    person = official(levels={"political_theory": "advanced"}, upcoming=[award])
    result = _result(compute_report([person], KH_327_2017, D), "M3.P.pol_cc", "women")
    assert (result.numerator, result.forecast_numerator) == (1, 1)


@pytest.mark.parametrize(
    ("levels", "posts", "award", "closed"),
    [
        # intermediate → advanced closes the 60 % share item only
        ({"political_theory": "intermediate"}, None, ("political_theory", "advanced"), ("pol_cc",)),
        # nothing → advanced closes both political-theory items, in target-set order
        ({}, None, ("political_theory", "advanced"), ("pol_tc", "pol_cc")),
        # nothing → intermediate closes pol_tc only
        ({}, None, ("political_theory", "intermediate"), ("pol_tc",)),
        # already advanced: nothing more
        ({"political_theory": "advanced"}, None, ("political_theory", "advanced"), ()),
        # a lower level than held never closes anything
        ({"political_theory": "advanced"}, None, ("political_theory", "elementary"), ()),
        # a division head needs tier3 defence-security: tier3 closes qpan
        ({}, None, ("defense_security", "tier3"), ("qpan",)),
        # a department head needs tier2: tier3 is not enough
        ({}, [("province", "department_head")], ("defense_security", "tier3"), ()),
        ({}, [("province", "department_head")], ("defense_security", "tier2"), ("qpan",)),
        # a bachelor's degree closes edu_dh, not the postgraduate share
        ({}, None, ("education", "bachelor"), ("edu_dh",)),
        # an official in no population: nothing measured, nothing closed
        ({}, [("province", "staff")], ("political_theory", "advanced"), ()),
    ],
)
def test_award_closes(levels, posts, award, closed):
    from app.domain.targets import award_closes

    posts = [post(level, rank) for level, rank in posts] if posts else None
    person = official(levels=levels, **({"posts": posts} if posts else {}))
    assert award_closes(person, KH_327_2017, D, *award) == closed


def test_report_uses_the_rank_of_the_open_posts():
    person = official(
        posts=[post("province", "division_head"), post("province", "provincial_leader", left_on=D)],
        levels={"defense_security": "tier3"},
    )
    result = _result(compute_report([person], KH_327_2017, D), "M3.P.qpan", "women")
    assert result.numerator == 1


def test_gaps():
    people = [
        official("B", "M", date(1990, 1, 1), levels=ALL_LEVELS),
        official("A", "F", date(1960, 1, 1), levels={"political_theory": "intermediate"}),
        official(
            "C",
            "F",
            posts=[post("commune", "staff", commune_key_post=True)],
            levels={"political_theory": "intermediate", "education": "bachelor"},
        ),
        official("Z", "F", posts=[post("province", "staff")]),
    ]
    assert compute_gaps(people, KH_327_2017, D) == [
        OfficialGap(
            "A",
            "P",
            ("pol_cc", "edu_dh", "edu_sdh", "qlnn", "qpan", "lead", "it", "hoi_nhap"),
            women=True,
            young=False,
        ),
        OfficialGap("B", "P", (), women=False, young=True),
        OfficialGap("C", "C", ("qlnn", "qpan", "it"), women=True, young=False),
    ]


def test_gaps_follow_the_target_set_order():
    target_set = TargetSet(
        "T",
        "T",
        D,
        (IndicatorSpec("M3.P.it", ">=", 100, True), IndicatorSpec("M3.P.pol_tc", ">=", 90, False)),
    )
    (gap,) = compute_gaps([official()], target_set, D)
    assert gap.missing == ("it", "pol_tc")


@pytest.mark.parametrize(
    ("item", "ladder"),
    [
        ("pol_tc", "political_theory"),
        ("pol_cc", "political_theory"),
        ("edu_tc", "education"),
        ("edu_sdh", "education"),
        ("qlnn", "state_management"),
        ("qpan", "defense_security"),
        ("lead", "leadership_training"),
        ("it", "it_skill"),
        ("hoi_nhap", "international_integration"),
    ],
)
def test_item_ladder(item, ladder):
    from app.domain.targets import item_ladder

    assert item_ladder(item) == ladder


def test_item_ladder_refuses_an_unknown_item():
    from app.domain.targets import item_ladder

    with pytest.raises(KeyError):
        item_ladder("nothing")
