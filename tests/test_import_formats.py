"""Spreadsheets as offices have them (issue 9): every format of ../shared/fixtures/sheets/
through the real import and report; a stale <dimension>; decompression bombs refused before
any reader loads them; CSV delimiters and encodings; the same row numbers in every format."""

import csv
import io
import json
import subprocess
import sys
import textwrap
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select, text

from app.domain.sheet import COLUMNS
from app.officials.imports import importer
from app.officials.models import Official
from tests.test_import_pages import (  # noqa: F401 - fixtures
    client_for,
    count_box,
    html,
    upload,
    uploads,
    world,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
SHEETS = SHARED / "sheets"
M3 = SHARED / "m3"
AS_OF = "2020-11-30"
ROOT = Path(__file__).resolve().parents[1]
HEADER = [column.header_vi for column in COLUMNS]


def sheet_files() -> list[str]:
    if not SHEETS.is_dir():
        return []
    return sorted(p.name for p in SHEETS.iterdir() if p.name != "README.md")


def _invoke(runner, *args) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


@pytest.mark.parametrize("name", sheet_files() or ["(missing)"])
def test_every_office_format_gives_the_fixture_results(runner, name):
    path = SHEETS / name
    if not path.exists():
        pytest.skip(f"the sheets fixtures are not at {SHEETS} (../shared beside the repo)")
    output = _invoke(runner, "officials", "import", str(path), "--create-organizations")
    assert "400 cán bộ mới" in output and "0 lỗi" in output
    if "cp1258" in name:
        assert "Windows-1258" in output
    report = json.loads(_invoke(runner, "progress", "report", "--as-of", AS_OF, "--format", "json"))
    expected = json.loads((M3 / "province_sample.expected.json").read_text(encoding="utf-8"))
    fields = ("id", "group", "numerator", "denominator", "operator", "threshold")
    fields += ("status", "shortfall")
    # The m3 vectors hold Mục tiêu 3's entries (Mục tiêu 1–2 follow, checked by the m12 ones).
    actual = [
        {key: entry[key] for key in fields}
        for entry in report["indicators"]
        if entry["id"].startswith("M3.")
    ]
    assert actual == expected["indicators"]
    gaps = json.loads(_invoke(runner, "progress", "gaps", "--as-of", AS_OF, "--format", "json"))
    expected_gaps = json.loads((M3 / "province_sample.gaps.json").read_text(encoding="utf-8"))
    assert {key: gaps[key] for key in expected_gaps} == expected_gaps


def test_the_sheets_fixtures_cover_the_office_formats():
    if not SHEETS.is_dir():
        pytest.skip(f"the sheets fixtures are not at {SHEETS}")
    suffixes = {Path(name).suffix for name in sheet_files()}
    assert {".xls", ".ods", ".csv"} <= suffixes


# --- helpers -----------------------------------------------------------------------------


def person(code: str, **values) -> list:
    data = {
        "code": code,
        "full_name": "Nguyễn Thị Thu",
        "sex": "Nữ",
        "birth_date": "02/04/1988",
        "organization": "Phòng Nội vụ huyện Thử",
        "plan_level": "Huyện",
        "position_rank": "Chuyên viên, nhân viên",
        **values,
    }
    return [data.get(column.key, "") for column in COLUMNS]


@pytest.fixture
def home(db, create_organization):
    create_organization(name="Phòng Nội vụ huyện Thử", plan_level="district")
    db.session.flush()


def csv_text(rows, delimiter=",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def officials(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Official))


def issues(result) -> list[tuple]:
    return [(e.row, e.column, e.kind) for e in result.errors]


# --- workbooks: a stale <dimension> loses no row ------------------------------------------


def test_stale_dimension_tag_loses_no_row(db, home, tmp_path):
    source = tmp_path / "source.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for number in range(1, 6):
        sheet.append(person(f"DIM{number}"))
    workbook.save(source)
    path = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes `<dimension ref="…" />` or, with lxml, `<dimension ref="…"/>`.
                last = get_column_letter(len(HEADER)).encode()
                whole = b'<dimension ref="A1:%s6"' % last
                assert whole in data
                data = data.replace(whole, b'<dimension ref="A1:%s3"' % last)
            new.writestr(info, data)
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    assert result.new == 5 and officials(db) == 5


def test_cells_without_references_are_read_and_bounded(db, home, tmp_path):
    """Cells may omit r="A1" (they take the next position): such a sheet is read whole, and
    the guard still bounds it."""
    import re

    source = tmp_path / "source.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for number in range(1, 6):
        workbook.active.append(person(f"NOREF{number}"))
    workbook.save(source)
    path = tmp_path / "noref.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb' r="[A-Z]*[0-9]+"', b"", data)
                assert b' r="' not in data
            new.writestr(info, data)
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    assert result.new == 5


def test_errors_keep_the_row_numbers_of_every_format(db, home, tmp_path):
    """A blank row and a bad date: the same row and column whatever the format."""
    rows = [HEADER, person("R1"), [None] * len(HEADER), person("R2", birth_date="31/02/1990")]
    found = {}
    xlsx = tmp_path / "rows.xlsx"
    workbook = openpyxl.Workbook()
    for values in rows:
        workbook.active.append(values)
    workbook.save(xlsx)
    found["xlsx"] = xlsx
    for delimiter, name in ((";", "semi.csv"), ("\t", "tab.csv"), (",", "comma.csv")):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
        found[name] = path
    for name, path in found.items():
        result = importer.import_file(path)
        assert issues(result) == [(4, "birth_date", "bad_date")], name


# --- bombs: refused before any reader loads them -------------------------------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_bomb(path: Path, sheet_xml: str, strings) -> None:
    """An .xlsx whose sharedStrings.xml is written from the chunks of `strings`."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from import_officials import _PARTS
    finally:
        sys.path.remove(str(ROOT / "bench"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, _XML + xml)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>{sheet_xml}</sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as raw:
            raw.write(f'{_XML}<sst xmlns="{_MAIN}">'.encode())
            for chunk in strings:
                raw.write(chunk)
            raw.write(b"</sst>")


def _refusal_in_child(path: Path) -> dict:
    """Open `path` as the import does, in a child process whose address space is capped at
    1 GB (a bomb that got through would fail there, not exhaust the machine); return the
    refusal's kind and the child's peak RSS."""
    code = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from app.officials.imports.files import FileRefused, open_sheet
        try:
            open_sheet({str(path)!r}, None)
            kind = None
        except FileRefused as refused:
            kind = refused.issue.kind
        # VmHWM: this process's own peak (ru_maxrss would start from the parent's at fork).
        status = open("/proc/self/status").read().split("VmHWM:")[1]
        peak = int(status.split()[0]) / 1024
        print(json.dumps({{"kind": kind, "peak_mb": peak}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_fifteen_million_shared_strings_refused(db, home, tmp_path):
    path = tmp_path / "strings.xlsx"
    chunk = b"<si><t/></si>" * 100_000  # 15 million strings, 195 MB unpacked
    write_bomb(path, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', (chunk,) * 150)
    assert path.stat().st_size < 2_000_000
    found = _refusal_in_child(path)
    assert found["kind"] == "too_many_strings"
    assert found["peak_mb"] < 150, found
    result = importer.import_file(path)
    assert issues(result) == [(None, None, "too_many_strings")]
    assert "1000000 chuỗi văn bản" in result.error_messages()[0]
    assert officials(db) == 0


@pytest.mark.parametrize(("megabytes", "kind"), [(400, "part_too_large"), (150, "cell_too_long")])
def test_one_huge_cell_refused(db, home, tmp_path, megabytes, kind):
    """400 MB passes the size of a part (200 MB); 150 MB stays under it and is refused as a
    cell over 128 KB, after reading 128 KB of it."""
    path = tmp_path / "cell.xlsx"
    chunks = [b"<si><t>", *([b"a" * (1 << 20)] * megabytes), b"</t></si>"]
    write_bomb(path, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', chunks)
    assert path.stat().st_size < 2_000_000
    found = _refusal_in_child(path)
    assert found["kind"] == kind
    assert found["peak_mb"] < 150, found
    result = importer.import_file(path)
    assert issues(result) == [(None, None, kind)]
    assert ("200 MB" if kind == "part_too_large" else "128 KB") in result.error_messages()[0]


def test_far_away_cell_refused_before_the_reader_allocates_the_area(db, home, tmp_path):
    path = tmp_path / "far.xlsx"
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    sheet += '<row r="1000000"><c r="ZZ1000000" t="s"><v>0</v></c></row>'
    write_bomb(path, sheet, [b"<si><t>x</t></si>"])
    found = _refusal_in_child(path)
    assert found["kind"] == "sheet_too_large"
    assert issues(importer.import_file(path)) == [(None, None, "sheet_too_large")]


def test_ods_repeated_cells_refused(db, home, tmp_path):
    path = tmp_path / "repeat.ods"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:table="{table}">'
        "<office:body><office:spreadsheet><table:table>"
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
        'office:value="1"/></table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", _XML + content)
    assert _refusal_in_child(path)["kind"] == "sheet_too_large"


# --- CSV as it comes --------------------------------------------------------------------------


def test_semicolon_csv_keeps_a_quoted_name_whole(db, home, tmp_path):
    path = tmp_path / "semi.csv"
    lines = [";".join(HEADER)]
    values = person("SC1", full_name="Nguyễn Thị Thu, Hà")
    lines.append(";".join(f'"{v}"' if "," in v else v for v in values))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    assert db.session.scalar(select(Official.full_name)) == "Nguyễn Thị Thu, Hà"


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text_: str) -> bytes:
    """Windows-1258 as Vietnamese programs write it: ă â ê ô ơ ư đ precomposed, the five tone
    marks as combining characters after them."""
    out = b""
    for char in text_:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out += (base + tones).encode("cp1258")
    return out


def test_windows_1258_is_read_with_a_warning(db, home, tmp_path):
    path = tmp_path / "cp1258.csv"
    rows = [HEADER, person("W1", full_name="Đặng Thị Ngọc Hường")]
    text_ = csv_text(rows)
    path.write_bytes(cp1258(text_))
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    assert [w.kind for w in result.warnings] == ["legacy_encoding"]
    assert "Windows-1258" in result.warning_messages()[0]
    assert db.session.scalar(select(Official.full_name)) == "Đặng Thị Ngọc Hường"


# TCVN3 (ABC): one byte per Vietnamese letter, in the range Windows-1258 gives to symbols.
TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĐ",
        bytes.fromhex(
            "b5b6b7b8b9a8bbbcbdbec6a9c7c8c9cacbaecccecfd0d1aad2d3d4d5d6d7d8dcddde"
            "dfe1e2e3e4abe5e6e7e8e9aceaebecedeeeff1f2f3f4adf5f6f7f8f9fafbfcfdfea7"
        ),
        strict=True,
    )
)


def tcvn3(text_: str) -> bytes:
    out = bytearray()
    for char in text_:
        if char in TCVN3 or char.lower() in TCVN3:  # capitals are a font's business in TCVN3
            out.append(TCVN3.get(char, TCVN3.get(char.lower())))
        else:
            out += char.encode("ascii")
    return bytes(out)


def test_tcvn3_file_refused_with_its_row(db, home, tmp_path):
    keys = [column.key for column in COLUMNS]  # an ASCII header: only the names betray it
    rows = [person("T1", full_name="Le Thi Lan"), person("T2"), person("T3")]
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(tcvn3(csv_text([keys, *rows])))
    result = importer.import_file(path)
    assert issues(result) == [(2, None, "encoding")]  # row 2 holds Nội, Phòng ...
    assert result.error_messages() == [
        "Dòng 2: tệp không phải UTF-8 hay Windows-1258: hãy lưu lại dưới dạng CSV UTF-8."
    ]
    assert officials(db) == 0


def test_bad_byte_reported_at_its_row_after_multiline_cells(db, home, tmp_path):
    rows = [HEADER] + [
        person(f"ML{number}", position_title="Chuyên viên\nphòng") for number in range(1, 6)
    ]
    data = csv_text(rows).encode("utf-8")
    data += csv_text([person("ML9")]).encode("utf-8").replace(b"Thu", b"Th\xfb")
    path = tmp_path / "multiline.csv"
    path.write_bytes(data)
    result = importer.import_file(path)
    # Line 12 of the file, row 7 of the sheet; as Windows-1258 the UTF-8 letters are garbled.
    assert issues(result) == [(7, None, "encoding")]


def test_csv_field_over_the_limit_is_refused_not_a_500(app, db, world):  # noqa: F811
    client = client_for(app, world["province_hr"])
    content = csv_text([HEADER, person("BIG1", full_name="A" * 200_000)])
    _token, page = upload(client, content.encode())
    assert "Dòng 2: có ô dài hơn 128 KB" in page and count_box(page, "errors") == 1


# --- the web: every format, parsed once ---------------------------------------------------


@pytest.mark.parametrize("name", ["province_sample.xls", "province_sample.ods"])
def test_upload_page_reads_xls_and_ods(app, db, world, name):  # noqa: F811
    path = SHEETS / name
    if not path.exists():
        pytest.skip(f"the sheets fixtures are not at {SHEETS}")
    client = client_for(app, world["province_hr"])
    token, page = upload(client, path.read_bytes(), name=name, create=True)
    assert count_box(page, "errors") == 0 and count_box(page, "new") == 400
    response = client.post(f"/officials/import/{token}/apply")
    assert response.status_code == 302
    db.session.expire_all()
    assert officials(db) == 400 + 2


def test_preview_reload_does_not_read_the_file_again(app, db, world, uploads):  # noqa: F811
    client = client_for(app, world["province_hr"])
    content = csv_text([HEADER, person("PR1", organization="Phòng Nội vụ huyện Nhập")])
    token, page = upload(client, content.encode())
    assert count_box(page, "new") == 1
    (uploads / "imports" / token).write_bytes(b"not a spreadsheet any more")
    again = html(client.get(f"/officials/import/{token}"))
    assert count_box(again, "new") == 1 and count_box(again, "errors") == 0


# --- PostgreSQL: statistics refreshed after a bulk import (issue 8, item 12) ----------------


def test_import_refreshes_planner_statistics_on_postgresql(db, home, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    path = tmp_path / "many.csv"
    rows = [HEADER] + [person(f"AN{n:04d}") for n in range(300)]
    path.write_text(csv_text(rows), encoding="utf-8")
    result = importer.import_file(path)
    assert result.ok and result.written
    # The statistics describe this import's rows (its codes bound the histogram): ANALYZE
    # ran inside the import's transaction.
    bounds = db.session.scalar(
        text(
            "SELECT histogram_bounds::text FROM pg_stats "
            "WHERE tablename = :table AND attname = 'code'"
        ),
        {"table": Official.__table__.name},
    )
    assert bounds is not None and "AN0000" in bounds and "AN0299" in bounds
