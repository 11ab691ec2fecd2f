"""The dashboard and gaps exports: .xlsx per level, CSV with BOM, formula-safe, scoped."""

import csv
import io
import re

from openpyxl import load_workbook

from app.progress import services
from tests.test_progress_pages import AS_OF, D, province_data  # noqa: F401  (fixture)


def report_xlsx(client, query: str):
    """The dashboard's workbook: a background job started by a POST, its file from its page."""
    response = client.post(f"/progress/report.xlsx{query}")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert "Đã xuất bảng theo dõi tiến độ thực hiện kế hoạch" in client.get(job_url).get_data(
        as_text=True
    )
    return client.get(f"{job_url}/download")


def test_report_xlsx_one_named_sheet_per_level_with_officials(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    r = report_xlsx(client, f"?as_of={AS_OF}")
    assert r.status_code == 200
    assert "tien-do-KH-327-2017-2020-11-30.xlsx" in r.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(r.data))
    # Sheets say what they hold; the commune level has nobody here, so no sheet of empty rows.
    # Mục tiêu 1–2 follow on their own sheet.
    assert book.sheetnames == ["Lãnh đạo cấp tỉnh", "Lãnh đạo cấp huyện", "Mục tiêu 1–2"]
    sheet = book["Lãnh đạo cấp tỉnh"]
    header = [c.value for c in sheet[1]]
    assert "30/11/2020" in header[1] and "KH-327-2017" in header[2]
    titles = [c.value for c in sheet[2]]
    assert titles[:5] == ["Mã chỉ tiêu", "Chỉ tiêu", "Cấp", "Mã nhóm", "Nhóm"]
    assert all(c.font.b for c in sheet[2]) and sheet.auto_filter.ref.startswith("A2:")
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 9 * 4
    expected = {(x.id, x.group): x for x in services.report_results(D)}
    assert sorted({row[0] for row in rows}) == sorted({k[0] for k in expected if ".P." in k[0]})
    pol_cc_women = next(row for row in rows if row[0] == "M3.P.pol_cc" and row[3] == "women")
    assert pol_cc_women[4] == "Nữ" and pol_cc_women[5:7] == [1, 2] and pol_cc_women[9] == 60
    assert pol_cc_women[10] == "not_met" and pol_cc_women[11] == "Chưa đạt"
    assert pol_cc_women[12] == expected[("M3.P.pol_cc", "women")].shortfall
    cells = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "M3.P.pol_cc")
    assert cells[5].number_format == "#,##0" and cells[6].number_format == "#,##0"


