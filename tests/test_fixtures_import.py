"""The DOMAIN §5.3 spreadsheets go in through the real CLI import and give, per official,
exactly what they say: her data, her primary post and her level on every ladder."""

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.sheet import check_duplicates, is_blank, map_headers, parse_row
from app.officials.models import Official
from app.qualifications import levels as qualifications

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "m3"
AS_OF = date(2020, 11, 30)
FIXTURE_NAMES = ("province_sample", "empty_groups", "edge_cases")


def fixture_path(name: str) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"the DOMAIN fixtures are not at {FIXTURES} (../shared beside the repo)")
    for suffix in (".csv", ".xlsx"):
        path = FIXTURES / f"{name}{suffix}"
        if path.exists():
            return path
    pytest.skip(f"no spreadsheet for the fixture {name} in {FIXTURES}")


def sheet_rows(path: Path) -> list:
    """The fixture's rows as the pure sheet rules read them (the expectation)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header, *data = list(csv.reader(handle))
    else:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        header, *data = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    mapping, errors = map_headers(header)
    assert errors == []
    rows = []
    for number, cells in enumerate(data, start=2):
        values = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
        if not is_blank(values):
            row, errors = parse_row(number, values)
            assert errors == []
            rows.append(row)
    assert check_duplicates(rows) == []
    return rows


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_imports_exactly(db, runner, name):
    path = fixture_path(name)
    result = runner.invoke(args=["officials", "import", str(path), "--create-organizations"])
    assert result.exit_code == 0, result.output
    rows = sheet_rows(path)
    assert f"{len(rows)} cán bộ mới" in result.output
    db.session.expire_all()
    officials = {o.code: o for o in db.session.scalars(select(Official))}
    assert set(officials) == {row.code for row in rows}
    all_levels = qualifications.levels_at_for_all(AS_OF, official_ids=select(Official.id))
    for row in rows:
        official = officials[row.code]
        expected_levels = row.levels
        assert qualifications.current_levels(official, AS_OF) == expected_levels, row.code
        assert all_levels[official.id] == expected_levels, row.code
        person = (official.full_name, official.sex, official.birth_date, official.ethnicity)
        assert person == (row.full_name, row.sex, row.birth_date, row.ethnicity)
        assert official.email == row.email
        (post,) = official.appointments
        assert post.is_primary
        assert (post.organization.name, post.organization.plan_level) == (
            row.organization,
            row.plan_level,
        )
        assert (post.title, post.position_rank, post.appointed_on, post.left_on) == (
            row.position_title,
            row.position_rank,
            row.appointed_on,
            row.left_on,
        )
        flags = (post.party_committee, post.commune_key_post, post.commune_full_time)
        assert flags == (row.party_committee, row.commune_key_post, row.commune_full_time)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_imported_twice_changes_nothing(db, runner, name):
    path = fixture_path(name)
    args = ["officials", "import", str(path), "--create-organizations"]
    assert runner.invoke(args=args).exit_code == 0
    count = db.session.scalar(select(func.count()).select_from(Official))
    again = runner.invoke(args=args)
    assert again.exit_code == 0, again.output
    assert f"0 cán bộ mới, 0 cập nhật, {count} không đổi" in again.output
    assert "0 bản ghi trình độ thêm; 0 đơn vị tạo mới" in again.output
