# ruff: noqa: F811 - the fixtures (home, world, uploads) come from the import tests
"""Uploads that try to hurt (issue 17, point 5): an oversize file, a zip bomb disguised as
.xlsx, a sheet of a million empty rows, a CSV in a wrong encoding, formula cells. Each is
refused with a Vietnamese message or neutralised; nothing is written. The files are made here,
cheaply (zipfile and bytes); the heavy ones are opened in a child process whose address space
is capped, with a generous time bound (they finish, they do not hang)."""

import csv
import io
import json
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain.sheet import COLUMNS
from app.officials.imports import importer
from app.officials.models import Official
from tests.test_import_formats import HEADER, csv_text, home, issues, officials, person  # noqa: F401
from tests.test_import_pages import (  # noqa: F401 - fixtures
    client_for,
    count_box,
    html,
    upload,
    uploads,
    world,
)

ROOT = Path(__file__).resolve().parents[1]
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _parts() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from import_officials import _PARTS
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return _PARTS


def write_xlsx(path: Path, sheet_chunks, dimension: str | None = None, extra=()) -> None:
    """An .xlsx whose sheet XML is streamed from `sheet_chunks` (bytes) and whose shared
    strings are the §5.1 headers; `extra` adds (name, bytes) parts."""
    strings = "".join(f"<si><t>{header}</t></si>" for header in HEADER)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _parts().items():
            archive.writestr(name, _XML + xml)
        archive.writestr(
            "xl/sharedStrings.xml", f'{_XML}<sst xmlns="{_MAIN}">{strings}</sst>'.encode()
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as raw:
            raw.write(f'{_XML}<worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                raw.write(f'<dimension ref="{dimension}"/>'.encode())
            raw.write(b"<sheetData>")
            for chunk in sheet_chunks:
                raw.write(chunk)
            raw.write(b"</sheetData></worksheet>")
        for name, data in extra:
            with archive.open(name, "w") as raw:
                for chunk in data:
                    raw.write(chunk)


def header_row() -> bytes:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(i + 1)}1" t="s"><v>{i}</v></c>'
        for i in range(len(HEADER))
    )
    return f'<row r="1">{cells}</row>'.encode()


def inline_row(number: int, values: list) -> bytes:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(i + 1)}{number}" t="inlineStr">'
        f"<is><t>{value}</t></is></c>"
        for i, value in enumerate(values)
        if value
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def read_in_child(path: Path, name: str | None = None) -> dict:
    """Open `path` as the import does and read every row, in a child process capped at 1 GB
    of address space and 120 s: the refusal's kind (or None), rows read and peak RSS."""
    code = textwrap.dedent(
        f"""
        import json, resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from app.officials.imports.files import FileRefused, open_sheet
        rows, kind = 0, None
        try:
            sheet = open_sheet({str(path)!r}, {name!r})
            rows = sum(1 for _row in sheet.rows)
            sheet.close()
        except FileRefused as refused:
            kind = refused.issue.kind
        status = open("/proc/self/status").read().split("VmHWM:")[1]
        print(json.dumps({{"kind": kind, "rows": rows, "peak_mb": int(status.split()[0]) / 1024}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- an oversize file: the 413 page, nothing kept -----------------------------------------


def test_oversize_upload_gets_a_clear_413_and_nothing_is_kept(app, db, world, uploads):
    client = client_for(app, world["province_hr"])
    before = officials(db)
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/officials/import", data={"file": (io.BytesIO(big), "can-bo.csv")})
    assert response.status_code == 413
    page = html(response)
    assert "Tệp quá lớn" in page
    assert "vượt quá dung lượng cho phép (10 MB); không có gì được ghi" in page
    kept = uploads / "imports"
    assert not kept.exists() or not any(kept.iterdir())
    assert officials(db) == before


# --- zip bombs disguised as .xlsx -----------------------------------------------------------


def _zeros(megabytes: int):
    return [b"\0" * (1 << 20)] * megabytes


def _lie_about_sizes(path: Path, part: str, size: int) -> None:
    """Rewrite the uncompressed size the zip declares for `part` (local header and central
    directory), as a bomb's author would."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[start + offset : start + offset + 4] = struct.pack("<I", size)
            start += 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("lying", [False, True], ids=["declared", "lying-headers"])
def test_bomb_part_refused_by_its_compression_ratio(db, home, tmp_path, lying):
    """64 MB of zeros in a part (64 KB packed): under the part and total sizes, refused by its
    ratio once 32 MB are unpacked, whatever size the zip claims for it."""
    path = tmp_path / "bomb.xlsx"
    write_xlsx(path, [header_row()], extra=[("xl/media/image1.bin", _zeros(64))])
    if lying:
        _lie_about_sizes(path, "xl/media/image1.bin", 100)
    assert path.stat().st_size < 1_000_000
    found = read_in_child(path)
    assert found["kind"] == "compression_ratio" and found["peak_mb"] < 150, found
    result = importer.import_file(path)
    assert issues(result) == [(None, None, "compression_ratio")]
    message = result.error_messages()[0]
    assert "xl/media/image1.bin" in message and "200 lần" in message
    assert officials(db) == 0


def test_declared_total_size_refused_before_anything_is_unpacked(db, home, tmp_path):
    """Parts claiming 3 x 150 MB (each under the part limit, together over 300 MB)."""
    path = tmp_path / "claims.xlsx"
    extra = [(f"xl/media/image{n}.bin", [b"\0" * 1000]) for n in range(3)]
    write_xlsx(path, [header_row()], extra=extra)
    for name, _data in extra:
        _lie_about_sizes(path, name, 150 * 1024 * 1024)
    found = read_in_child(path)
    assert found["kind"] == "archive_too_large", found
    result = importer.import_file(path)
    assert issues(result) == [(None, None, "archive_too_large")]
    assert "300 MB" in result.error_messages()[0]


def test_bomb_through_the_page_shows_the_message_and_writes_nothing(app, db, world, tmp_path):
    path = tmp_path / "can-bo.xlsx"
    write_xlsx(path, [header_row()], extra=[("xl/media/image1.bin", _zeros(40))])
    client = client_for(app, world["province_hr"])
    before = officials(db)
    _token, page = upload(client, path.read_bytes(), name="can-bo.xlsx")
    assert "Tệp bị từ chối" in page and "xl/media/image1.bin" in page
    assert count_box(page, "errors") == 1
    assert officials(db) == before


# --- a sheet of a million empty rows ----------------------------------------------------------


def _million(template: bytes):
    """1,048,575 rows after the header, in chunks (about 20 MB of XML, a few MB packed)."""
    for start in range(2, 1_048_577, 65_536):
        stop = min(start + 65_536, 1_048_577)
        yield b"".join(template % number for number in range(start, stop))


def _empty_rows():
    return _million(b'<row r="%d"/>')


def _formatted_cells():
    for start in range(2, 1_048_577, 65_536):
        stop = min(start + 65_536, 1_048_577)
        yield b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (n, n) for n in range(start, stop))


