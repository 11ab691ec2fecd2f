"""The officials spreadsheet import (DOMAIN §5.1): all or nothing, every error located."""

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.domain.sheet import COLUMNS
from app.officials import exporter
from app.officials.imports import importer
from app.officials.models import Appointment, Official, Organization
from app.qualifications import levels as read_model
from app.qualifications import services as qualifications
from app.qualifications.models import Qualification

HEADER = {column.key: column.header_vi for column in COLUMNS}
TODAY = date(2020, 11, 30)


def person(code="BT100001", **values) -> dict:
    """A valid row in HR's words (Vietnamese labels, dd/mm/yyyy dates)."""
    row = {
        "code": code,
        "full_name": "Nguyễn Thị Lan",
        "sex": "Nữ",
        "birth_date": "17/05/1985",
        "organization": "Sở Nội vụ",
        "plan_level": "Tỉnh",
        "position_title": "Trưởng phòng",
        "position_rank": "Trưởng phòng và tương đương",
        "political_theory": "Trung cấp",
        "education": "Thạc sĩ",
        "it_skill": "Cơ bản",
    }
    row.update(values)
    return row


def write_csv(path, rows, keys=None, headers=None, bom=True):
    keys = keys or list(HEADER)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers or [HEADER[key] for key in keys])
        for row in rows:
            writer.writerow(["" if row.get(key) is None else row.get(key) for key in keys])
    return path


def write_xlsx(path, rows, keys=None, headers=None):
    keys = keys or list(HEADER)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers or [HEADER[key] for key in keys])
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    workbook.save(path)
    return path


def table_counts(db) -> dict:
    models = (Official, Appointment, Qualification, Organization, AuditEntry)
    counts = {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}
    counts["linked"] = db.session.scalar(select(func.count(User.official_id)))
    return counts


def run(path, **options):
    return importer.import_file(path, today=TODAY, **options)


@pytest.fixture
def home(db, create_organization):
    """The province root and two units, as names in the sheets."""
    root = create_organization(name="UBND tỉnh Bến Tre")
    return {
        "root": root,
        "noi_vu": create_organization(name="Sở Nội vụ", parent=root),
        "ba_tri": create_organization(name="UBND huyện Ba Tri", plan_level="district", parent=root),
    }


def official(db, code) -> Official:
    db.session.expire_all()
    return db.session.scalar(select(Official).where(Official.code == code))


def levels(db, code) -> dict:
    return read_model.current_levels(official(db, code), TODAY)


# --- writing -----------------------------------------------------------------------------


def test_new_official_with_post_and_records(db, home, tmp_path):
    path = write_csv(tmp_path / "a.csv", [person(email="Lan@BenTre.vn", appointed_on="2019-7-1")])
    result = run(path)
    assert result.ok and result.written, result.error_messages()
    assert (result.new, result.updated, result.unchanged, result.records_added) == (1, 0, 0, 3)
    lan = official(db, "BT100001")
    assert (lan.sex, lan.birth_date, lan.email) == ("F", date(1985, 5, 17), "lan@bentre.vn")
    (post,) = lan.appointments
    assert post.is_primary and post.organization_id == home["noi_vu"].id
    assert (post.position_rank, post.title, post.appointed_on) == (
        "division_head",
        "Trưởng phòng",
        date(2019, 7, 1),
    )
    records = db.session.scalars(select(Qualification).where(Qualification.official_id == lan.id))
    assert {(r.ladder, r.level, r.source, r.status, r.issued_on) for r in records} == {
        ("political_theory", "intermediate", "import", "verified", None),
        ("education", "master", "import", "verified", None),
        ("it_skill", "basic", "import", "verified", None),
    }


def test_one_audit_entry_per_import(db, home, tmp_path, create_user):
    hr = create_user("province_hr")
    rows = [person(f"BT{n:06d}") for n in range(1, 6)]
    result = importer.import_file(write_csv(tmp_path / "x.csv", rows), actor=hr, today=TODAY)
    assert result.ok
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.user_id == hr.id)).all()
    assert [e.action for e in entries] == ["officials.import"]
    assert entries[0].changes["file"] == "x.csv" and entries[0].changes["new"] == 5


