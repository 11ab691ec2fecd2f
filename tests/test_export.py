"""The officials spreadsheet export (DOMAIN §5.1): the import's format, never a formula."""

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest

from app.domain.sheet import COLUMNS
from app.officials import exporter
from app.officials.queries import OfficialFilters, filtered
from app.permissions import EVERYTHING
from app.qualifications import services as qualifications

HEADERS = [column.header_vi for column in COLUMNS]
TODAY = date(2020, 11, 30)


@pytest.fixture
def registry(db, create_organization, create_official):
    """Two units and three officials with records of every kind of status and date."""
    root = create_organization(name="UBND tỉnh Bến Tre")
    so = create_organization(name="Sở Y tế", parent=root)
    commune = create_organization(name="UBND xã An Thủy", plan_level="commune", parent=root)
    lan = create_official(
        code="BT1",
        full_name="Trần Thị Lan",
        organization=so,
        position_rank="division_head",
        title='=HYPERLINK("http://x")',
        appointed_on=date(2015, 3, 1),
        email="lan@bentre.vn",
    )
    qualifications.add_record(lan, "education", "bachelor", issued_on=date(2005, 1, 1))
    qualifications.add_record(lan, "education", "specialist_1", issued_on=date(2019, 1, 1))
    qualifications.add_record(lan, "political_theory", "bachelor")
    qualifications.add_record(lan, "international_integration", "yes")
    pending = qualifications.add_record(lan, "it_skill", "advanced")
    pending.status = "pending"
    an = create_official(
        code="BT2",
        full_name="-Lê Văn An",
        sex="M",
        organization=commune,
        commune_key_post=True,
        party_committee=True,
    )
    qualifications.add_record(an, "defense_security", "tier3")
    create_official(code="BT3", full_name="Võ Thị Bé", organization=so, in_succession_pool=True)
    db.session.flush()
    return {"so": so, "commune": commune}


def read_xlsx(path) -> list[tuple]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def by_code(rows) -> dict[str, dict]:
    header, *data = rows
    width = len(header)  # spreadsheets leave out trailing empty cells
    return {row[0]: dict(zip(header, (*row, *[None] * width), strict=False)) for row in data}


def test_xlsx_rows_hold_primary_post_and_current_verified_levels(db, registry, tmp_path):
    path = tmp_path / "out.xlsx"
    assert exporter.write_xlsx(path, on=TODAY) == 3
    rows = read_xlsx(path)
    assert list(rows[0]) == HEADERS
    lan, an, be = (by_code(rows)[code] for code in ("BT1", "BT2", "BT3"))
    assert lan["Giới tính"] == "Nữ" and an["Giới tính"] == "Nam"
    assert lan["Đơn vị"] == "Sở Y tế" and lan["Đơn vị cấp trên"] == "UBND tỉnh Bến Tre"
    assert lan["Cấp"] == "Tỉnh" and an["Cấp"] == "Xã"
    assert lan["Bậc chức vụ"] == "Trưởng phòng và tương đương"
    assert lan["Ngày bổ nhiệm"].date() == date(2015, 3, 1)
    assert lan["Trình độ chuyên môn"] == "Chuyên khoa I"  # the highest, a medical degree
    assert lan["Lý luận chính trị"] == "Cử nhân"
    assert lan["Hội nhập quốc tế"] == "x" and be["Hội nhập quốc tế"] is None
    assert lan["Tin học"] == "Không"  # the pending record does not count
    assert an["Chủ chốt cấp xã"] == "x" and an["Cấp ủy viên"] == "x"
    assert an["Quốc phòng - an ninh"] == "Đối tượng 3"
    assert be["Quy hoạch"] == "x" and be["Email"] is None
    # Levels at an earlier date: the 2019 degree is not yet held.
    exporter.write_xlsx(path, on=date(2010, 1, 1))
    assert by_code(read_xlsx(path))["BT1"]["Trình độ chuyên môn"] == "Đại học"


def test_xlsx_never_writes_a_formula(db, registry, tmp_path):
    path = tmp_path / "formula.xlsx"
    exporter.write_xlsx(path, on=TODAY)
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    workbook = openpyxl.load_workbook(path)
    cells = {cell.value: cell for row in workbook.active.iter_rows() for cell in row}
    assert cells['=HYPERLINK("http://x")'].data_type == "s"
    assert cells["-Lê Văn An"].data_type == "s"


def test_csv_has_a_bom_apostrophes_and_dates(db, registry, tmp_path):
    path = tmp_path / "out.csv"
    assert exporter.write_csv(path, on=TODAY) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    data = by_code(rows)
    assert data["BT1"]["Chức vụ"] == '\'=HYPERLINK("http://x")'
    assert data["BT2"]["Họ và tên"] == "'-Lê Văn An"
    assert data["BT1"]["Ngày bổ nhiệm"] == "01/03/2015"
    assert data["BT1"]["Ngày sinh"] == "17/05/1985"


def test_export_of_a_filtered_select(db, registry, tmp_path):
    only_men = filtered(EVERYTHING, OfficialFilters(sex="M"), TODAY)
    assert [row.code for row in exporter.export_rows(only_men, on=TODAY)] == ["BT2"]
    commune = filtered(registry["commune"].path, OfficialFilters(), TODAY)
    chunks = "".join(exporter.iter_csv(commune, on=TODAY))
    assert "BT2" in chunks and "BT1" not in chunks
    nobody = filtered(None, OfficialFilters(), TODAY)
    assert list(exporter.export_rows(nobody)) == []


def test_export_streams_in_partitions(db, registry, monkeypatch):
    monkeypatch.setattr(exporter, "PARTITION", 2)
    rows = list(exporter.export_rows(on=TODAY))
    assert [row.row for row in rows] == [2, 3, 4]
    assert {row.code for row in rows} == {"BT1", "BT2", "BT3"}
    assert next(r for r in rows if r.code == "BT1").education == "specialist_1"


def test_cli_export_by_extension(db, registry, runner, tmp_path):
    db.session.commit()
    for name in ("all.xlsx", "all.csv"):
        result = runner.invoke(args=["officials", "export", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert "3 cán bộ" in result.output
    assert len(read_xlsx(tmp_path / "all.xlsx")) == 4
    refused = runner.invoke(args=["officials", "export", str(tmp_path / "all.pdf")])
    assert refused.exit_code != 0 and ".xlsx" in refused.output
