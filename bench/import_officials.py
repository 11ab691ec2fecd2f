"""Benchmark of the officials import (DOMAIN §5.1), against openpyxl's own reading speed.

    .venv/bin/python bench/import_officials.py [N] [--database-url URL]

Generates an N-row .xlsx (default 10,000) of realistic officials in a temporary directory,
then times, each in a fresh child process:
  (a) openpyxl read-only iteration over every row of that file,
  (a') python-calamine's read of every row of the same file (the reader the import uses:
       the floor), and
  (b) the full import (`--create-organizations`) into a fresh SQLite database, and also into
      a fresh PostgreSQL database created beside URL when --database-url is given,
and prints rows/s, peak RSS (the child's resource.getrusage(RUSAGE_SELF).ru_maxrss: the
whole process, Flask app and migrations included) and the ratios b/a and b/a'.
Targets (issue 9): 100,000 rows on SQLite with peak RSS < 300 MB and b/a' <= 8.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from itertools import chain
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.demo import data  # noqa: E402
from app.domain.ladders import LADDERS, PLAN_LEVELS, POSITION_RANKS, SEXES  # noqa: E402
from app.domain.sheet import COLUMNS  # noqa: E402


# As many names as HR really meets (the demo's lists): full names repeat, as they do.
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FAMILY = _words("Nguyễn Trần Lê Huỳnh Võ Phạm Phan Trương Đặng Ngô Hồ Bùi Đỗ Dương Lâm Đoàn")
MIDDLE = {
    "F": ("Thị", "Ngọc", "Thanh", "Kim", "Thu", "Hồng", "Mỹ", "Bích", "Thị Ngọc", "Thị Kim"),
    "M": ("Văn", "Hữu", "Minh", "Công", "Đức", "Quốc", "Thanh", "Hoàng", "Tấn", "Trung"),
}
GIVEN = {
    "F": _words(
        "Lan Hoa Hạnh Hương Hà Linh Mai Ngân Nhung Phượng Thảo Trang Tuyết Uyên Vân Yến Diễm "
        "Hằng Loan Nga Thủy Trinh Châu Duyên Hiền Hân Huyền Liên Oanh Quyên Sương Thơ Xuân Dung "
        "Giang Kiều Ly My Nhi Phương Tâm Thoa"
    ),
    "M": _words(
        "Anh Bình Cường Dũng Đạt Hải Hiếu Hòa Hùng Huy Khang Khoa Lâm Long Lộc Minh Nam Nghĩa "
        "Phong Phúc Quang Sang Sơn Tài Tâm Thắng Thành Thiện Tín Toàn Trí Trung Tuấn Việt Vinh "
        "Vũ Hậu Nhân Thịnh Khải"
    ),
}
RANKS = tuple(level.code for level in POSITION_RANKS)
TITLES = dict(
    zip(
        RANKS,
        (
            "Chuyên viên",
            "Phó Trưởng phòng",
            "Trưởng phòng",
            "Phó Giám đốc",
            "Giám đốc",
            "Phó Chủ tịch",
        ),
        strict=True,
    )
)


def _label(levels, code: str) -> str:
    return next(level.label_vi for level in levels if level.code == code)


def generate(path: Path, count: int, seed: int = 327) -> None:
    """Write `count` officials as HR's spreadsheets hold them: Vietnamese labels, date cells.

    The file is laid out as Excel and LibreOffice save it (shared strings, a <dimension>, dates
    as serial numbers with a date format), not as openpyxl's writer does (inline strings),
    which reads about twice as slowly and would flatter the ratio.
    """
    rng = random.Random(seed)
    organizations = [org for org in data.ORGANIZATIONS if org["parent"] is not None]
    rows = (_row(rng, number, organizations) for number in range(1, count + 1))
    header = [column.header_vi for column in COLUMNS]
    table = chain([header], ([row.get(column.key) for column in COLUMNS] for row in rows))
    write_excel_like(path, count + 1, len(COLUMNS), table)


_EPOCH = date(1899, 12, 30)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Cán bộ" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
        'formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/>'
        '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill '
        'patternType="none"/></fill></fills><borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" '
        'borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" '
        'xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle '
        'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_excel_like(path: Path, rows: int, width: int, table) -> None:
    """Stream `table` (lists of str, date, number or None) into an .xlsx laid out as Excel's."""
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    letters = [_column_letter(i) for i in range(width)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, _XML + xml)
        with archive.open("xl/worksheets/sheet1.xml", "w") as raw:
            raw.write(
                f'{_XML}<worksheet xmlns="{_MAIN}"><dimension ref="A1:{letters[-1]}{rows}"/>'
                "<sheetData>".encode()
            )
            for number, values in enumerate(table, start=1):
                cells = []
                for letter, value in zip(letters, values, strict=True):
                    ref = f"{letter}{number}"
                    if value is None or value == "":
                        continue
                    if isinstance(value, date):
                        serial = (value - _EPOCH).days
                        cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                    elif isinstance(value, str):
                        index = strings.setdefault(value, len(strings))
                        cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                raw.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            raw.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w") as raw:
            raw.write(f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                raw.write(f"<si><t>{escape(text)}</t></si>".encode())
            raw.write(b"</sst>")


def _row(rng: random.Random, number: int, organizations: list[dict]) -> dict:
    sex = "F" if rng.random() < 0.55 else "M"
    org = rng.choice(organizations)
    rank = rng.choices(RANKS, (70, 12, 8, 5, 3, 2))[0]
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 38))
    appointed = birth + timedelta(days=365 * 25 + rng.randrange(3000)) if rank != "staff" else None
    row = {
        "code": f"BT{number:07d}",
        "full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
        "sex": _label(SEXES, sex),
        "birth_date": birth,
        "ethnicity": rng.choices(("Kinh", "Hoa", "Khmer"), (97, 2, 1))[0],
        "category": rng.choice(("Công chức", "Viên chức", "Cán bộ")),
        "organization": org["name"],
        "parent_organization": org["parent"],
        "plan_level": _label(PLAN_LEVELS, org["plan_level"]),
        "position_title": TITLES[rank],
        "position_rank": _label(POSITION_RANKS, rank),
        "party_committee": "x" if rng.random() < 0.2 else None,
        "commune_key_post": "x" if org["plan_level"] == "commune" and rng.random() < 0.3 else None,
        "commune_full_time": "x" if org["plan_level"] == "commune" and rng.random() < 0.3 else None,
        "in_succession_pool": "x" if rng.random() < 0.1 else None,
        "appointed_on": appointed,
        "international_integration": "x" if rng.random() < 0.3 else None,
        "email": f"bt{number:07d}@bentre.example.vn" if rng.random() < 0.2 else None,
    }
    for ladder in ("political_theory", "education", "state_management", "defense_security",
                   "it_skill", "leadership_training"):  # fmt: skip
        row[ladder] = rng.choice(LADDERS[ladder].levels).label_vi
    return row