def test_same_file_twice_changes_nothing(db, home, tmp_path):
    rows = [person(f"BT{n:06d}", party_committee="x", left_on="01/01/2030") for n in range(1, 30)]
    path = write_xlsx(tmp_path / "twice.xlsx", rows)
    assert run(path).new == 29
    before = table_counts(db)
    again = run(path)
    assert (again.new, again.updated, again.unchanged, again.warnings) == (0, 0, 29, [])
    after = table_counts(db)
    assert after == {**before, "AuditEntry": before["AuditEntry"] + 1}


def test_existing_code_updates_person_and_primary_post_in_place(
    db, home, tmp_path, create_official
):
    existing = create_official(
        code="BT100001", full_name="Nguyen Thi Lan", organization=home["ba_tri"]
    )
    other = Appointment(
        official=existing, organization=home["root"], position_rank="staff", title="Kiêm nhiệm"
    )
    db.session.add(other)
    db.session.flush()
    primary_id = existing.primary_appointment.id
    result = run(write_csv(tmp_path / "u.csv", [person("bt100001", commune_key_post="có")]))
    assert (result.new, result.updated) == (0, 1)
    lan = official(db, "BT100001")
    assert lan.full_name == "Nguyễn Thị Lan" and lan.name_folded == "nguyen thi lan"
    assert lan.primary_appointment.id == primary_id  # updated in place
    assert lan.primary_appointment.organization_id == home["noi_vu"].id
    assert lan.primary_appointment.commune_key_post is True
    assert {a.title for a in lan.appointments} == {"Trưởng phòng", "Kiêm nhiệm"}


def test_absent_optional_columns_leave_data_alone(db, home, tmp_path, create_official):
    create_official(
        code="BT100001", organization=home["noi_vu"], email="lan@x.vn", in_succession_pool=True
    )
    keys = ["code", "full_name", "sex", "birth_date", "organization", "plan_level"]
    keys += ["position_rank"]
    rows = [person(position_rank="Trưởng phòng và tương đương")]
    result = run(write_csv(tmp_path / "few.csv", rows, keys=keys))
    assert result.ok, result.error_messages()
    lan = official(db, "BT100001")
    assert lan.email == "lan@x.vn" and lan.in_succession_pool is True


def test_higher_level_adds_a_record_lower_level_warns(db, home, tmp_path):
    run(write_csv(tmp_path / "1.csv", [person(political_theory="Trung cấp", education="Thạc sĩ")]))
    path = write_csv(tmp_path / "2.csv", [person(political_theory="Cao cấp", education="Đại học")])
    result = run(path)
    assert result.ok and (result.updated, result.records_added) == (1, 1)
    assert [(w.row, w.column, w.kind) for w in result.warnings] == [(2, "education", "lower_level")]
    assert "Đại học" in result.warning_messages()[0]
    assert "Thạc sĩ" in result.warning_messages()[0]
    now = levels(db, "BT100001")
    assert (now["political_theory"], now["education"]) == ("advanced", "master")
    # Cử nhân ranks as Cao cấp: nothing to add, nothing to warn about.
    same = run(write_csv(tmp_path / "3.csv", [person(political_theory="Cử nhân")]))
    assert (same.unchanged, same.records_added) == (1, 0)


def test_email_matching_an_account_is_reported_never_linked(
    db, home, tmp_path, create_user, create_official
):
    """Issue 8, item 5: linking an account is the admin's decision, not a side effect of data."""
    account = create_user("official", username="lan")
    account.email = "lan@bentre.vn"
    admin = create_user("admin", username="quantri")
    admin.email = "admin@bentre.vn"
    taken = create_user("official", username="taken", official=create_official(code="BT9"))
    taken.email = "taken@bentre.vn"
    db.session.flush()
    rows = [
        person("BT100001", email="LAN@bentre.vn"),
        person("BT100002", email="taken@bentre.vn"),
        person("BT100003", email="admin@bentre.vn"),
    ]
    result = run(write_xlsx(tmp_path / "mail.xlsx", rows))
    assert result.ok and result.new == 3
    db.session.expire_all()
    assert account.official_id is None and admin.official_id is None
    assert taken.official_id == official(db, "BT9").id
    assert [(w.row, w.kind, w.expected) for w in result.warnings] == [
        (2, "account_match", ("lan",)),
        (3, "account_match", ("taken",)),
        (4, "account_match", ("quantri",)),
    ]
    assert "không được tự gắn" in result.warning_messages()[0]
    assert "“lan”" in result.warning_messages()[0]
    # Again, now updating the same officials: still reported, still not linked.
    again = run(write_xlsx(tmp_path / "mail.xlsx", rows))
    assert again.unchanged == 3 and len(again.warnings) == 3
    db.session.expire_all()
    assert account.official_id is None and admin.official_id is None
    # An account already linked to this very official is no news.
    lan = official(db, "BT100001")
    account.official_id = lan.id
    db.session.flush()
    third = run(write_xlsx(tmp_path / "mail.xlsx", rows[:1]))
    assert third.unchanged == 1 and third.warnings == []


