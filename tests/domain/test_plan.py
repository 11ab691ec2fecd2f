"""Mục tiêu 1 and 2 (DOMAIN §9–10): boundaries first, then whole reports."""

from datetime import date, timedelta

import pytest

from app.domain.plan import (
    INDICATOR_IDS,
    KH_327_2017_PLAN,
    KINDS,
    OrganizationFact,
    PlanIndicatorSpec,
    SeatEntry,
    check_seat_figures,
    compute_plan,
    default_needs_gender_equality_officer,
    gaps_json,
    in_chu_chot_30,
    latest_seats,
    person_items,
    report_json,
)
from app.domain.targets import REPORT_FIELDS, AppointmentFact, OfficialFacts

D = date(2020, 11, 30)
DAY = timedelta(days=1)

ORGS = {
    1: OrganizationFact(1, "Sở Y tế", "state"),
    2: OrganizationFact(2, "Bệnh viện tỉnh", "public_service"),
    3: OrganizationFact(3, "UBND xã A", "people_committee", needs_gender_equality_officer=True),
    4: OrganizationFact(4, "HĐND xã A", "people_council"),
    5: OrganizationFact(5, "Hội Chữ thập đỏ", "other"),
    6: OrganizationFact(6, "Huyện ủy B", "party"),
}


def post(org=1, level="province", rank="staff", primary=True, **flags) -> AppointmentFact:
    return AppointmentFact(
        plan_level=level, position_rank=rank, organization=org, is_primary=primary, **flags
    )


def person(code="BT1", sex="F", posts=None, trained=False) -> OfficialFacts:
    levels = {"gender_equality_training": "yes"} if trained else {}
    return OfficialFacts(
        code=code,
        sex=sex,
        birth_date=date(1980, 1, 1),
        appointments=tuple(posts if posts is not None else [post()]),
        levels=levels,
    )


def entry(report, indicator):
    return next(r for r in report.indicators if r.id == indicator)


def counts(report, indicator):
    result = entry(report, indicator)
    return result.numerator, result.denominator


def plan(officials, orgs=None, seats=(), on=D, specs=KH_327_2017_PLAN):
    orgs = ORGS.values() if orgs is None else orgs
    return compute_plan(officials, orgs, seats, on, specs)


# --- vocabulary and defaults ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "needs"),
    [
        ("people_committee", True),
        ("people_council", False),
        ("party", False),
        ("state", False),
        ("mass", False),
        ("public_service", False),
        ("other", False),
    ],
)
def test_only_a_peoples_committee_needs_a_gender_officer_by_default(kind, needs):
    assert default_needs_gender_equality_officer(kind) is needs


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        default_needs_gender_equality_officer("club")
    with pytest.raises(ValueError, match="kind"):
        OrganizationFact(1, "X", "club")


def test_kinds_are_the_seven_of_domain_9():
    assert KINDS == (
        "party",
        "people_council",
        "people_committee",
        "state",
        "mass",
        "public_service",
        "other",
    )


def test_the_default_target_set_has_every_indicator_once_with_the_plans_thresholds():
    assert tuple(spec.id for spec in KH_327_2017_PLAN) == INDICATOR_IDS
    thresholds = {spec.id: spec.threshold for spec in KH_327_2017_PLAN}
    assert thresholds == {
        "M1.cap_uy.province": 15,
        "M1.cap_uy.district": 15,
        "M1.cap_uy.commune": 25,
        "M1.dai_bieu": 35,
        "M1.thuong_truc": 100,
        "M1.chu_chot_30": 100,
        "M1.lanh_dao_so": 25,
        "M1.phong_tinh": 35,
        "M1.dvsn_tinh": 45,
        "M1.phong_huyen": 30,
        "M1.chuyen_trach_xa": 25,
        "M2.bo_tri": 100,
        "M2.tap_huan": 100,
    }
    assert {spec.operator for spec in KH_327_2017_PLAN} == {">="}


