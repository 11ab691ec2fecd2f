"""The dashboard and gaps exports: .xlsx per level, CSV with BOM, formula-safe, scoped."""

import csv
import io

from openpyxl import load_workbook

from app.progress import services
from tests.test_progress_pages import AS_OF, D, province_data  # noqa: F401  (fixture)


def test_report_xlsx_one_sheet_per_level(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    r = client.get(f"/progress/report.xlsx?as_of={AS_OF}")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["P", "D", "C"]
    sheet = book["P"]
    header = [c.value for c in sheet[1]]
    assert "30/11/2020" in header[1] and "KH-327-2017" in header[2]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 9 * 4
    expected = {(x.id, x.group): x for x in services.report_results(D)}
    assert sorted({row[0] for row in rows}) == sorted({k[0] for k in expected if ".P." in k[0]})
    pol_cc_women = next(row for row in rows if row[0] == "M3.P.pol_cc" and row[2] == "Nữ")
    assert pol_cc_women[3:5] == [1, 2] and pol_cc_women[7] == 60
    assert pol_cc_women[9] == expected[("M3.P.pol_cc", "women")].shortfall


def test_report_csv_is_the_flattened_json(client, province_data, login_as):  # noqa: F811
    login_as("province_hr")
    r = client.get(f"/progress/report.csv?as_of={AS_OF}")
    assert r.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    report = services.report(D)["indicators"]
    assert len(rows) == len(report)
    for row, entry in zip(rows, report, strict=True):
        assert row["id"] == entry["id"] and row["group"] == entry["group"]
        assert int(row["numerator"]) == entry["numerator"]
        assert row["status"] == entry["status"] and row["as_of"] == "2020-11-30"


def test_gaps_xlsx_filters_scope_and_formula_safety(client, db, province_data, login_as):  # noqa: F811
    official = province_data["officials"]["N2"]
    official.full_name = '=HYPERLINK("x")'
    db.session.commit()
    login_as("unit_hr", organization=province_data["north"])
    r = client.get(f"/progress/gaps.xlsx?as_of={AS_OF}&missing=pol_cc")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert sorted(row[0] for row in rows) == ["N1", "N2"]
    cell = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "N2")[1]
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert all("Cao cấp lý luận chính trị" in row[4] for row in rows)


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