def test_unit_hr_is_not_told_the_username_an_email_belongs_to(db, home, tmp_path, create_user):
    admin = create_user("admin", username="quantri")
    admin.email = "admin@bentre.vn"
    hr = create_user("unit_hr", organization=home["noi_vu"])
    db.session.flush()
    result = run(write_xlsx(tmp_path / "m.xlsx", [person(email="admin@bentre.vn")]), actor=hr)
    assert result.ok and [(w.kind, w.expected) for w in result.warnings] == [("account_match", ())]
    assert "quantri" not in result.warning_messages()[0]
    db.session.expire_all()
    assert admin.official_id is None


def test_dry_run_writes_nothing(db, home, tmp_path):
    before = table_counts(db)
    result = run(write_csv(tmp_path / "d.csv", [person()]), dry_run=True)
    assert result.ok and result.new == 1 and not result.written
    assert table_counts(db) == before


# --- what each row will do (issue 11, item 5) ------------------------------------------


def test_a_dry_run_says_what_each_row_does(db, home, tmp_path):
    """Each row's plan: new, updated with the fields it changes (stored, new) and the records it
    adds (held, added), or unchanged; the records a dry run would add are counted."""
    run(write_csv(tmp_path / "1.csv", [person("BT100001"), person("BT100002", full_name="Hoa")]))
    rows = [
        person(
            "BT100001",
            birth_date="18/05/1985",
            organization="UBND huyện Ba Tri",
            plan_level="Huyện",
            position_title="Phó Chủ tịch",
            political_theory="Cao cấp",
        ),
        person("BT100002", full_name="Hoa"),
        person("BT100003", full_name="Lê Thị Mới"),
    ]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "2.csv", rows), dry_run=True)
    assert result.ok and table_counts(db) == before
    assert [(plan.row.row, plan.action) for plan in result.row_plans] == [
        (2, "updated"),
        (3, "unchanged"),
        (4, "new"),
    ]
    updated, unchanged, new = result.row_plans
    assert updated.official_id == official(db, "BT100001").id
    assert updated.changes == (
        ("birth_date", date(1985, 5, 17), date(1985, 5, 18)),
        ("organization_id", home["noi_vu"].id, home["ba_tri"].id),
        ("title", "Trưởng phòng", "Phó Chủ tịch"),
    )
    assert updated.records == (("political_theory", "intermediate", "advanced"),)
    assert unchanged.changes == () and unchanged.records == ()
    assert new.records == (
        ("political_theory", "none", "intermediate"),
        ("education", "none", "master"),
        ("it_skill", "none", "basic"),
    )
    assert (result.new, result.updated, result.unchanged, result.records_added) == (1, 1, 1, 4)


def test_a_row_plan_says_when_the_row_gives_her_a_primary_post(db, home, tmp_path, create_official):
    lan = create_official(code="BT100001", organization=home["noi_vu"])
    lan.primary_appointment.is_primary = False
    db.session.flush()
    result = run(write_csv(tmp_path / "p.csv", [person("BT100001")]), dry_run=True)
    (plan,) = result.row_plans
    assert (plan.action, plan.new_post, plan.official_id) == ("updated", True, lan.id)