@pytest.mark.parametrize(
    ("indicator", "operator", "threshold", "error"),
    [
        ("M1.nope", ">=", 10, "indicator"),
        ("M3.P.pol_cc", ">=", 10, "indicator"),
        ("M1.phong_tinh", ">", 100, "100"),
        ("M1.phong_tinh", "<", 10, "operator"),
        ("M1.phong_tinh", ">=", 101, "threshold"),
    ],
)
def test_a_bad_spec_is_refused(indicator, operator, threshold, error):
    with pytest.raises(ValueError, match=error):
        PlanIndicatorSpec(indicator, operator, threshold)


# --- person indicators: which posts put her in which denominator ----------------------------


@pytest.mark.parametrize(
    ("the_post", "items"),
    [
        (post(level="province", party_committee=True), ("cap_uy.province",)),
        (post(level="district", party_committee=True), ("cap_uy.district",)),
        (post(level="commune", party_committee=True), ("cap_uy.commune",)),
        (post(rank="deputy_department_head"), ("lanh_dao_so",)),
        (post(rank="department_head"), ("lanh_dao_so",)),
        (post(rank="provincial_leader"), ()),
        (post(rank="deputy_division_head"), ("phong_tinh",)),
        (post(rank="division_head"), ("phong_tinh",)),
        (post(rank="staff"), ()),
        # A public-service unit's leaders are counted apart, whatever their rank.
        (post(org=2, rank="department_head"), ("dvsn_tinh",)),
        (post(org=2, rank="deputy_division_head"), ("dvsn_tinh",)),
        (post(org=2, rank="provincial_leader"), ("dvsn_tinh",)),
        (post(org=2, rank="staff"), ()),
        # Kind "other" is not public service: its province leaders are department/division ones.
        (post(org=5, rank="division_head"), ("phong_tinh",)),
        (post(level="district", rank="division_head"), ("phong_huyen",)),
        (post(level="district", org=2, rank="deputy_division_head"), ("phong_huyen",)),
        (post(level="district", rank="department_head"), ()),
        (post(level="commune", commune_full_time=True), ("chuyen_trach_xa",)),
        (post(level="commune", commune_key_post=True), ()),
        (post(level="province", commune_full_time=True), ()),
        (
            post(rank="division_head", party_committee=True),
            ("cap_uy.province", "phong_tinh"),
        ),
    ],
)
def test_person_items_of_a_post(the_post, items):
    assert person_items(the_post, ORGS) == items


def test_a_woman_counts_a_man_is_in_the_denominator_only():
    report = plan(
        [
            person("A", "F", [post(rank="division_head")]),
            person("B", "M", [post(rank="division_head")]),
        ]
    )
    assert counts(report, "M1.phong_tinh") == (1, 2)


@pytest.mark.parametrize(
    ("women", "men", "status", "short"),
    [
        (3, 7, "met", 0),  # exactly 30% women
        (2, 8, "not_met", 1),
        (3, 8, "not_met", 1),  # 27.3%: 4 of 11 needed
        (4, 8, "met", 0),
        (0, 1, "not_met", 1),
        (1, 0, "met", 0),
    ],
)
def test_exactly_thirty_percent_meets_phong_huyen(women, men, status, short):
    district_head = [post(level="district", rank="division_head")]
    officials = [person(f"F{i}", "F", district_head) for i in range(women)]
    officials += [person(f"M{i}", "M", district_head) for i in range(men)]
    result = entry(plan(officials), "M1.phong_huyen")
    assert (result.numerator, result.denominator) == (women, women + men)
    assert (result.status, result.shortfall) == (status, short)


def test_a_person_with_two_qualifying_posts_counts_once():
    two_posts = person(
        "A",
        "F",
        [
            post(rank="division_head", party_committee=True),
            post(org=5, rank="deputy_division_head", primary=False, party_committee=True),
        ],
    )
    report = plan([two_posts])
    assert counts(report, "M1.phong_tinh") == (1, 1)
    assert counts(report, "M1.cap_uy.province") == (1, 1)


@pytest.mark.parametrize(
    ("appointed_on", "left_on", "in_denominator"),
    [
        (None, None, True),
        (D, None, True),  # appointed on D: in post
        (D + DAY, None, False),  # an entry dated after D
        (None, D, False),  # left on D: no longer in post
        (None, D + DAY, True),
        (D - DAY * 10, D - DAY, False),
    ],
)
def test_only_open_posts_count(appointed_on, left_on, in_denominator):
    official = person(
        posts=[post(rank="division_head", appointed_on=appointed_on, left_on=left_on)]
    )
    assert counts(plan([official]), "M1.phong_tinh") == ((1, 1) if in_denominator else (0, 0))


