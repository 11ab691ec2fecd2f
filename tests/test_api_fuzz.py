"""Fuzzing every operation of /api/v1/openapi.json with schemathesis.

The app is reached in-process (WSGI) with the bearer token of an admin and of a unit HR, against
a small seeded database inside the `db` fixture's transaction (nothing leaks into other tests).
For every operation, valid and invalid requests: never a 500, and every response documented
(status, content type, body schema). Path ids and organization ids in bodies are drawn half of
the time from the seeded objects, so that requests get past the 404s into the services.
"""

import contextvars
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

from app.enrolment import services as enrolment

pytestmark = pytest.mark.fuzz

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 20
ADULTS = ["1970-01-31", "1985-05-17", "2000-02-29"]


def isolated(app):
    """Each request in its own context (own `g`, own session), as on a real server; the test
    keeps its app context open for the seeded objects."""

    def wsgi(environ, start_response):
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


@pytest.fixture
def seeded(
    db, create_organization, create_official, create_user, api_token, create_course, create_session
):
    province = create_organization(name="UBND tỉnh Fuzz", plan_level="province")
    unit = create_organization(name="UBND huyện Fuzz", plan_level="district", parent=province)
    commune = create_organization(name="UBND xã Fuzz", plan_level="commune", parent=unit)
    other = create_organization(name="UBND huyện Khác Fuzz", plan_level="district", parent=province)
    officials = [
        create_official(code="F001", organization=unit, appointed_on=date(2015, 1, 1)),
        create_official(code="F002", full_name="Lê Văn Hùng", sex="M", organization=commune),
        create_official(code="F003", organization=other, position_rank="division_head"),
    ]
    trainer = create_user("trainer")
    courses = [
        create_course(organizer=unit, capacity=1, trainer_ids=[trainer.id]),
        create_course(organizer=other, capacity=2, requires_approval=True),
    ]
    sessions = [create_session(course) for course in courses]
    enrolments = [
        enrolment.register(courses[0].id, officials[0], None),
        enrolment.register(courses[0].id, officials[1], None),  # waitlisted
        enrolment.register(courses[1].id, officials[2], None),  # pending
    ]
    tokens = {
        "admin": api_token(create_user("admin")),
        "unit_hr": api_token(create_user("unit_hr", organization=unit)),
    }
    db.session.commit()
    return {
        "tokens": tokens,
        "course_id": [c.id for c in courses],
        "session_id": [s.id for s in sessions],
        "enrolment_id": [e.id for e in enrolments],
        "trainer_id": [trainer.id],
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
        for name in ("course_id", "session_id", "enrolment_id"):
            if name in params:
                params[name] = data.draw(st.sampled_from(seeded[name]), label=name)
    if isinstance(case.body, dict):
        _aim_body(case.body, data, seeded)


def _aim_body(body, data, seeded) -> None:
    """Mostly point the ids of a body (and its lists of ids) at seeded objects."""
    pools = {
        "organization_id": seeded["organization_id"],
        "parent_id": seeded["organization_id"],
        "organizer_id": seeded["organization_id"],
        "official_id": seeded["official_id"],
        "trainer_id": seeded["trainer_id"],
    }
    for name, pool in pools.items():
        if name in body and data.draw(AIM, label=f"aim {name}"):
            body[name] = data.draw(st.sampled_from(pool), label=name)
    lists = (
        (body, "trainer_ids", seeded["trainer_id"]),
        (body.get("audience"), "organization_ids", seeded["organization_id"]),
    )
    for holder, name, pool in lists:
        if isinstance(holder, dict) and name in holder and data.draw(AIM, label=f"aim {name}"):
            holder[name] = data.draw(st.lists(st.sampled_from(pool), max_size=2), label=name)
    if "birth_date" in body and data.draw(AIM, label="aim birth_date"):
        body["birth_date"] = data.draw(st.sampled_from(ADULTS), label="birth_date")


def test_fuzz_every_operation(app, db, seeded):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app))
    # DELETE /tokens revokes the fuzzer's own tokens: every later operation would only get
    # 401s. It is tested in tests/test_tokens.py.
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if (operation.method.upper(), operation.path) != ("DELETE", "/api/v1/tokens")
    ]
    # Cancelling the seeded courses first would leave every later training operation a
    # refusal (course_cancelled): they are fuzzed last.
    operations.sort(key=lambda operation: operation.path == "/api/v1/courses/{course_id}/cancel")
    assert len(operations) >= 12
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
