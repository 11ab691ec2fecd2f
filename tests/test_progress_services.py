"""Progress services against the database: target sets, settings, scope, forecast, queries."""

import json
from datetime import date

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.domain.plan import KH_327_2017_WHOLE
from app.domain.targets import DEFAULT_SETTINGS, KH_327_2017
from app.officials.models import Appointment, Official, Organization
from app.permissions import can
from app.progress import services
from app.progress.models import TargetIndicator, TargetSet
from app.qualifications.models import Qualification
from app.qualifications.services import add_record
from app.settings import Setting
from app.validation import ServiceError

AS_OF = date(2020, 11, 30)
FULL = {
    "political_theory": "advanced",
    "education": "master",
    "state_management": "specialist",
    "defense_security": "tier1",
    "it_skill": "basic",
    "leadership_training": "department",
    "international_integration": "yes",
}


@pytest.fixture
def leader(create_official):
    """leader(org, code, levels={ladder: level}, **official) -> an official with her records."""

    def make(organization, code, levels=None, **kwargs):
        kwargs.setdefault("position_rank", "division_head")
        official = create_official(code=code, organization=organization, **kwargs)
        for ladder, level in (levels or {}).items():
            add_record(official, ladder, level, source="import")
        return official

    return make


def entry(report: dict, indicator: str, group: str = "women") -> dict:
    return next(e for e in report["indicators"] if e["id"] == indicator and e["group"] == group)


# --- the migration's data ----------------------------------------------------------------


def test_migration_seeds_the_plan_target_set_exactly(db):
    """Mục tiêu 3 (DOMAIN §4.4), then Mục tiêu 1 and 2 (§9–10) with the plan's thresholds."""
    assert services.get_target_set("KH-327-2017") == KH_327_2017_WHOLE
    rows = db.session.execute(
        select(TargetIndicator.indicator, TargetIndicator.position)
        .join(TargetSet)
        .where(TargetSet.code == "KH-327-2017")
        .order_by(TargetIndicator.position)
    ).all()
    whole = (*KH_327_2017.indicators, *KH_327_2017_WHOLE.plan_indicators)
    assert [r.indicator for r in rows] == [spec.id for spec in whole]
    assert len(KH_327_2017_WHOLE.plan_indicators) == 13


def test_migration_seeds_the_default_settings(db):
    rows = dict(db.session.execute(select(Setting.key, Setting.value)).all())
    assert {key: json.loads(value) for key, value in rows.items()} == {
        "young_age_upper": 40,
        "young_age_upper_commune": 35,
        "medical_counts_as_postgraduate": True,
    }
    assert services.load_settings() == DEFAULT_SETTINGS


def test_database_refuses_greater_than_100(db):
    target_set = services.find_target_set("KH-327-2017")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            insert(TargetIndicator).values(
                target_set_id=target_set.id,
                indicator="M3.X.bad",
                operator=">",
                threshold=100,
                implied=False,
                position=99,
            )
        )


# --- target sets -------------------------------------------------------------------------


def test_copy_and_change_a_threshold_changes_the_report(db, create_organization, leader):
    org = create_organization(name="Sở Thử")
    leader(org, "A1", {"political_theory": "advanced"})
    leader(org, "A2", {"political_theory": "intermediate"})
    leader(org, "A3", {"political_theory": "intermediate"})
    copy = services.copy_target_set("KH-327-2017", "STRICT-2025", "Mục tiêu chặt hơn")
    assert copy.based_on.code == "KH-327-2017" and copy.deadline == KH_327_2017.deadline
    assert services.get_target_set("STRICT-2025").indicators == KH_327_2017.indicators

    before = entry(services.report(AS_OF, "STRICT-2025"), "M3.P.pol_cc")
    assert (before["numerator"], before["denominator"], before["status"]) == (1, 3, "not_met")
    assert before["shortfall"] == 1  # 60% of 3 = 1.8 -> 2

    services.update_indicator(copy, "M3.P.pol_cc", ">=", 30)
    after = entry(services.report(AS_OF, "STRICT-2025"), "M3.P.pol_cc")
    assert (after["threshold"], after["status"], after["shortfall"]) == (30, "met", 0)
    services.update_indicator("STRICT-2025", "M3.P.pol_cc", ">", 33)
    strict = entry(services.report(AS_OF, "STRICT-2025"), "M3.P.pol_cc")
    assert (strict["operator"], strict["status"], strict["shortfall"]) == (">", "met", 0)
    # The plan's own set is untouched.
    assert entry(services.report(AS_OF), "M3.P.pol_cc")["threshold"] == 60
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_type == "TargetSet")
    ).all()
    assert actions == ["target_set.create", "target_set.update", "target_set.update"]