def test_an_empty_denominator_is_not_applicable_with_no_shortfall():
    result = entry(plan([]), "M1.phong_tinh")
    assert (result.status, result.shortfall, result.value) == ("not_applicable", None, None)


def test_entries_have_the_5_2_shape_with_group_all():
    entries = report_json(plan([person(posts=[post(rank="division_head")])]))
    assert [e["id"] for e in entries] == list(INDICATOR_IDS)
    assert all(tuple(e) == REPORT_FIELDS for e in entries)
    assert {e["group"] for e in entries} == {"all"}
    phong = next(e for e in entries if e["id"] == "M1.phong_tinh")
    assert phong["forecast_numerator"] == phong["numerator"] == 1
    assert phong["forecast_status"] == phong["status"] == "met"
    assert phong["implied"] is False


# --- elected bodies -------------------------------------------------------------------------


def seat(body="council_province", seats=50, women=15, on=D, sequence=0) -> SeatEntry:
    return SeatEntry(body, seats, women, on, sequence)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([], (0, 0)),
        ([seat(on=D + DAY)], (0, 0)),  # entered after D: not yet known
        ([seat(on=D)], (15, 50)),
        ([seat(women=10, on=D - DAY), seat(women=20, on=D)], (20, 50)),
        ([seat(women=20, on=D), seat(women=10, on=D - DAY)], (20, 50)),
        ([seat(women=20, on=D - DAY), seat(women=10, on=D + DAY)], (20, 50)),
        # Two entries the same day: the later row (higher sequence) wins, whatever the order.
        ([seat(women=10, sequence=1), seat(women=12, sequence=2)], (12, 50)),
        ([seat(women=12, sequence=2), seat(women=10, sequence=1)], (12, 50)),
        # Bodies add up.
        ([seat(), seat("national_assembly", 6, 2)], (17, 56)),
        ([seat(), seat("council_commune", 100, 40), seat("council_district", 30, 10)], (65, 180)),
    ],
)
def test_dai_bieu_sums_the_latest_entry_of_each_body(entries, expected):
    assert counts(plan([], seats=entries), "M1.dai_bieu") == expected


def test_exactly_thirty_five_percent_women_seats_is_met():
    report = plan([], seats=[seat(seats=100, women=35)])
    assert entry(report, "M1.dai_bieu").status == "met"
    report = plan([], seats=[seat(seats=100, women=34)])
    assert (entry(report, "M1.dai_bieu").status, entry(report, "M1.dai_bieu").shortfall) == (
        "not_met",
        1,
    )


def test_latest_seats_keeps_one_entry_per_body():
    latest = latest_seats([seat(on=D - DAY), seat("national_assembly", 6, 2), seat(on=D)], D)
    assert set(latest) == {"council_province", "national_assembly"}
    assert latest["council_province"].entered_on == D


@pytest.mark.parametrize(
    ("body", "seats", "women", "error"),
    [
        ("council_ward", 10, 1, "body"),
        ("council_province", 10, 11, "exceed"),
        ("council_province", -1, 0, "whole"),
        ("council_province", 10, -1, "whole"),
        ("council_province", 1.5, 0, "whole"),
        ("council_province", True, 0, "whole"),
    ],
)
def test_bad_seat_figures_are_refused(body, seats, women, error):
    with pytest.raises(ValueError, match=error):
        check_seat_figures(body, seats, women)


def test_women_equal_to_seats_and_zero_seats_are_accepted():
    check_seat_figures("council_commune", 10, 10)
    check_seat_figures("council_commune", 0, 0)


# --- organization indicators ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("staff", "women", "measured"),
    [
        (0, 0, False),  # no one in post: left out
        (10, 3, True),  # exactly 30%
        (10, 2, False),
        (3, 1, True),  # 33%
        (7, 2, False),  # 28.6%
        (1, 1, True),
        (1, 0, False),
    ],
)
def test_chu_chot_30_threshold(staff, women, measured):
    assert in_chu_chot_30(staff, women) is measured


