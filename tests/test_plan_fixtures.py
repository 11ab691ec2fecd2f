"""The Mục tiêu 1/2 test vectors (DOMAIN §5.3, fixtures/m12) through the real import and the
real seats command: `flask officials import PATH --create-organizations`, `flask plan
seats-import PATH.seats.csv`, then the plan's computation over the database."""

import json
from datetime import date
from pathlib import Path

import pytest

from app.domain.plan import gaps_json

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "m12"
AS_OF = date(2020, 11, 30)
FIXTURE_FILES = ("province_sample.csv", "edge_cases.xlsx")
REPORT_FIELDS = ("id", "group", "numerator", "denominator", "operator", "threshold")
REPORT_FIELDS += ("status", "shortfall")


def _expected(name: str, kind: str) -> dict:
    return json.loads((FIXTURES / f"{name}.{kind}.json").read_text(encoding="utf-8"))


def _invoke(runner, *args) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


@pytest.fixture(params=FIXTURE_FILES)
def imported(request, runner):
    """The fixture sheet and its seats imported through the real CLI; yields the name."""
    path = FIXTURES / request.param
    if not path.exists():
        pytest.skip(f"DOMAIN fixture not found: {path}")
    _invoke(runner, "officials", "import", str(path), "--create-organizations")
    _invoke(runner, "plan", "seats-import", str(FIXTURES / f"{path.stem}.seats.csv"))
    return path.stem


def test_every_fixture_is_covered():
    if not FIXTURES.is_dir():
        pytest.skip(f"DOMAIN fixtures not found at {FIXTURES}")
    found = {p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json")}
    assert found == {Path(name).stem for name in FIXTURE_FILES}


def test_the_plan_reproduces_the_fixture(app, imported):
    from app.plan import services

    report = services.compute(AS_OF)
    actual = [{key: r.to_json()[key] for key in REPORT_FIELDS} for r in report.indicators]
    assert actual == _expected(imported, "expected")["indicators"]
    expected = _expected(imported, "gaps")
    found = gaps_json(report)
    assert found["untrained_gender_officers"] == expected["untrained_gender_officers"]
    as_sets = {entry["name"]: set(entry["missing"]) for entry in found["organizations"]}
    assert as_sets == {entry["name"]: set(entry["missing"]) for entry in expected["organizations"]}