def test_rows_without_errors_are_planned_beside_rows_with_errors(db, home, tmp_path):
    rows = [
        person("E1"),
        person("E2", organization="Sở Không Có"),
        person("E3", sex="Không rõ"),
        person("E4", full_name="Trần Thị Tư"),
    ]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "e.csv", rows))
    assert [(issue.row, issue.kind) for issue in result.errors] == [
        (3, "unknown_organization"),
        (4, "unknown_value"),
    ]
    assert [(plan.row.row, plan.action) for plan in result.row_plans] == [(2, "new"), (5, "new")]
    assert (result.new, result.records_added, result.written) == (2, 6, False)
    assert table_counts(db) == before


# --- leniency ----------------------------------------------------------------------------


def test_lenient_headers_and_values(db, home, tmp_path):
    headers = ["ma can bo", "HỌ VÀ TÊN", " giới tính ", "birth_date", "đơn vị", "CAP"]
    headers += ["Bac chuc vu", "Hoi nhap quoc te", "Trình độ chuyên môn"]
    keys = ["code", "full_name", "sex", "birth_date", "organization", "plan_level"]
    keys += ["position_rank", "international_integration", "education"]
    rows = [
        person("A1", sex="NỮ", birth_date="5/7/1985", plan_level="tinh", education="THAC SI"),
        person("A2", sex="nu", birth_date="1985-07-05", position_rank="staff"),
        person("A3", sex="M", birth_date=" 05/07/1985 ", international_integration="Có"),
        person("A4", sex="Nam", organization="so noi vu", international_integration="x"),
    ]
    result = run(write_csv(tmp_path / "lenient.csv", rows, keys=keys, headers=headers))
    assert result.ok, result.error_messages()
    assert [official(db, c).sex for c in ("A1", "A2", "A3", "A4")] == ["F", "F", "M", "M"]
    assert {official(db, c).birth_date for c in ("A1", "A2", "A3")} == {date(1985, 7, 5)}
    assert levels(db, "A1")["education"] == "master"
    assert levels(db, "A4")["international_integration"] == "yes"
    assert official(db, "A4").primary_appointment.organization_id == home["noi_vu"].id


def test_date_cells_and_blank_rows_in_xlsx(db, home, tmp_path):
    rows = [
        person("X1", birth_date=datetime(1980, 1, 2, 8, 30), appointed_on=date(2018, 3, 4)),
        {},
        person("X2", birth_date=date(1990, 12, 31)),
    ]
    result = run(write_xlsx(tmp_path / "dates.xlsx", rows))
    assert result.ok and result.new == 2, result.error_messages()
    assert official(db, "X1").birth_date == date(1980, 1, 2)
    assert official(db, "X1").primary_appointment.appointed_on == date(2018, 3, 4)


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_or_without_bom_and_apostrophes(db, home, tmp_path, bom):
    rows = [person(position_title="'=Trưởng phòng", full_name="'-Lan")]
    result = run(write_csv(tmp_path / "bom.csv", rows, bom=bom))
    assert result.ok, result.error_messages()
    lan = official(db, "BT100001")
    assert lan.full_name == "-Lan" and lan.primary_appointment.title == "=Trưởng phòng"


def test_stream_source_with_a_file_name(db, home, tmp_path):
    content = write_csv(tmp_path / "s.csv", [person()]).read_bytes()
    stream = io.BytesIO(content)
    result = importer.import_file(stream, "upload.csv", today=TODAY)
    assert result.ok and result.new == 1 and not stream.closed


# --- organizations -----------------------------------------------------------------------