def test_thuong_truc_counts_councils_and_committees_with_a_woman_key_leader():
    officials = [
        person("A", "F", [post(org=3, level="commune", key_leader=True)]),
        person("B", "M", [post(org=4, level="commune", key_leader=True)]),
        person("C", "F", [post(org=4, level="commune")]),  # a woman, not a key leader
    ]
    report = plan(officials)
    assert counts(report, "M1.thuong_truc") == (1, 2)
    # Half its staff are women: it is measured by chu_chot_30 too, and lacks it as well.
    assert [(g.name, g.missing) for g in report.organizations] == [
        ("HĐND xã A", ("thuong_truc", "chu_chot_30")),
        ("UBND xã A", ("bo_tri",)),
    ]


def test_an_organization_with_no_one_in_post_is_in_thuong_truc_and_bo_tri_not_chu_chot():
    report = plan([])
    assert counts(report, "M1.thuong_truc") == (0, 2)
    assert counts(report, "M1.chu_chot_30") == (0, 0)
    assert counts(report, "M2.bo_tri") == (0, 1)
    assert gaps_json(report)["organizations"] == [
        {"name": "HĐND xã A", "missing": ["thuong_truc"]},
        {"name": "UBND xã A", "missing": ["thuong_truc", "bo_tri"]},
    ]


def test_chu_chot_30_counts_primary_posts_for_the_share_and_any_post_for_the_leader():
    officials = [
        # Sở Y tế: 1 woman of 3 in post there (33%); its woman key leader's primary post is
        # elsewhere.
        person("A", "F", [post(org=1)]),
        person("B", "M", [post(org=1)]),
        person("C", "M", [post(org=1)]),
        person("L", "F", [post(org=5), post(org=1, primary=False, key_leader=True)]),
        # Huyện ủy B: 1 of 4 women (25%): left out.
        person("D", "F", [post(org=6, level="district")]),
        *[person(f"E{i}", "M", [post(org=6, level="district")]) for i in range(3)],
    ]
    report = plan(officials)
    # Sở Y tế measured and counts; Hội Chữ thập đỏ (kind other) never measured.
    assert counts(report, "M1.chu_chot_30") == (1, 1)


def test_a_closed_organization_is_left_out():
    closed = OrganizationFact(7, "UBND huyện cũ", "people_committee", True, valid_to=D)
    opening = OrganizationFact(8, "UBND mới", "people_committee", True, valid_from=D + DAY)
    report = plan([], orgs=[closed, opening])
    assert counts(report, "M1.thuong_truc") == (0, 0)
    assert counts(report, "M2.bo_tri") == (0, 0)


def test_a_key_leader_who_left_on_d_no_longer_counts():
    officials = [person("A", "F", [post(org=3, level="commune", key_leader=True, left_on=D)])]
    assert counts(plan(officials), "M1.thuong_truc") == (0, 2)


def test_a_man_key_leader_in_a_thirty_percent_unit_leaves_it_missing():
    officials = [
        person("A", "F", [post(org=1)]),
        person("B", "M", [post(org=1, rank="department_head", key_leader=True)]),
    ]
    report = plan(officials)
    assert counts(report, "M1.chu_chot_30") == (0, 1)
    assert ("Sở Y tế", ("chu_chot_30",)) in [(g.name, g.missing) for g in report.organizations]


# --- Mục tiêu 2 -----------------------------------------------------------------------------


def test_bo_tri_needs_an_official_in_post_with_the_role():
    officials = [person("A", "M", [post(org=3, level="commune", gender_equality_role=True)])]
    assert counts(plan(officials), "M2.bo_tri") == (1, 1)
    later = [
        person(
            "A",
            "M",
            [post(org=3, level="commune", gender_equality_role=True, appointed_on=D + DAY)],
        )
    ]
    assert counts(plan(later), "M2.bo_tri") == (0, 1)