def test_greater_than_100_and_bad_specs_are_refused(db):
    copy = services.copy_target_set("KH-327-2017", "T-1", "Thử")
    with pytest.raises(ServiceError) as error:
        services.update_indicator(copy, "M3.C.edu_dh", ">", 100)
    assert error.value.field == "operator"
    for operator, threshold, field in ((">=", 101, "threshold"), ("<", 50, "operator")):
        with pytest.raises(ServiceError) as error:
            services.update_indicator(copy, "M3.C.edu_dh", operator, threshold)
        assert error.value.field == field
    with pytest.raises(ServiceError):
        services.update_indicator(copy, "M3.C.nothing", ">=", 50)
    # Nothing was changed by the refused edits.
    assert services.get_target_set("T-1").indicators == KH_327_2017.indicators


def test_the_plan_target_set_is_read_only_and_codes_are_checked(db):
    with pytest.raises(ServiceError):
        services.update_indicator("KH-327-2017", "M3.P.pol_cc", ">=", 50)
    with pytest.raises(ServiceError):
        services.set_deadline("KH-327-2017", date(2030, 12, 31))
    for code in ("", "KH-327-2017", "kh-327-2017", "có dấu", "x" * 41):
        with pytest.raises(ServiceError):
            services.copy_target_set("KH-327-2017", code, "Tên")
    with pytest.raises(ServiceError) as error:
        services.copy_target_set("NOPE", "NEW", "Tên")
    assert error.value.code == "not_found"
    with pytest.raises(ServiceError) as error:
        services.get_target_set("NOPE")
    assert error.value.code == "not_found"


def test_set_deadline_and_list(db):
    copy = services.copy_target_set("KH-327-2017", "KH-2025", "Kế hoạch 2025")
    services.set_deadline(copy, date(2025, 12, 31))
    assert services.get_target_set("KH-2025").deadline == date(2025, 12, 31)
    codes = [target_set.code for target_set in services.list_target_sets()]
    assert codes == ["KH-327-2017", "KH-2025"]


# --- settings ----------------------------------------------------------------------------


def test_young_age_setting_changes_the_report(db, create_organization, leader):
    org = create_organization()
    leader(org, "Y1", FULL, birth_date=date(1982, 1, 1))  # 38 on the date
    assert entry(services.report(AS_OF), "M3.P.pol_tc", "young")["denominator"] == 1
    services.update_settings(young_age_upper=35)
    assert services.load_settings().young_age_upper == 35
    assert entry(services.report(AS_OF), "M3.P.pol_tc", "young")["denominator"] == 0
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.update"))
    assert [e.changes for e in entries] == [{"young_age_upper": [40, 35]}]


def test_medical_setting_changes_the_report(db, create_organization, leader):
    org = create_organization()
    leader(org, "M1", {"education": "specialist_1"})
    assert entry(services.report(AS_OF), "M3.P.edu_sdh")["numerator"] == 1
    assert entry(services.report(AS_OF), "M3.P.edu_dh")["numerator"] == 1
    services.update_settings(medical_counts_as_postgraduate=False)
    assert entry(services.report(AS_OF), "M3.P.edu_sdh")["numerator"] == 0
    assert entry(services.report(AS_OF), "M3.P.edu_dh")["numerator"] == 1


@pytest.mark.parametrize(
    "values",
    [
        {"young_age_upper": "40"},
        {"young_age_upper": 17},
        {"young_age_upper": True},
        {"medical_counts_as_postgraduate": 1},
        {"colour": "blue"},
    ],
)
def test_bad_settings_are_refused(db, values):
    with pytest.raises(ServiceError):
        services.update_settings(**values)
    assert services.load_settings() == DEFAULT_SETTINGS