def test_create_missing_organizations_with_parents(db, home, tmp_path):
    rows = [
        person("C1", organization="UBND xã An Thủy", parent_organization="UBND huyện Ba Tri",
               plan_level="Xã"),
        person("C2", organization="Phòng Y tế huyện Mới", parent_organization="UBND huyện Mới",
               plan_level="Huyện"),
        person("C3", organization="UBND huyện Mới", parent_organization="ubnd tinh ben tre",
               plan_level="Huyện"),
        person("C4", organization="UBND xã Mới", parent_organization="Trạm Mới", plan_level="Xã"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "orgs.csv", rows)
    refused = run(path)
    assert {(e.row, e.column, e.kind) for e in refused.errors} == {
        (n, "organization", "unknown_organization") for n in (2, 3, 4, 5)
    }
    result = run(path, create_organizations=True)
    assert result.ok, result.error_messages()
    assert set(result.organizations_created) == {
        "UBND xã An Thủy",
        "Phòng Y tế huyện Mới",
        "UBND huyện Mới",
        "UBND xã Mới",
        "Trạm Mới",
    }
    # A parent no row describes is created at its child's level, with a warning.
    assert [(w.row, w.kind) for w in result.warnings] == [(5, "parent_level_assumed")]
    by_name = {org.name: org for org in db.session.scalars(select(Organization))}
    an_thuy, huyen, phong = by_name["UBND xã An Thủy"], by_name["UBND huyện Mới"], None
    phong = by_name["Phòng Y tế huyện Mới"]
    assert an_thuy.parent_id == home["ba_tri"].id and an_thuy.plan_level == "commune"
    assert an_thuy.path == f"{home['ba_tri'].path}{an_thuy.id}/"
    assert huyen.parent_id == home["root"].id and huyen.path == f"/{home['root'].id}/{huyen.id}/"
    assert phong.path == f"{huyen.path}{phong.id}/" and phong.plan_level == "district"
    assert by_name["Trạm Mới"].plan_level == "commune"
    assert run(path, create_organizations=True).unchanged == 4


def test_organization_rules(db, home, tmp_path, create_organization):
    create_organization(name="Phòng Nội vụ Thủy")
    create_organization(name="Phòng Nội vụ Thuỷ")  # the same name ignoring diacritics
    rows = [
        person("O1", plan_level="Huyện"),  # Sở Nội vụ is a province unit
        person("O2", organization="Phong Noi vu Thuy"),
        person("O3", organization="Trạm A", parent_organization="Trạm B"),
        person("O4", organization="Trạm B", parent_organization="Trạm A"),
        person("O5", organization="Trạm C", plan_level="Xã"),
        person("O6", organization="Trạm C", plan_level="Huyện"),
    ]
    result = run(write_csv(tmp_path / "rules.csv", rows), create_organizations=True)
    kinds = {(e.row, e.column, e.kind) for e in result.errors}
    assert (2, "plan_level", "plan_level_mismatch") in kinds
    assert (3, "organization", "ambiguous_organization") in kinds
    assert any(kind == "parent_cycle" for _row, _column, kind in kinds)
    assert (7, "plan_level", "plan_level_mismatch") in kinds
    assert Organization.query.filter(Organization.name.like("Trạm%")).count() == 0


def test_closed_organizations_take_no_new_or_moved_officials(db, home, tmp_path):
    """The services' rule on the import's path too: a closed unit takes no new post and no new
    organization; an official already in it may stay (and be edited)."""
    from app.officials import services as registry

    closed = home["ba_tri"]
    write_csv(tmp_path / "before.csv", [person("K1", organization=closed.name, plan_level="Huyện")])
    assert run(tmp_path / "before.csv").ok  # she was posted there before it closed
    registry.close_organization(closed, date(2020, 1, 1))
    db.session.commit()
    write_csv(tmp_path / "k3.csv", [person("K3")])  # in an open unit
    assert run(tmp_path / "k3.csv").ok
    before = table_counts(db)
    rows = [
        person("K1", organization=closed.name, plan_level="Huyện", full_name="Nguyễn Thị Ở Lại"),
        person("K2", organization=closed.name, plan_level="Huyện"),  # new: refused
        person("K3", organization=closed.name, plan_level="Huyện"),  # moves in: refused
        person("K4", organization="Trạm Mới", parent_organization=closed.name, plan_level="Xã"),
    ]
    write_csv(tmp_path / "after.csv", rows)
    result = run(tmp_path / "after.csv", create_organizations=True)
    assert_refused(
        db,
        result,
        before,
        (3, "organization", "organization_closed"),
        (4, "organization", "organization_closed"),
        (5, "parent_organization", "parent_closed"),
    )
    assert "đã đóng từ ngày 01/01/2020" in result.error_messages()[0]
    # Alone, the official who was already there is edited as before.
    write_csv(tmp_path / "stay.csv", rows[:1])
    assert run(tmp_path / "stay.csv").updated == 1
    assert official(db, "K1").full_name == "Nguyễn Thị Ở Lại"


# --- refused files: nothing written, every error located -----------------------------------


def assert_refused(db, result, before, *expected):
    """The import failed with exactly `expected` (row, column, kind) and wrote nothing."""
    assert not result.ok and not result.written
    assert [(e.row, e.column, e.kind) for e in result.errors] == list(expected)
    assert table_counts(db) == before
    for message in result.error_messages():
        assert message and "%(" not in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("renamed.csv", None),  # an xlsx renamed to .csv
        ("text.xlsx", "Mã cán bộ,Họ và tên\n".encode()),
        ("archive.xlsx", None),  # a zip that is no workbook
    ],
)
def test_wrong_file_type(db, home, tmp_path, name, content):
    path = tmp_path / name
    if name == "renamed.csv":
        write_xlsx(path, [person()])
    elif name == "archive.xlsx":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "không phải bảng tính")
    else:
        path.write_bytes(content)
    before = table_counts(db)
    result = run(path)
    assert_refused(db, result, before, (None, None, "file_type"))
    assert result.error_messages() == [
        f"Tệp “{name}” không đọc được: cần một bảng tính .xlsx, .xls, .xlsb, .ods hoặc tệp .csv."
    ]


