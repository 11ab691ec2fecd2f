"""Fuzzing every operation of /api/v1/openapi.json with schemathesis.

The app is reached in-process (WSGI) with the bearer token of an admin and of a unit HR, against
a small seeded database inside the `db` fixture's transaction (nothing leaks into other tests).
For every operation, valid and invalid requests: never a 500, and every response documented
(status, content type, body schema). Path ids and organization ids in bodies are drawn half of
the time from the seeded objects, so that requests get past the 404s into the services.
"""

import contextvars
import time
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.fuzz

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 20
ADULTS = ["1970-01-31", "1985-05-17", "2000-02-29"]
# Seconds per operation fuzzed (both modes, both tokens), on average.
BUDGET_PER_OPERATION = 4


def isolated(app):
    """Each request in its own context (own `g`, own session), as on a real server; the test
    keeps its app context open for the seeded objects."""

    def wsgi(environ, start_response):
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


@pytest.fixture
def seeded(db, create_organization, create_official, create_user, api_token):
    province = create_organization(name="UBND tỉnh Fuzz", plan_level="province")
    unit = create_organization(name="UBND huyện Fuzz", plan_level="district", parent=province)
    commune = create_organization(name="UBND xã Fuzz", plan_level="commune", parent=unit)
    other = create_organization(name="UBND huyện Khác Fuzz", plan_level="district", parent=province)
    officials = [
        create_official(code="F001", organization=unit, appointed_on=date(2015, 1, 1)),
        create_official(code="F002", full_name="Lê Văn Hùng", sex="M", organization=commune),
        create_official(code="F003", organization=other, position_rank="division_head"),
    ]
    tokens = {
        "admin": api_token(create_user("admin")),
        "unit_hr": api_token(create_user("unit_hr", organization=unit)),
    }
    db.session.commit()
    return {
        "tokens": tokens,
        "official_id": [o.id for o in officials],
        "appointment_id": [o.primary_appointment.id for o in officials],
        "organization_id": [province.id, unit.id, commune.id, other.id],
    }


AIM = st.sampled_from([True, True, True, False])  # mostly aimed; shrinks towards aimed


def _aim(case, data, seeded) -> None:
    """Mostly point the case's ids at seeded objects (an official with one of her own posts),
    and give a new official an adult's birth date, so that requests get past the 404s and
    422s into the services."""
    params = case.path_parameters or {}
    if params and data.draw(AIM, label="aim path"):
        index = data.draw(st.integers(0, len(seeded["official_id"]) - 1), label="official")
        for name in ("official_id", "appointment_id"):
            if name in params:
                params[name] = seeded[name][index]
        if "organization_id" in params:
            params["organization_id"] = data.draw(st.sampled_from(seeded["organization_id"]))
    if not isinstance(case.body, dict):
        return
    for name in ("organization_id", "parent_id"):
        if name in case.body and data.draw(AIM, label=f"aim {name}"):
            pool = seeded["organization_id"]
            case.body[name] = data.draw(st.sampled_from(pool), label=name)
    if "birth_date" in case.body and data.draw(AIM, label="aim birth_date"):
        case.body["birth_date"] = data.draw(st.sampled_from(ADULTS), label="birth_date")


def test_fuzz_every_operation(app, db, seeded):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app))
    # DELETE /tokens revokes the fuzzer's own tokens: every later operation would only get
    # 401s. It is tested in tests/test_tokens.py.
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if (operation.method.upper(), operation.path) != ("DELETE", "/api/v1/tokens")
    ]
    assert len(operations) >= 12
    started = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, data=st.data())
            def fuzz(case, data):
                _aim(case, data, seeded)
                for headers in seeded["tokens"].values():
                    case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                fuzz()
            except Exception as error:
                error.add_note(f"while fuzzing {operation.label} ({mode})")
                raise
    elapsed = time.monotonic() - started
    budget = BUDGET_PER_OPERATION * len(operations)
    assert elapsed < budget, f"fuzzing {len(operations)} operations took {elapsed:.0f} s"