def test_bo_tri_follows_the_flag_not_the_kind():
    flagged = OrganizationFact(1, "Sở Y tế", "state", needs_gender_equality_officer=True)
    unflagged = OrganizationFact(3, "UBND xã A", "people_committee", False)
    report = plan([], orgs=[flagged, unflagged])
    assert counts(report, "M2.bo_tri") == (0, 1)
    assert gaps_json(report)["organizations"] == [
        {"name": "Sở Y tế", "missing": ["bo_tri"]},
        {"name": "UBND xã A", "missing": ["thuong_truc"]},
    ]


@pytest.mark.parametrize(
    ("posts", "trained", "expected", "untrained"),
    [
        ([post(gender_equality_role=True)], True, (1, 1), []),
        ([post(gender_equality_role=True)], False, (0, 1), ["A"]),
        ([post()], False, (0, 0), []),
        # A person with two flagged posts counts once.
        (
            [
                post(gender_equality_role=True),
                post(org=5, primary=False, gender_equality_role=True),
            ],
            False,
            (0, 1),
            ["A"],
        ),
        # The flagged post is not open on D: not a gender officer.
        ([post(gender_equality_role=True, appointed_on=D + DAY)], False, (0, 0), []),
        ([post(gender_equality_role=True, left_on=D)], False, (0, 0), []),
        # A flagged secondary post is enough.
        ([post(), post(org=5, primary=False, gender_equality_role=True)], True, (1, 1), []),
    ],
)
def test_tap_huan(posts, trained, expected, untrained):
    report = plan([person("A", "M", posts, trained)])
    assert counts(report, "M2.tap_huan") == expected
    assert gaps_json(report)["untrained_gender_officers"] == untrained


def test_untrained_gender_officers_are_sorted_codes():
    officials = [
        person(code, "F", [post(gender_equality_role=True)]) for code in ("BT9", "BT1", "BT5")
    ]
    assert gaps_json(plan(officials))["untrained_gender_officers"] == ["BT1", "BT5", "BT9"]


def test_a_target_set_with_fewer_indicators_reports_only_those():
    specs = (PlanIndicatorSpec("M1.phong_tinh", ">", 50),)
    report = plan([person(posts=[post(rank="division_head")])], specs=specs)
    assert [r.id for r in report.indicators] == ["M1.phong_tinh"]
    assert report.organizations == ()
    assert report.untrained_gender_officers == ()
    assert entry(report, "M1.phong_tinh").status == "met"


def test_missing_items_are_in_report_order():
    officials = [person("A", "M", [post(org=3, level="commune")])]
    report = plan(officials, orgs=[ORGS[3]])
    assert gaps_json(report)["organizations"] == [
        {"name": "UBND xã A", "missing": ["thuong_truc", "bo_tri"]}
    ]
    officials = [person("A", "F", [post(org=3, level="commune")])]
    report = plan(officials, orgs=[ORGS[3]])
    assert gaps_json(report)["organizations"] == [
        {"name": "UBND xã A", "missing": ["thuong_truc", "chu_chot_30", "bo_tri"]}
    ]


def test_a_unit_counts_its_own_people_and_every_post_held_in_its_organizations():
    """compute_plan's `people`: person indicators count only them; organization indicators
    still see every post held in the organizations given (a key leader belonging elsewhere)."""
    committee = OrganizationFact(1, "UBND xã Một", "people_committee", True)
    visitor = OfficialFacts(
        "V1",
        "F",
        date(1980, 1, 1),
        (
            AppointmentFact("commune", "staff", commune_full_time=True, organization=1,
                            key_leader=True, gender_equality_role=True),
        ),
        {},
    )  # fmt: skip
    own = OfficialFacts(
        "O1",
        "M",
        date(1980, 1, 1),
        (AppointmentFact("commune", "staff", commune_full_time=True, organization=1,
                         is_primary=True),),
        {},
    )  # fmt: skip
    report = compute_plan([visitor, own], [committee], [], D, people=frozenset({"O1"}))
    by_id = {r.id: r for r in report.indicators}
    commune = by_id["M1.chuyen_trach_xa"]
    assert (commune.numerator, commune.denominator) == (0, 1)
    assert by_id["M2.tap_huan"].denominator == 0 and report.untrained_gender_officers == ()
    assert (by_id["M1.thuong_truc"].numerator, by_id["M2.bo_tri"].numerator) == (1, 1)
