"""The Mục tiêu 1/2 test vectors (DOMAIN §5.3, fixtures/m12), reproduced through the pure sheet
parser and app.domain.plan, organizations made as the import makes them (DOMAIN §9): the kind
the rows give, else `state` (a parent named in `parent_organization`), and
`needs_gender_equality_officer` defaulted from the kind."""

import csv
import json
from datetime import date

import pytest

from app.domain.ladders import LADDERS, QualificationFact, level_at
from app.domain.plan import (
    DEFAULT_KIND,
    KH_327_2017_PLAN,
    OrganizationFact,
    SeatEntry,
    compute_plan,
    default_needs_gender_equality_officer,
    gaps_json,
)
from app.domain.targets import AppointmentFact, OfficialFacts
from tests.domain.fixture_files import SHARED_FIXTURES, parsed_rows, read_rows, require

FIXTURES = SHARED_FIXTURES / "m12"
AS_OF = date(2020, 11, 30)
FIXTURE_NAMES = ("province_sample", "edge_cases")
REPORT_FIELDS = ("id", "group", "numerator", "denominator", "operator", "threshold")
REPORT_FIELDS += ("status", "shortfall")


def _require_fixtures() -> None:
    require(FIXTURES)


def _read_rows(name: str) -> list[list[object]]:
    return read_rows(FIXTURES, name)


def _rows(name: str):
    return parsed_rows(FIXTURES, name)


def _organizations(rows) -> dict[str, OrganizationFact]:
    kinds: dict[str, str | None] = {}
    for row in rows:
        given = row.organization_kind
        held = kinds.get(row.organization)
        assert held is None or given is None or held == given, row.row  # no conflict in fixtures
        kinds[row.organization] = held or given
        if row.parent_organization:
            kinds.setdefault(row.parent_organization, None)
    organizations = {}
    for number, (name, kind) in enumerate(sorted(kinds.items()), start=1):
        kind = kind or DEFAULT_KIND
        needs = default_needs_gender_equality_officer(kind)
        organizations[name] = OrganizationFact(number, name, kind, needs)
    return organizations


def _official(row, organizations) -> OfficialFacts:
    appointment = AppointmentFact(
        plan_level=row.plan_level,
        position_rank=row.position_rank,
        party_committee=row.party_committee,
        commune_key_post=row.commune_key_post,
        commune_full_time=row.commune_full_time,
        appointed_on=row.appointed_on,
        left_on=row.left_on,
        organization=organizations[row.organization].id,
        key_leader=row.key_leader,
        gender_equality_role=row.gender_equality_role,
        is_primary=True,
    )
    records = [QualificationFact(ladder, level, None) for ladder, level in row.levels.items()]
    levels = {ladder: level_at(records, ladder, AS_OF) for ladder in LADDERS}
    return OfficialFacts(row.code, row.sex, row.birth_date, (appointment,), levels)


def _seats(name: str) -> list[SeatEntry]:
    with (FIXTURES / f"{name}.seats.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [
            SeatEntry(
                record["body"],
                int(record["seats"]),
                int(record["women"]),
                date.fromisoformat(record["entered_on"]),
                sequence,
            )
            for sequence, record in enumerate(csv.DictReader(handle))
        ]


def _report(name: str):
    rows = _rows(name)
    organizations = _organizations(rows)
    officials = [_official(row, organizations) for row in rows]
    return compute_plan(officials, organizations.values(), _seats(name), AS_OF, KH_327_2017_PLAN)


def _expected(name: str, kind: str) -> dict:
    expected = json.loads((FIXTURES / f"{name}.{kind}.json").read_text(encoding="utf-8"))
    assert (expected["target_set"], expected["as_of"]) == ("KH-327-2017", AS_OF.isoformat())
    return expected


def test_every_fixture_is_covered():
    _require_fixtures()
    found = {path.name.removesuffix(".expected.json") for path in FIXTURES.glob("*.expected.json")}
    assert found == set(FIXTURE_NAMES)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_report_matches_fixture(name):
    _require_fixtures()
    actual = [
        {key: result.to_json()[key] for key in REPORT_FIELDS} for result in _report(name).indicators
    ]
    assert actual == _expected(name, "expected")["indicators"]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_gaps_match_fixture(name):
    _require_fixtures()
    expected = _expected(name, "gaps")
    actual = gaps_json(_report(name))
    assert actual["untrained_gender_officers"] == expected["untrained_gender_officers"]
    # "in any order" (DOMAIN §9): compared as sets of items per organization.
    as_sets = {entry["name"]: set(entry["missing"]) for entry in actual["organizations"]}
    wanted = {entry["name"]: set(entry["missing"]) for entry in expected["organizations"]}
    assert as_sets == wanted