def test_report_xlsx_in_english_names_its_sheets_in_english(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    client.set_cookie("lang", "en")
    r = report_xlsx(client, f"?as_of={AS_OF}")
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames[:2] == ["Province-level leaders", "District-level leaders"]
    assert len(book.sheetnames) == 3  # then Mục tiêu 1–2
    assert [c.value for c in book.active[2]][:2] == ["Target code", "Target"]


def test_report_xlsx_of_a_scope_without_officials(client, db, create_organization, login_as):
    create_organization(name="Tỉnh Trống")
    db.session.commit()
    login_as("province_hr")
    book = load_workbook(io.BytesIO(report_xlsx(client, f"?as_of={AS_OF}").data))
    assert book.sheetnames == ["Không có cán bộ", "Mục tiêu 1–2"]


def test_report_csv_is_vietnamese_with_codes_in_their_own_columns(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    r = client.get(f"/progress/report.csv?as_of={AS_OF}")
    assert r.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    report = services.report(D)["indicators"]  # Mục tiêu 3, then 1 and 2
    assert {e["id"][:2] for e in report} == {"M1", "M2", "M3"}
    assert len(rows) == len(report)
    for row, entry in zip(rows, report, strict=True):
        assert row["Mã chỉ tiêu"] == entry["id"] and row["Mã nhóm"] == entry["group"]
        assert int(row["Tử số"]) == entry["numerator"]
        assert int(row["Mẫu số"]) == entry["denominator"]
        assert row["Cần thêm (người)"] == (
            "" if entry["shortfall"] is None else str(entry["shortfall"])
        )
        assert row["Mã kết quả"] == entry["status"] and row["Ngày"] == "30/11/2020"
    plan = [row for row in rows if not row["Mã chỉ tiêu"].startswith("M3.")]
    assert {row["Nhóm"] for row in plan} == {"Tất cả"} and {row["Cấp"] for row in plan} == {""}
    phong_tinh = next(row for row in plan if row["Mã chỉ tiêu"] == "M1.phong_tinh")
    assert phong_tinh["Chỉ tiêu"] == "Nữ lãnh đạo cấp phòng của sở, ban, ngành tỉnh"
    labels = {row["Kết quả"] for row in rows}
    assert labels == {"Đạt", "Chưa đạt", "Không áp dụng"}
    pol_cc = next(r for r in rows if r["Mã chỉ tiêu"] == "M3.P.pol_cc" and r["Mã nhóm"] == "women")
    assert pol_cc["Chỉ tiêu"] == "Cao cấp lý luận chính trị" and pol_cc["Nhóm"] == "Nữ"
    assert pol_cc["Tỷ lệ (%)"] == "50.0"  # a plain number: no separator inside CSV values


def test_report_csv_numbers_carry_no_thousands_separator(app, client, province_data, login_as):  # noqa: F811
    from app.domain.targets import IndicatorResult
    from app.progress import exports

    big = IndicatorResult(
        "M3.C.it", "women", 8303, 9000, 8303 / 9000, ">=", 100, "not_met", 697, 8303,
        "not_met", 697, True,
    )  # fmt: skip
    with app.test_request_context("/"):
        text = exports.report_csv([big], D, "KH").decode("utf-8-sig")
        book = load_workbook(io.BytesIO(exports.report_xlsx([big], D, "KH", "Tỉnh")))
    assert ",8303,9000," in text and "8.303" not in text and "8,303" not in text
    cell = next(book.active.iter_rows(min_row=3))[5]
    assert cell.value == 8303 and cell.number_format == "#,##0"


def test_gaps_xlsx_filters_scope_and_formula_safety(client, db, province_data, login_as):  # noqa: F811
    official = province_data["officials"]["N2"]
    official.full_name = '=HYPERLINK("x")'
    db.session.commit()
    login_as("unit_hr", organization=province_data["north"])
    r = client.get(f"/progress/gaps.xlsx?as_of={AS_OF}&missing=pol_cc")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    lines = {row[0].value: row[1].value for row in sheet.iter_rows(max_row=8)}
    assert lines["Ngày"] == "30/11/2020" and lines["Bộ chỉ tiêu"] == "KH-327-2017"
    assert lines["Phạm vi"] == "Huyện Bắc" and lines["Còn thiếu"] == "Cao cấp lý luận chính trị"
    assert lines["Hiển thị"] == "Chỉ cán bộ còn thiếu"
    header = next(sheet.iter_rows(min_row=10, max_row=10))
    names = [c.value for c in header]
    assert names[:7] == [
        "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Cấp",
    ]  # fmt: skip
    assert all(c.font.b for c in header) and sheet.auto_filter.ref.startswith("A10:")
    body = list(sheet.iter_rows(min_row=11))
    rows = [[c.value for c in row] for row in body]
    assert sorted(row[0] for row in rows) == ["N1", "N2"]
    cell = next(row for row in body if row[0].value == "N2")[1]
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert all(row[2] == "Nữ" and row[3].year == 1985 for row in rows), rows
    assert all(row[5] == "Huyện Bắc" for row in rows)
    # Cao cấp is a share target: stated as the unit's share, not as a personal requirement.
    assert all("Cao cấp lý luận chính trị" not in (row[7] or "") for row in rows)
    assert all("Cao cấp lý luận chính trị (đơn vị chưa đạt" in row[8] for row in rows), rows


def test_gaps_csv_states_its_filters_and_has_the_columns(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    r = client.get(f"/progress/gaps.csv?as_of={AS_OF}&population=D&show=all")
    assert r.status_code == 200 and r.data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    stated = {line[0]: line[1] for line in lines[:8]}
    assert stated["Cấp"] == "Lãnh đạo cấp huyện" and stated["Hiển thị"] == "Tất cả cán bộ"
    assert stated["Phạm vi"] == "Toàn tỉnh" and stated["Ngày"] == "30/11/2020"
    assert lines[8] == []
    rows = [dict(zip(lines[9], line, strict=True)) for line in lines[10:]]
    assert sorted(row["Mã cán bộ"] for row in rows) == ["N1", "N2", "S1", "S2"]
    s2 = next(row for row in rows if row["Mã cán bộ"] == "S2")
    assert s2["Giới tính"] == "Nam" and s2["Đơn vị"] == "Huyện Nam"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", s2["Ngày sinh"])


def test_every_report_format_has_the_columns_of_one_definition():
    """The §5.2 entry's keys are written once (app.domain.targets.REPORT_FIELDS): the JSON,
    the CSV of the pages and of the CLI, and the API's documented schema follow it; the sheet
    has one header per value."""
    from app.api.progress import IndicatorResultSchema
    from app.domain.targets import REPORT_FIELDS, RESULT_STATUSES
    from app.progress import cli, exports
    from app.progress.labels import RESULT_STATUS_LABELS

    assert exports.CSV_FIELDS == REPORT_FIELDS and cli.CSV_FIELDS == REPORT_FIELDS
    assert tuple(IndicatorResultSchema().fields) == REPORT_FIELDS
    assert set(RESULT_STATUS_LABELS) == set(RESULT_STATUSES)
    assert all(len(column) == 2 for column in exports.XLSX_COLUMNS)