def test_csv_in_no_trusted_encoding(db, home, tmp_path):
    """Not UTF-8, and as Windows-1258 its header is no §5.1 header: refused at row 1."""
    path = tmp_path / "latin1.csv"
    path.write_bytes("Mã cán bộ;Họ và tên".encode("cp1258", errors="replace") + b"\xff\xfe")
    before = table_counts(db)
    result = run(path)
    assert_refused(db, result, before, (1, None, "encoding"))
    assert result.error_messages() == [
        "Dòng 1: tệp không phải UTF-8 hay Windows-1258: hãy lưu lại dưới dạng CSV UTF-8."
    ]


def test_missing_required_column(db, home, tmp_path):
    keys = [key for key in HEADER if key != "birth_date"]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "m.csv", [person()], keys=keys))
    assert_refused(db, result, before, (1, "birth_date", "missing_column"))
    assert result.error_messages() == ["Dòng 1, cột Ngày sinh: thiếu cột bắt buộc này."]


def test_unknown_column(db, home, tmp_path):
    headers = [*HEADER.values(), "Ghi chú"]
    rows = [person()]
    path = tmp_path / "u.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerow([rows[0].get(key, "") for key in HEADER] + ["x"])
    before = table_counts(db)
    result = run(path)
    assert_refused(db, result, before, (1, None, "unknown_column"))
    assert result.error_messages()[0].startswith("Dòng 1: cột “Ghi chú” không có trong mẫu")


def test_unknown_label(db, home, tmp_path):
    rows = [person("B1"), person("B2", sex="Khác", education="Kỹ sư")]
    before = table_counts(db)
    result = run(write_xlsx(tmp_path / "l.xlsx", rows))
    assert_refused(
        db, result, before, (3, "sex", "unknown_value"), (3, "education", "unknown_value")
    )
    assert result.error_messages()[0] == (
        "Dòng 3, cột Giới tính: giá trị “Khác” không hợp lệ; cần một trong: “Nữ”, “Nam”."
    )


def test_impossible_date(db, home, tmp_path):
    rows = [person("B1"), person("B2"), person("B3"), person("B4", birth_date="31/02/2020")]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "d.csv", rows))
    assert_refused(db, result, before, (5, "birth_date", "bad_date"))
    assert result.error_messages() == [
        "Dòng 5, cột Ngày sinh: giá trị “31/02/2020” không hợp lệ; cần một ngày dạng "
        "dd/mm/yyyy hoặc yyyy-mm-dd."
    ]


def test_code_twice_in_the_file(db, home, tmp_path):
    rows = [person("BT1"), person("BT2"), person("bt1 ")]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "dup.csv", rows))
    assert_refused(db, result, before, (4, "code", "duplicate_code"))
    assert "dòng 2" in result.error_messages()[0]


def test_left_on_before_appointed_on(db, home, tmp_path):
    rows = [person(appointed_on="01/06/2018", left_on="01/06/2017")]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "left.csv", rows))
    assert_refused(db, result, before, (2, "left_on", "left_before_appointed"))
    assert "01/06/2018" in result.error_messages()[0]


