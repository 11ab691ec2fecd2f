"""The Mục tiêu 1/2 test vectors (DOMAIN §5.3, fixtures/m12) through the real import and the
real seats command: `flask officials import PATH --create-organizations`, `flask plan
seats-import PATH.seats.csv`, then `flask progress report` and `flask progress gaps`, whose
Mục tiêu 1–2 parts must equal the vectors."""

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


def test_the_report_reproduces_the_fixture(runner, imported):
    """`flask progress report`: the Mục tiêu 1–2 entries of KH-327-2017, after Mục tiêu 3's."""
    report = json.loads(_invoke(runner, "progress", "report", "--as-of", AS_OF.isoformat()))
    expected = _expected(imported, "expected")
    assert (report["target_set"], report["as_of"]) == (expected["target_set"], expected["as_of"])
    plan = [entry for entry in report["indicators"] if entry["id"].split(".")[0] in {"M1", "M2"}]
    assert [{key: entry[key] for key in REPORT_FIELDS} for entry in plan] == expected["indicators"]
    assert report["indicators"][-len(plan) :] == plan
    for entry in plan:  # no forecast for Mục tiêu 1–2: it repeats the present
        assert entry["forecast_numerator"] == entry["numerator"]
        assert entry["forecast_status"] == entry["status"]


def test_the_gaps_reproduce_the_fixture(runner, imported):
    """`flask progress gaps`: §9's organizations (missing items in any order) and the sorted
    codes of the untrained gender-equality officers."""
    gaps = json.loads(_invoke(runner, "progress", "gaps", "--as-of", AS_OF.isoformat()))
    expected = _expected(imported, "gaps")
    assert (gaps["target_set"], gaps["as_of"]) == (expected["target_set"], expected["as_of"])
    assert gaps["untrained_gender_officers"] == expected["untrained_gender_officers"]
    names = [entry["name"] for entry in gaps["organizations"]]
    assert len(names) == len(set(names))
    as_sets = {entry["name"]: set(entry["missing"]) for entry in gaps["organizations"]}
    assert as_sets == {entry["name"]: set(entry["missing"]) for entry in expected["organizations"]}


def test_the_plan_service_agrees_with_the_cli(runner, imported):
    """The plan's own entry point (used by the yearly report) gives the same figures."""
    from app.plan import services

    report = services.compute(AS_OF)
    actual = [{key: r.to_json()[key] for key in REPORT_FIELDS} for r in report.indicators]
    assert actual == _expected(imported, "expected")["indicators"]
    found = gaps_json(report)
    assert (
        found["untrained_gender_officers"]
        == _expected(imported, "gaps")["untrained_gender_officers"]
    )
