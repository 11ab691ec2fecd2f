"""Reading the DOMAIN §5.3 test vectors (../shared/fixtures/<set>/) for the pure tests."""

import csv
from pathlib import Path

import pytest

from app.domain.sheet import check_duplicates, is_blank, map_headers, parse_row

SHARED_FIXTURES = Path(__file__).parents[2].parent / "shared" / "fixtures"


def require(folder: Path) -> None:
    """Skip (with the reason) when the shared fixtures are not beside the repository."""
    if not folder.is_dir():
        pytest.skip(f"DOMAIN fixtures not found at {folder}")


def read_rows(folder: Path, name: str) -> list[list[object]]:
    """The rows of fixture `name`: its .csv when there is one, else its .xlsx."""
    csv_path, xlsx_path = folder / f"{name}.csv", folder / f"{name}.xlsx"
    if csv_path.exists():
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    openpyxl = pytest.importorskip("openpyxl", reason="reading the .xlsx fixture needs openpyxl")
    workbook = openpyxl.load_workbook(xlsx_path, read_only=True, data_only=True)
    try:
        return [list(cells) for cells in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def parsed_rows(folder: Path, name: str) -> list:
    """The officials of fixture `name` parsed by the pure sheet parser (app.domain.sheet): the
    fixtures hold no error and no duplicate, which the test asserts on the way."""
    header, *data = read_rows(folder, name)
    mapping, errors = map_headers(header)
    assert errors == []
    rows = []
    for number, cells in enumerate(data, start=2):
        values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
        if is_blank(values):
            continue
        row, errors = parse_row(number, values)
        assert errors == [], errors
        rows.append(row)
    assert check_duplicates(rows) == []
    return rows