def test_one_bad_row_among_a_hundred(db, home, tmp_path, runner):
    rows = [person(f"BT{n:06d}") for n in range(1, 101)]
    rows[73]["political_theory"] = "Tiến sĩ"  # row 75 of the sheet
    path = write_xlsx(tmp_path / "hundred.xlsx", rows)
    db.session.commit()  # the command rolls back what it did not commit
    before = table_counts(db)
    result = runner.invoke(args=["officials", "import", str(path)])
    assert result.exit_code == 1
    assert table_counts(db) == before
    assert "Dòng 75, cột Lý luận chính trị: giá trị “Tiến sĩ” không hợp lệ" in result.output
    assert result.output.count("Dòng ") == 1


def test_database_checks(db, home, tmp_path, create_official):
    rows = [
        person("D1", birth_date="01/01/2021"),
        person("D2", birth_date="01/12/2005"),
        person("D3", email="khong-phai-email"),
        person("D4", full_name="X" * 201),
        person("D5", organization="Sở Không Có"),
    ]
    before = table_counts(db)
    result = run(write_csv(tmp_path / "db.csv", rows))
    assert_refused(
        db,
        result,
        before,
        (2, "birth_date", "birth_in_future"),
        (3, "birth_date", "too_young"),
        (4, "email", "bad_email"),
        (5, "full_name", "too_long"),
        (6, "organization", "unknown_organization"),
    )
    assert "đủ 18 tuổi" in result.error_messages()[1]