def test_missing_or_broken_setting_rows_take_the_default(db):
    db.session.execute(text("DELETE FROM settings WHERE key = 'young_age_upper'"))
    db.session.execute(
        text("UPDATE settings SET value = 'oops' WHERE key = 'medical_counts_as_postgraduate'")
    )
    assert services.load_settings() == DEFAULT_SETTINGS
    assert services.update_settings(young_age_upper=45).young_age_upper == 45


def test_rules(db, create_user):
    users = {role: create_user(role) for role in ("official", "unit_hr", "province_hr", "admin")}
    allowed = {
        action: {role for role, user in users.items() if can(user, action)}
        for action in ("progress.view", "target_sets.view", "target_sets.manage", "settings.edit")
    }
    assert allowed == {
        "progress.view": {"unit_hr", "province_hr", "admin"},
        "target_sets.view": {"unit_hr", "province_hr", "admin"},
        "target_sets.manage": {"province_hr", "admin"},
        "settings.edit": {"admin"},
    }


# --- the report, its scope and its forecast ----------------------------------------------


@pytest.fixture
def two_units(create_organization, leader):
    province = create_organization(name="UBND tỉnh Thử")
    unit = create_organization(name="UBND huyện Một", plan_level="district", parent=province)
    division = create_organization(name="Phòng Một", plan_level="district", parent=unit)
    other = create_organization(name="UBND huyện Hai", plan_level="district", parent=province)
    commune = create_organization(name="UBND xã Ba", plan_level="commune", parent=unit)
    leader(division, "U1", FULL)
    leader(unit, "U2", {"political_theory": "intermediate"}, sex="M")
    leader(commune, "U3", {"education": "bachelor"}, position_rank="staff", party_committee=True)
    leader(other, "O1", FULL)
    leader(other, "O2", {}, sex="M")
    leader(province, "P1", FULL, position_rank="provincial_leader")
    return {"province": province, "unit": unit, "division": division, "other": other}


def test_province_report(db, two_units):
    report = services.report(AS_OF, scope="/")
    assert report["target_set"] == "KH-327-2017" and report["as_of"] == "2020-11-30"
    plan = KH_327_2017_WHOLE.plan_indicators
    assert len(report["indicators"]) == len(KH_327_2017.indicators) * 4 + len(plan)
    assert [e["id"] for e in report["indicators"][-len(plan) :]] == [s.id for s in plan]
    assert {e["group"] for e in report["indicators"][-len(plan) :]} == {"all"}
    assert entry(report, "M3.D.pol_tc", "women")["denominator"] == 2
    assert entry(report, "M3.D.pol_tc", "men")["denominator"] == 2
    assert entry(report, "M3.P.pol_tc", "women")["denominator"] == 1
    codes = [o["code"] for o in services.gaps(AS_OF)["officials"]]
    assert codes == ["O1", "O2", "P1", "U1", "U2", "U3"]


def test_unit_hr_sees_only_its_subtree(db, two_units):
    scope = two_units["unit"].path
    report = services.report(AS_OF, scope=scope)
    assert entry(report, "M3.D.pol_tc", "women")["denominator"] == 1
    assert entry(report, "M3.D.pol_tc", "men")["denominator"] == 1
    assert entry(report, "M3.P.pol_tc", "women")["denominator"] == 0
    assert entry(report, "M3.C.pol_tc", "women")["denominator"] == 1
    gaps = services.gaps(AS_OF, scope=scope)
    assert [o["code"] for o in gaps["officials"]] == ["U1", "U2", "U3"]
    facts = services.official_facts(AS_OF, scope)
    assert {f.code for f in facts} == {"U1", "U2", "U3"}
    # Narrowing within the scope works; stepping outside it does not.
    division = services.gaps(AS_OF, scope=scope, organization_id=two_units["division"].id)
    assert [o["code"] for o in division["officials"]] == ["U1"]
    with pytest.raises(ServiceError) as error:
        services.report(AS_OF, scope=scope, organization_id=two_units["other"].id)
    assert error.value.code == "forbidden"
    with pytest.raises(ServiceError) as error:
        services.report(AS_OF, scope=scope, organization_id=10**8)
    assert error.value.code == "not_found"
    assert services.gaps(AS_OF, scope=None)["officials"] == []


