"""The DOMAIN §5.3 test vectors, reproduced through the pure sheet parser and computation."""

import json
from datetime import date

import pytest

from app.domain.ladders import LADDERS, QualificationFact, level_at
from app.domain.targets import (
    KH_327_2017,
    AppointmentFact,
    OfficialFacts,
    compute_gaps,
    compute_report,
)
from tests.domain.fixture_files import SHARED_FIXTURES, parsed_rows, read_rows, require

FIXTURES = SHARED_FIXTURES / "m3"
AS_OF = date(2020, 11, 30)
FIXTURE_NAMES = ("province_sample", "empty_groups", "edge_cases")
REPORT_FIELDS = ("id", "group", "numerator", "denominator", "operator", "threshold")
REPORT_FIELDS += ("status", "shortfall")


def _require_fixtures() -> None:
    require(FIXTURES)


def _read_rows(name: str) -> list[list[object]]:
    return read_rows(FIXTURES, name)


def _facts(row) -> OfficialFacts:
    appointment = AppointmentFact(
        plan_level=row.plan_level,
        position_rank=row.position_rank,
        party_committee=row.party_committee,
        commune_key_post=row.commune_key_post,
        commune_full_time=row.commune_full_time,
        appointed_on=row.appointed_on,
        left_on=row.left_on,
    )
    # As the import does: one undated record per ladder above none, counting at every date.
    records = [
        QualificationFact(ladder, level, None)
        for ladder, level in row.levels.items()
        if level != "none"
    ]
    levels = {ladder: level_at(records, ladder, AS_OF) for ladder in LADDERS}
    return OfficialFacts(row.code, row.sex, row.birth_date, (appointment,), levels)


def _officials(name: str) -> list[OfficialFacts]:
    return [_facts(row) for row in parsed_rows(FIXTURES, name)]


def _expected(name: str, kind: str) -> dict:
    expected = json.loads((FIXTURES / f"{name}.{kind}.json").read_text(encoding="utf-8"))
    assert expected["target_set"] == KH_327_2017.code
    assert expected["as_of"] == AS_OF.isoformat()
    return expected


def test_every_fixture_is_covered():
    _require_fixtures()
    found = {path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json")}
    assert found == set(FIXTURE_NAMES)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_report_matches_fixture(name):
    _require_fixtures()
    results = compute_report(_officials(name), KH_327_2017, AS_OF)
    actual = [{key: result.to_json()[key] for key in REPORT_FIELDS} for result in results]
    assert actual == _expected(name, "expected")["indicators"]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_gaps_match_fixture(name):
    _require_fixtures()
    gaps = compute_gaps(_officials(name), KH_327_2017, AS_OF)
    actual = [
        {"code": gap.code, "population": gap.population, "missing": list(gap.missing)}
        for gap in gaps
    ]
    assert actual == _expected(name, "gaps")["officials"]