# --- the two timed phases, each run in its own child process -----------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def phase_read(path: str) -> dict:
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "rows": rows - 1,
        "peak_rss_mb": _peak_rss_mb(),
    }


def phase_calamine(path: str) -> dict:
    from python_calamine import CalamineWorkbook

    start, cpu = time.perf_counter(), time.process_time()
    workbook = CalamineWorkbook.from_path(path)
    rows = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "rows": rows - 1,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this session has used, when the server runs on
    this machine (/proc/PID/stat readable); None otherwise (SQLite, a remote server)."""
    from app.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        return None
    pid = db.session.execute(db.text("SELECT pg_backend_pid()")).scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def phase_import(path: str) -> dict:
    import flask_migrate

    from app import create_app
    from app.extensions import db
    from app.officials.imports import importer

    app = create_app("development")
    with app.app_context():
        flask_migrate.upgrade()
        before = _peak_rss_mb()
        server = _backend_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        result = importer.import_file(path, create_organizations=True)
        if not result.ok:
            raise SystemExit("\n".join(result.error_messages()[:20]))
        server_after = _backend_cpu()  # before the commit: it ends the session's connection
        db.session.commit()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        server_cpu = None if server is None else server_after - server
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rows": result.new,
        "records": result.records_added,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_import_mb": before,
        "server_cpu": server_cpu,
    }


def _child(phase: str, path: Path, env: dict) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--file", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- PostgreSQL: a throwaway database beside the given URL --------------------------------


def _postgres_database(url: str):
    import psycopg

    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]

    def drop():
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


# --- main --------------------------------------------------------------------------------


def _report(label: str, read: dict, calamine: dict, run: dict) -> None:
    print(
        f"{label:<10} import {run['rows']:>7} rows in {run['seconds']:7.2f} s "
        f"= {run['rows'] / run['seconds']:8.0f} rows/s (CPU {run['cpu']:.2f} s; "
        f"{run['records']} qualification records written)\n"
        f"{'':<10} peak RSS {run['peak_rss_mb']:.0f} MB ({run['rss_before_import_mb']:.0f} MB "
        f"before the import); ratio import/read = {run['seconds'] / read['seconds']:.2f} "
        f"(wall), {run['cpu'] / read['cpu']:.2f} (CPU of this process)\n"
        f"{'':<10} ratio import/calamine = {run['seconds'] / calamine['seconds']:.2f} (wall), "
        f"{run['cpu'] / calamine['cpu']:.2f} (CPU of this process)"
    )
    if run.get("server_cpu") is not None:
        both = run["cpu"] + run["server_cpu"]
        print(
            f"{'':<10} CPU of this process + the PostgreSQL backend = {both:.2f} s "
            f"(backend {run['server_cpu']:.2f} s); ratio to the openpyxl read's CPU = "
            f"{both / read['cpu']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--database-url", help="a PostgreSQL server to also run against")
    parser.add_argument("--phase", choices=("read", "calamine", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run = {"read": phase_read, "calamine": phase_calamine, "import": phase_import}[args.phase]
        print(json.dumps(run(args.file)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        path = Path(folder) / f"officials-{args.n}.xlsx"
        start = time.perf_counter()
        generate(path, args.n)
        size = path.stat().st_size / 1e6
        print(f"generated {args.n} rows ({size:.1f} MB) in {time.perf_counter() - start:.1f} s")
        read = _child("read", path, {})
        print(
            f"openpyxl   read   {read['rows']:>7} rows in {read['seconds']:7.2f} s "
            f"= {read['rows'] / read['seconds']:8.0f} rows/s (CPU {read['cpu']:.2f} s); "
            f"peak RSS {read['peak_rss_mb']:.0f} MB"
        )
        calamine = _child("calamine", path, {})
        print(
            f"calamine   read   {calamine['rows']:>7} rows in {calamine['seconds']:7.2f} s "
            f"= {calamine['rows'] / calamine['seconds']:8.0f} rows/s (CPU "
            f"{calamine['cpu']:.2f} s); peak RSS {calamine['peak_rss_mb']:.0f} MB"
        )
        env = {"INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{folder}/bench.db"}
        env["APP_CONFIG"] = "development"
        _report("sqlite", read, calamine, _child("import", path, env))
        if args.database_url:
            url, drop = _postgres_database(args.database_url)
            try:
                _report(
                    "postgresql",
                    read,
                    calamine,
                    _child("import", path, {**env, "DATABASE_URL": url}),
                )
            finally:
                drop()
    print(
        "peak RSS = ru_maxrss of each child process (resource.getrusage), the whole process;\n"
        "CPU = time.process_time() of the child (PostgreSQL's own work is not in it; its\n"
        "backend's CPU, read from /proc when the server runs on this machine, is shown apart);\n"
        "on a busy machine wall times stretch: compare the CPU ratios there"
    )


if __name__ == "__main__":
    main()