def test_report_by_organization(db, two_units):
    rows = services.report_by_organization(AS_OF, population="D", group="women")
    by_name = {row.name: row for row in rows}
    # The province root is the base: its children are the rows, its own staff an `own` row.
    assert set(by_name) == {"UBND huyện Một", "UBND huyện Hai", "UBND tỉnh Thử"}
    assert by_name["UBND tỉnh Thử"].own and by_name["UBND tỉnh Thử"].officials == 0
    one, two = by_name["UBND huyện Một"], by_name["UBND huyện Hai"]
    assert one.officials == 2 and two.officials == 2
    assert {r.group for r in one.results} == {"women"}
    assert {r.id for r in one.results} == {s.id for s in KH_327_2017.indicators if ".D." in s.id}
    pol_cc = {r.id: r for r in two.results}["M3.D.pol_cc"]
    assert (pol_cc.numerator, pol_cc.denominator) == (1, 1)
    assert two.total_shortfall == 0 and one.total_shortfall == 0  # both women qualify
    men = {row.name: row for row in services.report_by_organization(AS_OF, group="men")}
    assert men["UBND huyện Một"].total_shortfall > 0  # U2 lacks most things
    # Unit HR's rows are its own unit's children, plus the unit's own staff.
    unit_rows = services.report_by_organization(AS_OF, scope=two_units["unit"].path, group=None)
    names = {row.name: row for row in unit_rows}
    assert set(names) == {"Phòng Một", "UBND xã Ba", "UBND huyện Một"}
    assert names["UBND huyện Một"].own and names["UBND huyện Một"].officials == 1
    assert names["UBND xã Ba"].officials == 1 and names["Phòng Một"].officials == 1
    assert len(names["Phòng Một"].results) == len(KH_327_2017.indicators) * 4


def test_gap_rows_filters(db, two_units):
    rows = services.gap_rows(AS_OF, missing="pol_cc")
    assert [row.code for row in rows] == ["O2", "U2"]  # same names: then by code
    women = services.gap_rows(AS_OF, group="women", population="D")
    assert {row.code for row in women} == {"U1", "O1"}
    assert all(row.organization_name for row in women)
    assert services.gap_rows(AS_OF, scope=two_units["unit"].path, group="men")[0].code == "U2"


def test_forecast_equals_present_without_enrolments(db, two_units):
    for e in services.report(AS_OF)["indicators"]:
        assert e["forecast_numerator"] == e["numerator"]
        assert e["forecast_status"] == e["status"]
        assert e["forecast_shortfall"] == e["shortfall"]


def test_appointment_dates_and_record_dates_are_respected(db, create_organization, leader):
    org = create_organization()
    leader(org, "D1", appointed_on=date(2020, 12, 1))  # not yet in post
    leader(org, "D2", left_on=AS_OF)  # left on the date: no longer in post
    official = leader(org, "D3")
    add_record(official, "political_theory", "advanced", issued_on=date(2020, 12, 1))
    add_record(official, "political_theory", "intermediate", issued_on=AS_OF)
    report = services.report(AS_OF)
    assert entry(report, "M3.P.pol_tc")["denominator"] == 1
    assert entry(report, "M3.P.pol_tc")["numerator"] == 1
    assert entry(report, "M3.P.pol_cc")["numerator"] == 0


def test_only_verified_records_count(db, create_organization, leader):
    org = create_organization()
    official = leader(org, "V1")
    record = add_record(official, "it_skill", "basic")
    record.status = "rejected"
    db.session.flush()
    assert entry(services.report(AS_OF), "M3.P.it")["numerator"] == 0


# --- statement counts --------------------------------------------------------------------


def _bulk_officials(db, organizations, count: int, start: int) -> None:
    """`count` officials (leaders, commune cadres, staff) with records, in a few statements."""
    officials = [
        {
            "code": f"S{start + i:07d}",
            "full_name": "Nguyễn Thị Thử",
            "name_folded": "nguyen thi thu",
            "sort_key": "thu",
            "sex": "F" if i % 3 else "M",
            "birth_date": date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            "ethnicity": "Kinh",
            "status": "active",
        }
        for i in range(count)
    ]
    db.session.execute(insert(Official), officials)
    ids = db.session.scalars(
        select(Official.id).where(Official.code.in_([o["code"] for o in officials]))
    ).all()
    ranks = ("staff", "deputy_division_head", "division_head", "deputy_department_head")
    db.session.execute(
        insert(Appointment),
        [
            {
                "official_id": official_id,
                "organization_id": organizations[i % len(organizations)].id,
                "position_rank": ranks[i % len(ranks)],
                "party_committee": i % 2 == 0,
                "commune_key_post": i % 5 == 0,
                "commune_full_time": False,
                "is_primary": True,
            }
            for i, official_id in enumerate(ids)
        ],
    )
    levels = (("political_theory", "advanced"), ("education", "bachelor"), ("it_skill", "basic"))
    db.session.execute(
        insert(Qualification),
        [
            {
                "official_id": official_id,
                "ladder": ladder,
                "level": level,
                "source": "import",
                "status": "verified",
            }
            for i, official_id in enumerate(ids)
            for ladder, level in levels[: 1 + i % 3]
        ],
    )