def _unnumbered_rows():
    return (b"<row/>" * 65_536 for _ in range(16))


@pytest.mark.parametrize("rows", [_empty_rows, _formatted_cells, _unnumbered_rows])
def test_a_million_empty_rows_are_refused_quickly(db, home, tmp_path, rows):
    path = tmp_path / "rows.xlsx"
    write_xlsx(path, [header_row(), *rows()], dimension="A1:Z1048576")
    assert path.stat().st_size < 10 * 1024 * 1024  # under the upload limit
    found = read_in_child(path)
    # Rows without a number are counted as rows of data (their place is not known).
    kinds = {"too_many_rows", "sheet_too_large"} if rows is _unnumbered_rows else {"too_many_rows"}
    assert found["kind"] in kinds and found["peak_mb"] < 200, found
    result = importer.import_file(path)
    assert issues(result) == [(None, None, found["kind"])]
    message = result.error_messages()[0]
    assert message.startswith("Tệp bị từ chối") and "200000 dòng" in message
    if found["kind"] == "too_many_rows":
        assert "kể cả các dòng trống" in message
    assert officials(db) == 0


def test_a_claimed_million_rows_and_a_formatted_last_cell_are_neutralised(db, home, tmp_path):
    """A <dimension> claiming A1:Z1048576 and a formatted empty cell at Z1048576: no data, so
    the two real rows are read (quickly, in little memory) and imported."""
    path = tmp_path / "claimed.xlsx"
    chunks = [
        header_row(),
        inline_row(2, person("AB0001")),
        inline_row(3, person("AB0002", full_name="Lê Thị Hai")),
        b'<row r="1048576"><c r="Z1048576" s="1"/></row>',
    ]
    write_xlsx(path, chunks, dimension="A1:Z1048576")
    found = read_in_child(path)
    assert found["kind"] is None and found["rows"] == 3 and found["peak_mb"] < 200, found
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    assert result.new == 2 and officials(db) == 2


# --- CSV in a wrong encoding ---------------------------------------------------------------

KEYS = [column.key for column in COLUMNS]


def western(code: str, full_name: str) -> list:
    """A row in codes and ASCII but its name: a sheet a Western European program could save."""
    values = {
        "code": code,
        "full_name": full_name,
        "sex": "F",
        "birth_date": "02/04/1988",
        "organization": "Phong Noi vu huyen Thu",
        "plan_level": "district",
        "position_rank": "staff",
    }
    return [values.get(key, "") for key in KEYS]


