"""The officials spreadsheet format (DOMAIN §5.1), pure parsing and export values."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.domain.sheet import (
    COLUMNS,
    OfficialRow,
    SheetError,
    check_duplicates,
    export_text,
    is_blank,
    is_formula_like,
    map_headers,
    parse_row,
    row_to_cells,
)

MINIMAL = {
    "code": "BT000001",
    "full_name": "Nguyễn Thị An",
    "sex": "Nữ",
    "birth_date": "05/03/1980",
    "organization": "Sở Nội vụ",
    "plan_level": "Tỉnh",
    "position_rank": "Trưởng phòng và tương đương",
}

FULL_ROW = OfficialRow(
    row=7,
    code="BT000042",
    full_name="Trần Thị Bích Thủy",
    sex="F",
    birth_date=date(1985, 2, 28),
    ethnicity="Khmer",
    category="cong_chuc",
    organization="Phòng Nội vụ huyện Ba Tri",
    parent_organization="UBND huyện Ba Tri",
    plan_level="district",
    position_title="Phó trưởng phòng",
    position_rank="deputy_division_head",
    party_committee=True,
    commune_key_post=False,
    commune_full_time=True,
    in_succession_pool=True,
    appointed_on=date(2019, 1, 2),
    left_on=date(2021, 6, 30),
    political_theory="bachelor",
    education="specialist_1",
    state_management="principal",
    defense_security="tier3",
    it_skill="advanced",
    leadership_training="division",
    international_integration=True,
    email="thuy@bentre.example.vn",
)


def parse(**changes):
    return parse_row(2, {**MINIMAL, **changes})


def parsed(**changes) -> OfficialRow:
    row, errors = parse(**changes)
    assert errors == []
    return row


def errors_of(**changes) -> list[SheetError]:
    row, errors = parse(**changes)
    assert row is None
    return errors


# --- headers -------------------------------------------------------------------------------


def test_columns_follow_the_domain_table():
    assert [c.key for c in COLUMNS][:4] == ["code", "full_name", "sex", "birth_date"]
    assert len(COLUMNS) == 29
    # DOMAIN §9: the new columns, all optional.
    assert [(c.key, c.header_vi) for c in COLUMNS][-4:] == [
        ("organization_kind", "Loại cơ quan"),
        ("key_leader", "Lãnh đạo chủ chốt"),
        ("gender_equality_role", "Làm công tác bình đẳng giới"),
        ("gender_equality_training", "Tập huấn bình đẳng giới"),
    ]
    assert {c.key for c in COLUMNS if c.required} == {
        "code",
        "full_name",
        "sex",
        "birth_date",
        "organization",
        "plan_level",
        "position_rank",
    }


def test_headers_by_key_in_any_order():
    keys = [c.key for c in reversed(COLUMNS)]
    mapping, errors = map_headers(keys)
    assert errors == []
    assert mapping == dict(enumerate(keys))


def test_headers_by_vietnamese_header_ignoring_case_diacritics_and_spaces():
    cells = [
        "MÃ CÁN BỘ",
        "ho va ten",
        "  giới   tính ",
        "Ngay Sinh",
        "ĐƠN VỊ",
        "cap",
        "bậc chức vụ",
        "Bồi dưỡng lãnh đạo, QUẢN LÝ",
        "quoc phong - an ninh",
        "EMAIL",
        None,
        "",
    ]
    mapping, errors = map_headers(cells)
    assert errors == []
    assert mapping == {
        0: "code",
        1: "full_name",
        2: "sex",
        3: "birth_date",
        4: "organization",
        5: "plan_level",
        6: "position_rank",
        7: "leadership_training",
        8: "defense_security",
        9: "email",
    }


def test_unknown_missing_and_duplicate_columns():
    mapping, errors = map_headers(["code", "Họ và tên", "full_name", "Ghi chú", "", "sex"])
    assert mapping == {0: "code", 1: "full_name", 5: "sex"}
    kinds = [(e.row, e.kind, e.column, e.value) for e in errors]
    assert kinds == [
        (1, "duplicate_column", "full_name", "full_name"),
        (1, "unknown_column", None, "Ghi chú"),
        (1, "unknown_column", None, ""),
        (1, "missing_column", "birth_date", None),
        (1, "missing_column", "organization", None),
        (1, "missing_column", "plan_level", None),
        (1, "missing_column", "position_rank", None),
    ]
    assert "Mã cán bộ" in errors[1].expected
    assert errors[3].expected == ("Ngày sinh",)


# --- values --------------------------------------------------------------------------------


def test_minimal_row_and_defaults():
    assert parsed() == OfficialRow(
        row=2,
        code="BT000001",
        full_name="Nguyễn Thị An",
        sex="F",
        birth_date=date(1980, 3, 5),
        organization="Sở Nội vụ",
        plan_level="province",
        position_rank="division_head",
    )
    row = parsed()
    assert (row.ethnicity, row.category, row.email, row.position_title) == (
        "Kinh",
        None,
        None,
        None,
    )
    assert row.political_theory == "none" and row.international_integration is False


@pytest.mark.parametrize(
    ("key", "cell", "value"),
    [
        ("sex", "Nữ", "F"),
        ("sex", "NỮ", "F"),
        ("sex", "nu", "F"),
        ("sex", "F", "F"),
        ("sex", " nam ", "M"),
        ("sex", "M", "M"),
        ("plan_level", "tinh", "province"),
        ("plan_level", "HUYỆN", "district"),
        ("plan_level", "commune", "commune"),
        ("plan_level", "Xã", "commune"),
        ("position_rank", "lãnh đạo tỉnh", "provincial_leader"),
        ("position_rank", "staff", "staff"),
        ("position_rank", "Chuyên viên, nhân viên", "staff"),
        ("category", "Viên chức", "vien_chuc"),
        ("category", "can_bo", "can_bo"),
        ("category", "", None),
        ("political_theory", "Cử nhân", "bachelor"),
        ("political_theory", "", "none"),
        ("political_theory", None, "none"),
        ("education", "thac si", "master"),
        ("education", "Chuyên khoa II", "specialist_2"),
        ("education", "master", "master"),
        ("defense_security", "Đối tượng 1", "tier1"),
        ("it_skill", "Không", "none"),
        ("leadership_training", "cấp sở", "department"),
        ("ethnicity", " Tày ", "Tày"),
        ("ethnicity", "", "Kinh"),
        ("email", " BT1@Example.VN ", "bt1@example.vn"),
        ("email", " ", None),
        ("code", 123.0, "123"),
        ("code", 42, "42"),
        ("full_name", "  Lê  Văn Tám ", "Lê  Văn Tám"),
        ("position_title", '\'=HYPERLINK("x")', '=HYPERLINK("x")'),
        ("position_title", "'+84 123", "+84 123"),
        ("position_title", "'-", "-"),
        ("position_title", "'@me", "@me"),
        ("position_title", "'quoted", "'quoted"),
        ("position_title", "'", "'"),
        ("position_title", "=1+1", "=1+1"),
        ("parent_organization", "", None),
    ],
)
def test_value_kinds(key, cell, value):
    assert getattr(parsed(**{key: cell}), key) == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
        ("x", True),
        ("X", True),
        (" x ", True),
        ("có", True),
        ("CÓ", True),
        ("co", True),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("", False),
        (None, False),
        ("không", False),
        ("KHONG", False),
        ("0", False),
        ("false", False),
        ("False", False),
    ],
)
@pytest.mark.parametrize("key", ["party_committee", "international_integration"])
def test_booleans(key, cell, value):
    assert getattr(parsed(**{key: cell}), key) is value


@pytest.mark.parametrize("cell", ["yes", "maybe", 2, -1, 0.5, "x x", date(2020, 1, 1)])
def test_bad_booleans(cell):
    (error,) = errors_of(commune_key_post=cell)
    assert (error.row, error.column, error.kind) == (2, "commune_key_post", "bad_bool")
    assert "x" in error.expected and "không" in error.expected


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (date(1980, 3, 5), date(1980, 3, 5)),
        (datetime(1980, 3, 5, 13, 45), date(1980, 3, 5)),
        ("5/3/1980", date(1980, 3, 5)),
        ("05/03/1980", date(1980, 3, 5)),
        ("1980-03-05", date(1980, 3, 5)),
        (" 1980-03-05 ", date(1980, 3, 5)),
        ("29/02/2020", date(2020, 2, 29)),
        ("31/12/1999", date(1999, 12, 31)),
    ],
)
def test_dates(cell, value):
    assert parsed(birth_date=cell).birth_date == value


@pytest.mark.parametrize(
    "cell",
    [
        "31/02/2020",
        "29/02/2021",
        "2020-02-30",
        "13/13/2020",
        "1980/03/05",
        "5-3-1980",
        "abc",
        "05/03/80",
        29000,
        29000.5,
        True,
    ],
)
def test_bad_dates(cell):
    (error,) = errors_of(birth_date=cell)
    assert (error.column, error.kind, error.expected) == (
        "birth_date",
        "bad_date",
        ("dd/mm/yyyy", "yyyy-mm-dd"),
    )
    assert error.value == str(cell)


@pytest.mark.parametrize(
    ("key", "cell", "labels"),
    [
        ("sex", "Khác", ("Nữ", "Nam")),
        ("plan_level", "Ấp", ("Tỉnh", "Huyện", "Xã")),
        ("category", "Hợp đồng", ("Cán bộ", "Công chức", "Viên chức")),
        ("it_skill", "Chuyên gia", ("Không", "Cơ bản", "Nâng cao")),
    ],
)
def test_unknown_values_name_the_allowed_labels(key, cell, labels):
    (error,) = errors_of(**{key: cell})
    assert error == SheetError(2, key, cell, "unknown_value", labels)


def test_required_cells():
    row, errors = parse_row(9, {"code": " ", "sex": "Nữ"})
    assert row is None
    assert [(e.row, e.column, e.kind) for e in errors] == [
        (9, "code", "required"),
        (9, "full_name", "required"),
        (9, "birth_date", "required"),
        (9, "organization", "required"),
        (9, "plan_level", "required"),
        (9, "position_rank", "required"),
    ]


def test_every_error_of_a_row_is_reported():
    errors = errors_of(sex="X", birth_date="31/02/2020", full_name="", party_committee="?")
    assert [(e.column, e.kind) for e in errors] == [
        ("full_name", "required"),
        ("sex", "unknown_value"),
        ("birth_date", "bad_date"),
        ("party_committee", "bad_bool"),
    ]


@pytest.mark.parametrize(
    ("appointed", "left", "must_follow"),
    [
        ("01/01/2020", "02/01/2020", None),
        ("01/01/2020", "01/01/2020", "2020-01-01"),
        ("2020-01-02", "01/01/2020", "2020-01-02"),
        ("", "01/01/2020", None),
        ("01/01/2020", "", None),
    ],
)
def test_left_on_must_follow_appointed_on(appointed, left, must_follow):
    row, errors = parse(appointed_on=appointed, left_on=left)
    if must_follow is None:
        assert errors == []
    else:
        assert row is None
        assert errors == [SheetError(2, "left_on", left, "left_before_appointed", (must_follow,))]


def test_blank_rows():
    assert is_blank([None, "", "   "])
    assert is_blank([])
    assert is_blank({"code": None, "email": " "})
    assert not is_blank([None, "x"])
    assert not is_blank([False])
    assert not is_blank({"code": 0})


def test_duplicate_codes():
    rows = [
        replace(FULL_ROW, row=2, code="BT1"),
        replace(FULL_ROW, row=3, code="BT2"),
        replace(FULL_ROW, row=4, code=" bt1 "),
        replace(FULL_ROW, row=6, code="BT1"),
    ]
    assert check_duplicates(rows) == [
        SheetError(4, "code", " bt1 ", "duplicate_code", ("2",)),
        SheetError(6, "code", "BT1", "duplicate_code", ("2",)),
    ]
    assert check_duplicates(rows[:2]) == []


# --- export --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "csv_text"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+84 123", "'+84 123"),
        ("-5", "'-5"),
        ("@home", "'@home"),
        ("Sở Nội vụ", "Sở Nội vụ"),
        ("", ""),
        (" =x", " =x"),
    ],
)
def test_export_text(text, csv_text):
    assert export_text(text, csv=True) == csv_text
    assert export_text(text, csv=False) == text
    assert is_formula_like(text) is (csv_text != text)


def test_row_to_cells_renders_labels():
    cells = row_to_cells(FULL_ROW)
    assert list(cells) == [c.key for c in COLUMNS]
    assert cells["sex"] == "Nữ"
    assert cells["plan_level"] == "Huyện"
    assert cells["category"] == "Công chức"
    assert cells["position_rank"] == "Phó trưởng phòng và tương đương"
    assert cells["political_theory"] == "Cử nhân"
    assert cells["education"] == "Chuyên khoa I"
    assert cells["birth_date"] == date(1985, 2, 28)
    assert (cells["party_committee"], cells["commune_key_post"]) == ("x", "")
    assert cells["international_integration"] == "x"
    minimal = row_to_cells(parsed())
    assert (minimal["category"], minimal["email"], minimal["appointed_on"]) == ("", "", None)
    assert minimal["political_theory"] == "Không"


@pytest.mark.parametrize(
    "row",
    [
        FULL_ROW,
        replace(FULL_ROW, international_integration=False, category=None, email=None),
        replace(FULL_ROW, full_name="=cmd|' /C calc'!A0", position_title="@SUM(1)"),
    ],
)
def test_round_trip(row):
    assert parse_row(row.row, row_to_cells(row)) == (row, [])


def test_round_trip_through_csv_text():
    row = replace(FULL_ROW, full_name="=cmd|' /C calc'!A0", position_title="+84")
    cells = row_to_cells(row)
    as_csv = {
        key: export_text(value, csv=True) if isinstance(value, str) else value.isoformat()
        for key, value in cells.items()
    }
    assert as_csv["full_name"].startswith("'=")
    assert parse_row(row.row, as_csv) == (row, [])


def test_levels_of_a_row():
    assert FULL_ROW.levels == {
        "political_theory": "bachelor",
        "education": "specialist_1",
        "state_management": "principal",
        "defense_security": "tier3",
        "it_skill": "advanced",
        "leadership_training": "division",
        "international_integration": "yes",
        "gender_equality_training": "none",
    }


# --- DOMAIN §9: the plan's columns --------------------------------------------------------


def _minimal(**extra) -> dict:
    return {
        "code": "BT1",
        "full_name": "Lê Thị A",
        "sex": "Nữ",
        "birth_date": "01/02/1980",
        "organization": "UBND xã A",
        "plan_level": "Xã",
        "position_rank": "Chuyên viên, nhân viên",
        **extra,
    }


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        (None, None),  # a blank cell gives no kind
        ("  ", None),
        ("UBND", "people_committee"),
        ("ubnd", "people_committee"),
        ("people_council", "people_council"),
        ("HĐND", "people_council"),
        ("hdnd", "people_council"),
        ("Cơ quan Đảng", "party"),
        ("doan the / to chuc chinh tri - xa hoi", "mass"),
        ("Đơn vị sự nghiệp công lập", "public_service"),
        ("Khác", "other"),
        ("Cơ quan nhà nước", "state"),
    ],
)
def test_organization_kind_cell(cell, kind):
    row, errors = parse_row(2, _minimal(organization_kind=cell))
    assert errors == []
    assert row.organization_kind == kind


def test_an_unknown_organization_kind_names_row_column_and_the_labels():
    row, errors = parse_row(7, _minimal(organization_kind="Câu lạc bộ"))
    assert row is None
    [error] = errors
    assert (error.row, error.column, error.value, error.kind) == (
        7,
        "organization_kind",
        "Câu lạc bộ",
        "unknown_value",
    )
    assert "UBND" in error.expected and "Khác" in error.expected


@pytest.mark.parametrize(
    ("cell", "value"),
    [(None, False), ("", False), ("x", True), ("Có", True), (1, True), ("không", False)],
)
def test_plan_booleans(cell, value):
    row, errors = parse_row(
        2,
        _minimal(key_leader=cell, gender_equality_role=cell, gender_equality_training=cell),
    )
    assert errors == []
    assert (row.key_leader, row.gender_equality_role, row.gender_equality_training) == (
        value,
        value,
        value,
    )
    assert row.levels["gender_equality_training"] == ("yes" if value else "none")


def test_plan_columns_round_trip_through_export_cells():
    row, _ = parse_row(
        2,
        _minimal(
            organization_kind="UBND",
            key_leader="x",
            gender_equality_role="x",
            gender_equality_training="x",
        ),
    )
    cells = row_to_cells(row)
    assert (cells["organization_kind"], cells["key_leader"]) == ("UBND", "x")
    assert (cells["gender_equality_role"], cells["gender_equality_training"]) == ("x", "x")
    again, errors = parse_row(2, cells)
    assert errors == [] and again == row