def _statements(db, action) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_statement_counts_do_not_grow_with_officials(db, create_organization, create_user):
    province = create_organization(name="Tỉnh Đếm")
    organizations = [
        province,
        create_organization(name="Huyện Đếm", plan_level="district", parent=province),
        create_organization(name="Xã Đếm", plan_level="commune", parent=province),
    ]
    unit_scope = organizations[1].path
    actions = {
        "report": lambda: services.report(AS_OF),
        "unit report": lambda: services.report(AS_OF, scope=unit_scope),
        "gaps": lambda: services.gaps(AS_OF),
        "gap rows": lambda: services.gap_rows(AS_OF, group="women"),
        "by organization": lambda: services.report_by_organization(AS_OF),
    }
    _bulk_officials(db, organizations, 10, 0)
    small = {name: _statements(db, action) for name, action in actions.items()}
    _bulk_officials(db, organizations, 990, 10)
    large = {name: _statements(db, action) for name, action in actions.items()}
    assert small == large, (small, large)
    # Mục tiêu 3's five (target set, posts, levels, upcoming awards, settings) and, in the
    # report and gaps, Mục tiêu 1–2's four (posts, levels, organizations, seats).
    assert max(large.values()) <= 9, large
    count = len(services.gaps(AS_OF)["officials"])
    assert count > 500  # most of the 1,000 are measured


def test_organization_rows_are_the_children(db, create_organization):
    root = create_organization(name="Gốc")
    child = create_organization(name="Con", parent=root)
    rows = services.report_by_organization(AS_OF, organization_id=root.id, group=None)
    assert [(row.name, row.own, row.officials) for row in rows] == [("Con", False, 0)]
    assert db.session.get(Organization, child.id).path.startswith(root.path)


def test_the_pre_filter_changes_no_result(db, create_organization):
    """Reading only the posts that may place an official in a population (the report's
    pre-filter) gives the same report and gaps as reading every open post."""
    import random

    from app.domain.targets import compute_gaps, compute_report

    rng = random.Random(5)
    province = create_organization(name="Tỉnh Lọc")
    units = [
        province,
        create_organization(name="Huyện Lọc", plan_level="district", parent=province),
        create_organization(name="Xã Lọc", plan_level="commune", parent=province),
    ]
    _bulk_officials(db, units, 300, 50_000)
    ids = db.session.scalars(select(Official.id).where(Official.code.like("S005%"))).all()
    ranks = ("staff", "deputy_division_head", "division_head", "department_head")
    extra = [
        {
            "official_id": official_id,
            "organization_id": rng.choice(units).id,
            "position_rank": rng.choice(ranks),
            "party_committee": rng.random() < 0.3,
            "commune_key_post": rng.random() < 0.3,
            "commune_full_time": rng.random() < 0.3,
            **rng.choice(
                (
                    {},
                    {"appointed_on": date(2010, 1, 1)},
                    {"appointed_on": date(2020, 12, 1)},  # not yet open
                    {"left_on": AS_OF},  # left on the date
                    {"appointed_on": date(2010, 1, 1), "left_on": date(2025, 1, 1)},
                )
            ),
            "is_primary": False,
        }
        for official_id in ids
        for _ in range(rng.randrange(3))
    ]
    db.session.execute(insert(Appointment), extra)
    every = services.snapshot(AS_OF, measured_only=False)
    measured = services.snapshot(AS_OF)
    assert len(measured.facts) < len(every.facts)
    for compute in (compute_report, compute_gaps):
        assert compute(measured.facts, KH_327_2017, AS_OF) == compute(
            every.facts, KH_327_2017, AS_OF
        )