def test_windows_1252_csv_is_refused_at_its_row(db, home, tmp_path):
    """Western European bytes (ß, ç, ü) are neither UTF-8 nor Vietnamese Windows-1258."""
    path = tmp_path / "cp1252.csv"
    text = csv_text([KEYS, western("EN0001", "Anna Berg"), western("EN0002", "Françoise Müßig")])
    path.write_bytes(text.encode("cp1252", errors="strict"))
    result = importer.import_file(path)
    assert issues(result) == [(3, None, "encoding")]
    assert result.error_messages() == [
        "Dòng 3: tệp không phải UTF-8 hay Windows-1258: hãy lưu lại dưới dạng CSV UTF-8."
    ]
    assert officials(db) == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_csv_is_refused_with_the_encoding_message(db, home, tmp_path, encoding):
    """Excel's "Unicode Text": UTF-16 (with its BOM, or without it and named .csv)."""
    path = tmp_path / "unicode.csv"
    path.write_bytes(csv_text([HEADER, person("U16001")], delimiter="\t").encode(encoding))
    result = importer.import_file(path)
    assert issues(result) == [(None, None, "encoding")]
    assert "không phải UTF-8 hay Windows-1258" in result.error_messages()[0]
    assert "CSV UTF-8" in result.error_messages()[0]
    assert officials(db) == 0


def test_wrong_encoding_through_the_page_and_the_command_line(app, db, world, runner, tmp_path):
    data = csv_text([KEYS, western("EN0003", "Ærøskøbing")]).encode("cp1252")
    client = client_for(app, world["province_hr"])
    before = officials(db)
    _token, page = upload(client, data)
    assert "tệp không phải UTF-8 hay Windows-1258" in page and count_box(page, "errors") == 1
    path = tmp_path / "can-bo.csv"
    path.write_bytes(data)
    done = runner.invoke(args=["officials", "import", str(path)])
    assert done.exit_code == 1
    assert "Dòng 2: tệp không phải UTF-8 hay Windows-1258" in done.output
    assert officials(db) == before


# --- formula cells: read as text, or as the value the program saved; never evaluated --------


def test_formula_cells_in_a_workbook_are_never_evaluated(db, home, tmp_path):
    """A formula without a saved value (as openpyxl writes it) is an empty cell: the required
    name is missing, the row refused. Text that looks like a formula stays text, and the
    export writes it back as text, never as a formula."""
    path = tmp_path / "formulas.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(person("FM0001", full_name='=HYPERLINK("http://evil.example","Hoa")'))
    workbook.save(path)
    result = importer.import_file(path)
    assert [(e.row, e.column, e.kind) for e in result.errors] == [(2, "full_name", "required")]
    assert officials(db) == 0

    text_path = tmp_path / "text.xlsx"
    write_xlsx(text_path, [header_row(), inline_row(2, person("FM0002", full_name="=1+1"))])
    result = importer.import_file(text_path)
    assert result.ok, result.error_messages()
    stored = db.session.scalar(select(Official).where(Official.code == "FM0002"))
    assert stored.full_name == "=1+1"


def test_saved_formula_value_is_read_not_the_formula(db, home, tmp_path):
    path = tmp_path / "saved.xlsx"
    values = person("FM0003")
    name_column = [column.key for column in COLUMNS].index("full_name")
    letter = openpyxl.utils.get_column_letter(name_column + 1)
    row = inline_row(2, [v if i != name_column else "" for i, v in enumerate(values)])
    formula = (
        f'<c r="{letter}2" t="str"><f>HYPERLINK("http://evil.example","x")</f>'
        "<v>Trần Thị Lưu</v></c>"
    ).encode()
    row = row.replace(b"</row>", formula + b"</row>")
    write_xlsx(path, [header_row(), row])
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    stored = db.session.scalar(select(Official).where(Official.code == "FM0003"))
    assert stored.full_name == "Trần Thị Lưu"


def test_formula_text_in_a_csv_is_text(db, home, tmp_path):
    path = tmp_path / "formulas.csv"
    rows = [
        HEADER,
        person("FC0001", full_name="=1+1"),
        person("FC0002", full_name='\'=HYPERLINK("http://evil.example")'),
    ]
    path.write_text(csv_text(rows), encoding="utf-8")
    result = importer.import_file(path)
    assert result.ok, result.error_messages()
    names = dict(db.session.execute(select(Official.code, Official.full_name)).all())
    assert names == {"FC0001": "=1+1", "FC0002": '=HYPERLINK("http://evil.example")'}


def test_export_writes_formula_like_text_as_text(db, home, tmp_path):
    from app.officials import exporter

    path = tmp_path / "formulas.csv"
    path.write_text(csv_text([HEADER, person("FX0001", full_name="=1+1")]), encoding="utf-8")
    assert importer.import_file(path).ok
    workbook_path = tmp_path / "export.xlsx"
    with workbook_path.open("wb") as handle:
        exporter.write_xlsx(handle)
    sheet = openpyxl.load_workbook(workbook_path).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    text = "".join(exporter.iter_csv())
    assert any("'=1+1" in row for row in csv.reader(io.StringIO(text)))