def test_empty_file(db, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = run(path)
    assert [e.kind for e in result.errors] == ["empty_file"]


# --- round trip --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_round_trip_changes_nothing(db, home, tmp_path, suffix, create_user):
    rows = [
        person("R1", full_name="'=Lan", position_title="'+Phó", email="'=lan@bentre.vn"),
        person("R2", sex="Nam", education="Chuyên khoa II", political_theory="Cử nhân",
               parent_organization="UBND tỉnh Bến Tre", in_succession_pool="x",
               appointed_on="01/02/2010", left_on="01/02/2030", category="Viên chức"),
        person("R3", organization="UBND huyện Ba Tri", plan_level="Huyện",
               defense_security="Đối tượng 2", leadership_training="Cấp sở",
               state_management="Chuyên viên chính", international_integration="x"),
    ]  # fmt: skip
    assert run(write_csv(tmp_path / "seed.csv", rows)).new == 3
    qualifications.add_record(official(db, "R3"), "it_skill", "advanced", today=TODAY)
    path = tmp_path / f"export.{suffix}"
    assert exporter.export_file(path) == 3
    before = table_counts(db)
    result = run(path)
    assert result.ok, result.error_messages()
    assert (result.new, result.updated, result.unchanged, result.warnings) == (0, 0, 3, [])
    assert table_counts(db) == {**before, "AuditEntry": before["AuditEntry"] + 1}
    assert official(db, "R1").full_name == "=Lan"
    assert levels(db, "R3")["it_skill"] == "advanced"


def test_updates_of_different_fields_in_one_batch(db, home, tmp_path, create_official):
    create_official(code="E1", full_name="Nguyễn Thị Lan", organization=home["noi_vu"])
    create_official(code="E2", full_name="Nguyễn Thị Lan", organization=home["noi_vu"])
    no_post = create_official(code="E3", full_name="Nguyễn Thị Lan", organization=home["ba_tri"])
    no_post.appointments[0].is_primary = False  # an official left without a primary post
    db.session.flush()
    rows = [
        person("E1", full_name="Nguyễn Thị Lan Anh"),
        person("E2", sex="Nam", position_rank="Chuyên viên, nhân viên"),
        person("E3"),
    ]
    result = run(write_csv(tmp_path / "mixed.csv", rows))
    assert result.ok and result.updated == 3, result.error_messages()
    assert official(db, "E1").full_name == "Nguyễn Thị Lan Anh"
    assert official(db, "E1").sort_key != official(db, "E2").sort_key
    assert official(db, "E2").sex == "M"
    assert official(db, "E2").primary_appointment.position_rank == "staff"
    e3 = official(db, "E3")
    assert len(e3.appointments) == 2
    assert e3.primary_appointment.organization_id == home["noi_vu"].id
    assert run(write_csv(tmp_path / "mixed.csv", rows)).unchanged == 3


def test_cli_summary_progress_and_dry_run(db, home, tmp_path, runner, monkeypatch):
    from app.officials import cli

    monkeypatch.setattr(cli, "PROGRESS_FROM_ROWS", 10)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 5)
    rows = [person(f"P{n:03d}") for n in range(1, 31)]
    path = write_csv(tmp_path / "progress.csv", rows)
    db.session.commit()
    before = table_counts(db)
    dry = runner.invoke(args=["officials", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "Chạy thử" in dry.output and "30 cán bộ mới" in dry.output
    assert "Đang đọc tệp" in dry.output
    assert table_counts(db) == before
    done = runner.invoke(args=["officials", "import", str(path)])
    assert done.exit_code == 0 and "Đã nhập: 30 cán bộ mới" in done.output


# --- rules the importer applies on every path (issue 10, item 1) ------------------------


def kinds(result) -> list[tuple]:
    return [(issue.row, issue.column, issue.kind) for issue in result.errors]


def test_unit_hr_scope_is_applied_by_the_importer(db, home, tmp_path, create_user, create_official):
    """The scope lives in the importer: any caller passing the acting user gets it."""
    outside = create_official(code="BT900001", organization=home["noi_vu"])  # outside Ba Tri
    qualifications.add_record(outside, "education", "doctorate")  # nothing of hers is shown
    unit_hr = create_user("unit_hr", organization=home["ba_tri"])
    inside = {"organization": "UBND huyện Ba Tri", "plan_level": "Huyện"}
    rows = [
        person("BT100001", **inside),
        person("BT100002"),  # Sở Nội vụ: outside
        person("bt900001", **inside),  # an official outside, moved inside
        person("BT100003", organization="Tổ Mới", parent_organization="UBND huyện Ba Tri"),
        person("BT100004", organization="Phòng Mới", parent_organization="Sở Nội vụ"),
        person("BT100005", organization="Đơn vị Lạ"),  # a new root
    ]
    path = write_csv(tmp_path / "scope.csv", rows)
    before = table_counts(db)
    result = run(path, actor=unit_hr, create_organizations=True)
    assert kinds(result) == [
        (3, "organization", "organization_out_of_scope"),
        (4, "code", "official_out_of_scope"),
        (6, "parent_organization", "new_organization_out_of_scope"),
        (7, "organization", "new_organization_out_of_scope"),
    ]
    assert "mã “bt900001” không dùng được; hãy chọn mã khác." in result.error_messages()[1]
    assert result.warnings == [] and not result.written
    assert table_counts(db) == before
    # Within the scope the same user imports; province HR and the command line import all.
    assert run(path, actor=unit_hr, create_organizations=True, dry_run=True).errors
    ok = [rows[0], rows[3]]
    assert run(write_csv(tmp_path / "in.csv", ok), actor=unit_hr, create_organizations=True).ok
    assert run(path, actor=create_user("province_hr"), create_organizations=True).ok


def test_only_hr_imports(db, home, tmp_path, create_user):
    path = write_csv(tmp_path / "x.csv", [person()])
    result = run(path, actor=create_user("official"))
    assert kinds(result) == [(None, None, "import_not_allowed")]
    assert result.error_messages() == ["Bạn không có quyền nhập danh sách cán bộ."]
    assert official(db, "BT100001") is None


def test_the_stored_medical_setting_decides_which_level_is_higher(db, home, tmp_path):
    """Chuyên khoa I ranks as Thạc sĩ by default; with the setting off, below it."""
    from app.progress.settings import update_settings

    run(write_csv(tmp_path / "1.csv", [person(education="Thạc sĩ")]))
    path = write_csv(tmp_path / "2.csv", [person(education="Chuyên khoa I")])
    assert run(path, dry_run=True).warnings == []
    update_settings(medical_counts_as_postgraduate=False)
    result = run(path, dry_run=True)
    assert [(w.row, w.column, w.kind) for w in result.warnings] == [(2, "education", "lower_level")]
