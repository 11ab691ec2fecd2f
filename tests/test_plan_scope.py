"""Mục tiêu 1–2 for a unit's subtree (the unit report of `progress report`, the API's
organization_id, the yearly report): person indicators count the officials who belong to the
subtree (primary post there), organization indicators the subtree's organizations with every
post held in them, and the province's elected-body seats only the province."""

from datetime import date

import pytest

from app.officials import services as officials
from app.plan import seats
from app.progress import services

AS_OF = date(2020, 11, 30)


def entry(report: dict, indicator: str) -> dict:
    return next(e for e in report["indicators"] if e["id"] == indicator)


def figures(report: dict, indicator: str) -> tuple[int, int]:
    found = entry(report, indicator)
    return found["numerator"], found["denominator"]


@pytest.fixture
def district(db, create_organization, create_official):
    province = create_organization(name="Tỉnh Thử", kind="people_committee")
    district = create_organization(
        name="UBND huyện Một", plan_level="district", parent=province, kind="people_committee"
    )
    office = create_organization(name="Phòng Nội vụ Một", plan_level="district", parent=district)
    other = create_organization(
        name="UBND huyện Hai", plan_level="district", parent=province, kind="people_committee"
    )
    # A woman division head of the district (belongs there), a man in the other district.
    create_official(code="D1", organization=office, position_rank="division_head")
    create_official(code="O1", sex="M", organization=other, position_rank="division_head")
    # A woman whose primary post is in the province body, who also sits in UBND huyện Một as
    # a key leader and its gender-equality officer (untrained).
    visitor = create_official(code="V1", organization=province, position_rank="staff")
    officials.add_appointment(
        visitor, district, "deputy_division_head", key_leader=True, gender_equality_role=True
    )
    seats.add_entry("council_province", 50, 20, date(2016, 6, 1))
    db.session.flush()
    return {"province": province, "district": district, "other": other}


def test_the_unit_report_counts_its_own_people_and_organizations(db, district):
    unit = services.report(AS_OF, organization_id=district["district"].id)
    # Person indicators: only D1 belongs to the district (V1's primary post is elsewhere).
    assert figures(unit, "M1.phong_huyen") == (1, 1)
    assert entry(unit, "M2.tap_huan")["denominator"] == 0
    # Organization indicators: UBND huyện Một has a woman key leader and an officer (V1's
    # post there counts); UBND huyện Hai is outside the subtree.
    assert figures(unit, "M1.thuong_truc") == (1, 1)
    assert figures(unit, "M2.bo_tri") == (1, 1)
    # The province's seats are not a district's figure.
    dai_bieu = entry(unit, "M1.dai_bieu")
    assert (dai_bieu["denominator"], dai_bieu["status"]) == (0, "not_applicable")
    gaps = services.gaps(AS_OF, organization_id=district["district"].id)
    # Its office is all women (D1) with no woman key leader: M1.chu_chot_30 names it.
    assert gaps["organizations"] == [{"name": "Phòng Nội vụ Một", "missing": ["chu_chot_30"]}]
    assert gaps["untrained_gender_officers"] == []


def test_the_province_report_counts_everyone(db, district):
    whole = services.report(AS_OF)
    # D1 and O1, and V1 through her district post.
    phong_huyen = entry(whole, "M1.phong_huyen")
    assert (phong_huyen["numerator"], phong_huyen["denominator"]) == (2, 3)
    assert figures(whole, "M1.dai_bieu") == (20, 50)
    assert entry(whole, "M2.tap_huan")["denominator"] == 1  # V1
    # Three People's Committees: the district with V1; the province and UBND huyện Hai lack
    # a woman key leader and a gender-equality officer.
    assert entry(whole, "M1.thuong_truc")["denominator"] == 3
    gaps = services.gaps(AS_OF)
    lacking = {g["name"]: g["missing"] for g in gaps["organizations"]}
    assert lacking["Tỉnh Thử"] == ["thuong_truc", "chu_chot_30", "bo_tri"]
    assert lacking["UBND huyện Hai"] == ["thuong_truc", "bo_tri"]  # no women: not in 30%
    assert gaps["untrained_gender_officers"] == ["V1"]


def test_unit_hr_reads_only_its_subtree_through_the_api(
    db, client, create_user, api_token, district
):
    headers = api_token(create_user("unit_hr", organization=district["district"]))
    db.session.commit()
    own = client.get("/api/v1/progress?as_of=2020-11-30", headers=headers)
    assert own.status_code == 200
    assert entry(own.json, "M1.thuong_truc")["denominator"] == 1
    gaps = client.get("/api/v1/progress/gaps?as_of=2020-11-30", headers=headers).json
    assert [g["name"] for g in gaps["organizations"]] == ["Phòng Nội vụ Một"]
    assert gaps["untrained_gender_officers"] == []
    outside = client.get(
        f"/api/v1/progress?as_of=2020-11-30&organization_id={district['other'].id}",
        headers=headers,
    )
    assert outside.status_code == 403


def test_a_set_without_plan_indicators_reports_mục_tiêu_3_only(db, district):
    from app.progress.models import TargetIndicator

    copy = services.copy_target_set("KH-327-2017", "M3-ONLY", "Chỉ Mục tiêu 3")
    for row in [r for r in copy.indicators if not r.indicator.startswith("M3.")]:
        db.session.delete(row)
    db.session.flush()
    assert db.session.query(TargetIndicator).filter_by(target_set_id=copy.id).count() == 24
    report = services.report(AS_OF, "M3-ONLY")
    assert {e["id"].split(".")[0] for e in report["indicators"]} == {"M3"}
    gaps = services.gaps(AS_OF, "M3-ONLY")
    assert gaps["organizations"] == [] and gaps["untrained_gender_officers"] == []


def test_thresholds_are_data_in_a_copy(db, district):
    services.copy_target_set("KH-327-2017", "STRICT", "Chặt hơn")
    services.update_indicator("STRICT", "M1.phong_huyen", ">=", 60)
    strict = entry(services.report(AS_OF, "STRICT"), "M1.phong_huyen")
    plan = entry(services.report(AS_OF), "M1.phong_huyen")
    services.update_indicator("STRICT", "M1.phong_huyen", ">=", 70)
    stricter = entry(services.report(AS_OF, "STRICT"), "M1.phong_huyen")
    # 2 women of 3 (66.7%) meet 30% and 60%, not 70%: one more (3 of 3, §4.5) would.
    assert (plan["threshold"], plan["status"]) == (30, "met")
    assert (strict["threshold"], strict["status"]) == (60, "met")
    assert (stricter["threshold"], stricter["status"], stricter["shortfall"]) == (70, "not_met", 1)
