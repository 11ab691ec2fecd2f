"""The plan's data in the registry (DOMAIN §9–10, issue 16): organization kinds and the
gender-officer flag, the post flags, the gender-equality ladder through the import and the
export, and the seats of elected bodies (`flask plan seats-import`)."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEntry
from app.officials import exporter
from app.officials import services as officials
from app.officials.models import Organization
from app.plan import seats as seat_service
from app.plan import services as plan_services
from app.plan.models import SeatEntry
from app.qualifications.models import Qualification
from tests.test_import import home, levels, official, person, run, write_csv  # noqa: F401

D = date(2020, 11, 30)


def orgs(db) -> dict[str, Organization]:
    db.session.expire_all()
    return {org.name: org for org in db.session.scalars(select(Organization))}


# --- organizations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "needs"),
    [("people_committee", True), ("people_council", False), ("state", False), ("other", False)],
)
def test_a_new_organization_needs_a_gender_officer_by_its_kind(
    db, create_organization, kind, needs
):
    org = create_organization(kind=kind)
    assert org.needs_gender_equality_officer is needs


def test_hr_can_change_the_gender_officer_flag(db, create_organization):
    org = create_organization(kind="people_committee")
    officials.update_organization(org, needs_gender_equality_officer=False)
    assert org.needs_gender_equality_officer is False
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "organization.update")
    ).one()
    assert entry.changes["needs_gender_equality_officer"] == [True, False]
    explicit = create_organization(kind="state", needs_gender_equality_officer=True)
    assert explicit.needs_gender_equality_officer is True


def test_the_database_refuses_an_unknown_kind(db, create_organization):
    org = create_organization(kind="other")
    db.session.commit()
    org.kind = "club"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_post_flags_are_stored_and_audited(db, create_official, create_organization):
    person_ = create_official()
    unit = create_organization(kind="people_committee")
    post = officials.add_appointment(
        person_, unit, "staff", key_leader=True, gender_equality_role=True
    )
    assert (post.key_leader, post.gender_equality_role) == (True, True)
    officials.update_appointment(post, key_leader=False)
    assert post.key_leader is False
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "appointment.update")
    ).one()
    assert audited.changes["key_leader"] == [True, False]


# --- the import's new columns -------------------------------------------------------------


@pytest.mark.usefixtures("home")
def test_import_sets_kinds_flags_and_the_gender_ladder(db, tmp_path):
    rows = [
        person(
            "K1",
            organization="UBND xã Mới",
            parent_organization="Huyện Mới",
            plan_level="Xã",
            position_rank="Chuyên viên, nhân viên",
            organization_kind="UBND",
            key_leader="x",
            gender_equality_role="x",
            gender_equality_training="x",
        ),
        # A blank kind on a later row of the same organization gives no kind.
        person("K2", organization="UBND xã Mới", plan_level="Xã", organization_kind=""),
        person("K3", organization="Hội Phụ nữ xã Mới", plan_level="Xã"),
    ]
    result = run(write_csv(tmp_path / "kinds.csv", rows), create_organizations=True)
    assert result.ok, result.error_messages()
    by_name = orgs(db)
    committee = by_name["UBND xã Mới"]
    assert (committee.kind, committee.needs_gender_equality_officer) == ("people_committee", True)
    # Created as a parent, or without a kind: a state body.
    assert by_name["Huyện Mới"].kind == "state"
    assert by_name["Hội Phụ nữ xã Mới"].kind == "state"
    k1 = official(db, "K1").primary_appointment
    assert (k1.key_leader, k1.gender_equality_role) == (True, True)
    assert levels(db, "K1")["gender_equality_training"] == "yes"
    k2 = official(db, "K2").primary_appointment
    assert (k2.key_leader, k2.gender_equality_role) == (False, False)
    assert levels(db, "K2")["gender_equality_training"] == "none"
    # Importing the same file again changes nothing.
    again = run(write_csv(tmp_path / "kinds.csv", rows), create_organizations=True)
    assert (again.unchanged, again.warnings) == (3, [])


@pytest.mark.usefixtures("home")
def test_the_kind_a_row_gives_wins_over_being_named_as_a_parent(db, tmp_path):
    rows = [
        person("P1", organization="Phòng A", parent_organization="UBND huyện X",
               plan_level="Huyện"),
        person("P2", organization="UBND huyện X", plan_level="Huyện", organization_kind="UBND"),
    ]  # fmt: skip
    result = run(write_csv(tmp_path / "parent.csv", rows), create_organizations=True)
    assert result.ok, result.error_messages()
    assert orgs(db)["UBND huyện X"].kind == "people_committee"


@pytest.mark.usefixtures("home")
def test_two_kinds_for_one_new_organization_is_an_error_naming_the_row(db, tmp_path):
    rows = [
        person("C1", organization="Đơn vị Y", organization_kind="UBND"),
        person("C2", organization="Đơn vị Y"),  # blank: no conflict
        person("C3", organization="Đơn vị Y", organization_kind="HĐND"),
    ]
    result = run(write_csv(tmp_path / "conflict.csv", rows), create_organizations=True)
    assert not result.written
    assert [(e.row, e.column, e.kind, e.value) for e in result.errors] == [
        (4, "organization_kind", "kind_conflict", "HĐND")
    ]
    [message] = result.error_messages()
    assert "Dòng 4" in message and "UBND" in message and "dòng 2" in message
    assert "Đơn vị Y" not in orgs(db)


@pytest.mark.usefixtures("home")
def test_a_different_kind_for_an_existing_organization_warns_and_changes_nothing(db, tmp_path):
    rows = [
        person(
            "W1",
            organization="Sở Nội vụ",
            organization_kind="Đoàn thể / tổ chức chính trị - xã hội",
        )
    ]
    result = run(write_csv(tmp_path / "existing.csv", rows))
    assert result.ok and result.written
    assert [(w.row, w.column, w.kind) for w in result.warnings] == [
        (2, "organization_kind", "kind_ignored")
    ]
    [message] = result.warning_messages()
    assert "Cơ quan nhà nước" in message
    assert orgs(db)["Sở Nội vụ"].kind == "state"
    same = run(
        write_csv(tmp_path / "same.csv", [person("W2", organization_kind="Cơ quan nhà nước")])
    )
    assert same.warnings == []


@pytest.mark.usefixtures("home")
def test_an_unknown_kind_is_refused_naming_the_row(db, tmp_path):
    rows = [person("U1"), person("U2", organization_kind="Câu lạc bộ")]
    result = run(write_csv(tmp_path / "unknown.csv", rows))
    assert [(e.row, e.column, e.kind) for e in result.errors] == [
        (3, "organization_kind", "unknown_value")
    ]
    assert not result.written


@pytest.mark.usefixtures("home")
def test_reimport_updates_the_primary_posts_flags_and_never_lowers_the_ladder(db, tmp_path):
    first = [person("R1", key_leader="x", gender_equality_training="x")]
    assert run(write_csv(tmp_path / "a.csv", first)).ok
    second = [person("R1", key_leader="", gender_equality_role="x", gender_equality_training="")]
    result = run(write_csv(tmp_path / "b.csv", second))
    assert result.ok and result.updated == 1
    post = official(db, "R1").primary_appointment
    assert (post.key_leader, post.gender_equality_role) == (False, True)
    assert levels(db, "R1")["gender_equality_training"] == "yes"  # a blank cell lowers nothing


@pytest.mark.usefixtures("home")
def test_export_writes_the_new_columns_and_reimports_unchanged(db, tmp_path):
    rows = [
        person("E1", organization="UBND xã E", plan_level="Xã", organization_kind="UBND",
               key_leader="x", gender_equality_role="x", gender_equality_training="có"),
    ]  # fmt: skip
    assert run(write_csv(tmp_path / "in.csv", rows), create_organizations=True).ok
    db.session.commit()
    [row] = list(exporter.export_rows(on=D))
    assert (row.organization_kind, row.key_leader, row.gender_equality_role) == (
        "people_committee",
        True,
        True,
    )
    assert row.gender_equality_training is True
    out = tmp_path / "out.xlsx"
    exporter.export_file(out)
    again = run(out)
    assert again.ok and again.unchanged == 1 and again.warnings == []


# --- the seats of elected bodies ---------------------------------------------------------


SEATS_HEADER = "body,seats,women,entered_on,source\n"


def seats_file(tmp_path, *lines, header=SEATS_HEADER):
    path = tmp_path / "seats.csv"
    path.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def seat_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SeatEntry))


def test_seats_import_writes_every_entry(db, runner, tmp_path):
    path = seats_file(
        tmp_path,
        "national_assembly,6,2,2016-06-10,Nghị quyết",
        "HĐND tỉnh,50,14,10/06/2016,",
        "council_province,50,15,2016-06-10,Bầu bổ sung",
    )
    result = runner.invoke(args=["plan", "seats-import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3" in result.output
    assert seat_count(db) == 3
    # Of two entries for one body on one date, the later row wins.
    report = plan_services.compute(D)
    dai_bieu = next(r for r in report.indicators if r.id == "M1.dai_bieu")
    assert (dai_bieu.numerator, dai_bieu.denominator) == (17, 56)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("council_ward,10,2,2020-01-01,", "body"),
        ("council_commune,10,11,2020-01-01,", "women"),
        ("council_commune,-1,0,2020-01-01,", "seats"),
        ("council_commune,10,-2,2020-01-01,", "women"),
        ("council_commune,ten,2,2020-01-01,", "seats"),
        ("council_commune,10,2,31/02/2020,", "entered_on"),
        ("council_commune,10,2,,", "entered_on"),
    ],
)
def test_a_bad_row_writes_nothing_and_is_named(db, runner, tmp_path, line, column):
    path = seats_file(tmp_path, "national_assembly,6,2,2016-06-10,", line)
    result = runner.invoke(args=["plan", "seats-import", str(path)])
    assert result.exit_code == 1
    assert f"Dòng 3, cột {column}" in result.output
    assert seat_count(db) == 0


def test_a_missing_or_unknown_column_is_refused(db, tmp_path):
    missing = seat_service.import_seats(
        seats_file(tmp_path, "national_assembly,6,2", header="body,seats,women\n")
    )
    assert not missing.ok and "entered_on" in missing.errors[0]
    unknown = seat_service.import_seats(
        seats_file(
            tmp_path,
            "national_assembly,6,2,2016-06-10,,1",
            header="body,seats,women,entered_on,source,extra\n",
        )
    )
    assert not unknown.ok and "extra" in unknown.errors[0]
    assert seat_count(db) == 0


def test_entries_are_kept_and_the_latest_on_or_before_d_counts(db):
    seat_service.add_entry("council_commune", 100, 30, date(2016, 6, 1), "A")
    seat_service.add_entry("council_commune", 100, 40, date(2021, 6, 1), "B")  # after D
    seat_service.add_entry("council_commune", 100, 35, date(2016, 6, 1), "C")  # same day, later
    assert seat_count(db) == 3
    dai_bieu = next(r for r in plan_services.compute(D).indicators if r.id == "M1.dai_bieu")
    assert (dai_bieu.numerator, dai_bieu.denominator, dai_bieu.status) == (35, 100, "met")


@pytest.mark.parametrize(
    ("body", "seats", "women", "field"),
    [
        ("council_ward", 1, 0, "body"),
        ("council_commune", 1, 2, "women"),
        ("council_commune", -1, 0, "seats"),
    ],
)
def test_add_entry_refuses_bad_figures(db, body, seats, women, field):
    from app.validation import ServiceError

    with pytest.raises(ServiceError) as refused:
        seat_service.add_entry(body, seats, women, D)
    assert refused.value.field == field
    assert seat_count(db) == 0


def test_the_database_refuses_women_above_seats(db):
    db.session.add(SeatEntry(body="council_commune", seats=1, women=2, entered_on=D))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- the gender-equality ladder in the qualification model ----------------------------------


def test_a_gender_equality_record_is_accepted_and_counts(db, create_official, create_organization):
    unit = create_organization(kind="people_committee", plan_level="commune")
    person_ = create_official(organization=unit)
    officials.update_appointment(person_.primary_appointment, gender_equality_role=True)
    tap_huan = next(r for r in plan_services.compute(D).indicators if r.id == "M2.tap_huan")
    assert (tap_huan.numerator, tap_huan.denominator) == (0, 1)
    record = Qualification(
        official=person_,
        ladder="gender_equality_training",
        level="yes",
        source="manual",
        status="verified",
    )
    db.session.add(record)
    db.session.flush()
    tap_huan = next(r for r in plan_services.compute(D).indicators if r.id == "M2.tap_huan")
    assert (tap_huan.numerator, tap_huan.denominator) == (1, 1)


# --- a course awards the gender-equality ladder ---------------------------------------------------


def test_a_finished_gender_equality_course_moves_tap_huan_at_once(
    db, create_course, create_session, create_official, create_organization, create_user
):
    from app.attendance import services as attendance
    from app.enrolment import services as enrolment

    registration, day, after = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 10)
    commune = create_organization(name="UBND xã Thử", plan_level="commune", kind="people_committee")
    course = create_course(
        organizer=commune,
        awards_ladder="gender_equality_training",
        awards_level="yes",
    )
    assert course.awards_ladder == "gender_equality_training"
    session = create_session(course, day=day)
    officer = create_official(organization=commune)
    officials.update_appointment(officer.primary_appointment, gender_equality_role=True)
    row = enrolment.register(course.id, officer, None, on=registration)
    hr = create_user("unit_hr", organization=commune)
    attendance.record_attendance(session, [(row.id, "present")], hr, today=after)

    def tap_huan():
        result = next(r for r in plan_services.compute(after).indicators if r.id == "M2.tap_huan")
        return result.numerator, result.denominator

    assert tap_huan() == (0, 1)
    attendance.finish_course(course, hr, today=after)
    assert tap_huan() == (1, 1)


# --- pages ---------------------------------------------------------------------------------


def _organization_form(**values) -> dict:
    data = {
        "name": "UBND xã Trang",
        "plan_level": "commune",
        "kind": "people_committee",
        "parent_id": "",
        "valid_from": "",
        "valid_to": "",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    ("kind", "choice", "needs"),
    [
        ("people_committee", "", True),  # the kind's default
        ("people_committee", "no", False),
        ("state", "", False),
        ("state", "yes", True),
    ],
)
def test_the_organization_form_sets_the_gender_officer_flag(
    db, client, login_as, kind, choice, needs
):
    login_as("province_hr")
    form = _organization_form(kind=kind, needs_gender_equality_officer=choice)
    response = client.post("/organizations/new", data=form)
    assert response.status_code == 302
    org = orgs(db)["UBND xã Trang"]
    assert (org.kind, org.needs_gender_equality_officer) == (kind, needs)
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Cần bố trí cán bộ làm công tác bình đẳng giới" in page


def test_editing_keeps_or_changes_the_flag(db, client, login_as, create_organization):
    login_as("province_hr")
    org = create_organization(name="UBND xã Sửa", plan_level="commune", kind="people_committee")
    db.session.commit()
    edit = f"/organizations/{org.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert '<option selected value="yes">' in page
    base = _organization_form(name="UBND xã Sửa", version=str(org.version))
    assert client.post(edit, data=base).status_code == 302  # field absent: unchanged
    assert orgs(db)["UBND xã Sửa"].needs_gender_equality_officer is True
    version = str(orgs(db)["UBND xã Sửa"].version)
    changed = {**base, "version": version, "needs_gender_equality_officer": "no"}
    assert client.post(edit, data=changed).status_code == 302
    assert orgs(db)["UBND xã Sửa"].needs_gender_equality_officer is False


def test_the_kind_select_offers_the_seven_kinds_in_both_languages(db, client, login_as):
    login_as("province_hr")
    page = client.get("/organizations/new").get_data(as_text=True)
    for label in ("HĐND", "UBND", "Khác", "Cơ quan Đảng"):
        assert f">{label}</option>" in page
    client.post("/language/en")
    english = client.get("/organizations/new").get_data(as_text=True)
    assert (
        ">People&#39;s Committee</option>" in english or ">People's Committee</option>" in english
    )
    assert "Needs a gender equality officer" in english


def test_the_post_flags_on_the_appointment_pages(
    db, client, login_as, create_official, create_organization
):
    commune = create_organization(name="UBND xã Cờ", plan_level="commune", kind="people_committee")
    person_ = create_official(full_name="Huỳnh Thị Cờ", organization=commune)
    db.session.commit()
    login_as("province_hr")
    response = client.post(
        f"/officials/{person_.id}/appointments",
        data={
            "organization_id": str(commune.id),
            "title": "Phó Chủ tịch UBND xã",
            "position_rank": "staff",
            "key_leader": "y",
            "gender_equality_role": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    added = next(a for a in official(db, person_.code).appointments if not a.is_primary)
    assert (added.key_leader, added.gender_equality_role) == (True, True)
    page = client.get(f"/officials/{person_.id}").get_data(as_text=True)
    assert "Lãnh đạo chủ chốt" in page and "Làm công tác bình đẳng giới" in page


# --- the API --------------------------------------------------------------------------------


def test_the_api_reads_and_writes_the_plan_fields(
    db, client, create_user, api_token, create_official
):
    h = {**api_token(create_user("province_hr"))}
    created = client.post(
        "/api/v1/organizations",
        json={"name": "HĐND xã Api", "plan_level": "commune", "kind": "people_council"},
        headers=h,
    )
    assert created.status_code == 201, created.json
    assert created.json["kind"] == "people_council"
    assert created.json["needs_gender_equality_officer"] is False
    committee = client.post(
        "/api/v1/organizations",
        json={"name": "UBND xã Api", "plan_level": "commune", "kind": "people_committee"},
        headers=h,
    )
    assert committee.json["needs_gender_equality_officer"] is True
    org_url = f"/api/v1/organizations/{committee.json['id']}"
    etag = client.get(org_url, headers=h).headers["ETag"]
    patched = client.patch(
        org_url,
        json={"needs_gender_equality_officer": False},
        headers={**h, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["needs_gender_equality_officer"] is False
    refused = client.post(
        "/api/v1/organizations",
        json={"name": "Câu lạc bộ", "plan_level": "commune", "kind": "club"},
        headers=h,
    )
    assert refused.status_code == 422
    person_ = create_official(organization=db.session.get(Organization, committee.json["id"]))
    db.session.commit()
    post = client.post(
        f"/api/v1/officials/{person_.id}/appointments",
        json={
            "organization_id": created.json["id"],
            "position_rank": "staff",
            "key_leader": True,
            "gender_equality_role": True,
        },
        headers=h,
    )
    assert post.status_code == 201, post.json
    assert (post.json["key_leader"], post.json["gender_equality_role"]) == (True, True)


# --- the demo data --------------------------------------------------------------------------


def test_the_demo_gives_every_plan_indicator_something_to_show(runner, db):
    from app.demo.data import DEFAULT_REFERENCE_DATE

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    report = plan_services.compute(DEFAULT_REFERENCE_DATE)
    empty = [r.id for r in report.indicators if r.denominator == 0]
    assert empty == []
    assert {r.status for r in report.indicators} == {"met", "not_met"}
    assert report.organizations and report.untrained_gender_officers
    committees = [o for o in orgs(db).values() if o.kind == "people_committee"]
    assert committees and all(o.needs_gender_equality_officer for o in committees)
    # The entered figures' pages have something to show: the seats in force today (the
    # communes' corrected figure) and this year's collaborator counts.
    from app.i18n import today
    from app.plan import collaborators

    in_force = seat_service.in_force(today())
    assert len(in_force) == 4 and in_force["council_commune"].women == 1231
    assert in_force["council_commune"].entered_by.username == "sonoivu"
    assert collaborators.counts_of_year(today().year)


# --- statements ----------------------------------------------------------------------------


def test_the_plan_reads_a_few_statements_whatever_the_number_of_officials(db, create_organization):
    from sqlalchemy import event, insert

    from app.officials.models import Appointment, Official

    units = [
        create_organization(name="UBND tỉnh Đếm", kind="people_committee"),
        create_organization(name="HĐND huyện Đếm", plan_level="district", kind="people_council"),
        create_organization(name="UBND xã Đếm", plan_level="commune", kind="people_committee"),
    ]
    seat_service.add_entry("council_commune", 100, 30, date(2016, 6, 1))

    def add(count: int, start: int) -> None:
        people = [
            {
                "code": f"P{start + i:07d}",
                "full_name": "Nguyễn Thị Đếm",
                "name_folded": "nguyen thi dem",
                "sort_key": "dem",
                "sex": "F" if i % 3 else "M",
                "birth_date": date(1980, 1, 1),
                "ethnicity": "Kinh",
                "status": "active",
            }
            for i in range(count)
        ]
        db.session.execute(insert(Official), people)
        ids = db.session.scalars(
            select(Official.id).where(Official.code.in_([p["code"] for p in people]))
        ).all()
        posts = [
            {
                "official_id": official_id,
                "organization_id": units[i % 3].id,
                "position_rank": ("staff", "division_head")[i % 2],
                "party_committee": i % 2 == 0,
                "commune_key_post": False,
                "commune_full_time": i % 4 == 0,
                "key_leader": i % 5 == 0,
                "gender_equality_role": i % 7 == 0,
                "is_primary": True,
            }
            for i, official_id in enumerate(ids)
        ]
        db.session.execute(insert(Appointment), posts)
        trained = [
            {
                "official_id": official_id,
                "ladder": "gender_equality_training",
                "level": "yes",
                "source": "import",
                "status": "verified",
            }
            for i, official_id in enumerate(ids)
            if i % 2
        ]
        db.session.execute(insert(Qualification), trained)

    def statements() -> int:
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            plan_services.compute(D)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    add(10, 0)
    small = statements()
    add(990, 10)
    large = statements()
    assert small == large <= 6, (small, large)
    tap_huan = next(r for r in plan_services.compute(D).indicators if r.id == "M2.tap_huan")
    assert tap_huan.denominator == len(range(0, 10, 7)) + len(range(0, 990, 7))


# --- collaborators and volunteers -------------------------------------------------------------


def test_collaborator_counts_keep_their_history_and_the_latest_counts(db, create_organization):
    from app.plan import collaborators

    unit = create_organization(kind="people_committee")
    other = create_organization(kind="people_committee")
    collaborators.add_count(unit, 2020, 5, 12, "Báo cáo năm 2020")
    collaborators.add_count(unit, 2020, 6, 12, "Đính chính")  # a correction: a new entry
    collaborators.add_count(unit, 2019, 4, 10)
    collaborators.add_count(other, 2020, 0, 3)
    assert collaborators.counts_of_year(2020) == {unit.id: (6, 12), other.id: (0, 3)}
    assert collaborators.counts_of_year(2019) == {unit.id: (4, 10)}
    assert [(e.year, e.collaborators) for e in collaborators.history(unit)] == [
        (2020, 6),
        (2020, 5),
        (2019, 4),
    ]


@pytest.mark.parametrize(
    ("year", "people", "volunteers", "field"),
    [(1999, 1, 1, "year"), (2101, 1, 1, "year"), (2020, -1, 0, "collaborators"),
     (2020, 0, -3, "volunteers"), (2020, 1.5, 0, "collaborators")],
)  # fmt: skip
def test_collaborator_counts_refuse_bad_figures(
    db, create_organization, year, people, volunteers, field
):
    from app.plan import collaborators
    from app.plan.models import CollaboratorCount
    from app.validation import ServiceError

    unit = create_organization()
    with pytest.raises(ServiceError) as refused:
        collaborators.add_count(unit, year, people, volunteers)
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(CollaboratorCount)) == 0
