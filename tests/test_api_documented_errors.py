"""The OpenAPI document says what the API does (issue 8, item 13): every write operation
documents its error responses (400 and 422 where it takes a body, 412 and If-Match where it
writes a versioned object), and what the API answers is what the document says."""

from datetime import date, timedelta

import pytest

from app.i18n import today
from app.qualifications import services as records

API = "/api/v1"
WRITES = ("post", "put", "patch", "delete")
# The writes to a versioned object: (path, method).
VERSIONED = {
    ("/api/v1/officials/{official_id}", "patch"),
    ("/api/v1/officials/{official_id}/appointments/{appointment_id}", "patch"),
    ("/api/v1/officials/{official_id}/appointments/{appointment_id}/end", "post"),
    ("/api/v1/organizations/{organization_id}", "patch"),
    ("/api/v1/qualifications/{record_id}", "delete"),
    ("/api/v1/qualifications/{record_id}/verify", "post"),
    ("/api/v1/qualifications/{record_id}/reject", "post"),
    ("/api/v1/courses/{course_id}", "patch"),
    ("/api/v1/courses/{course_id}/cancel", "post"),
}
# Childcare requests' decisions and her withdrawal (tested below with the tokens that may).
CHILDCARE_VERSIONED = {
    (f"/api/v1/childcare-requests/{{request_id}}/{action}", "post")
    for action in ("approve", "reject", "pay", "withdraw")
}
VERSIONED |= CHILDCARE_VERSIONED
# Writes refused (422) by a business rule of the services, beyond the schema's checks.
RULES = VERSIONED - {("/api/v1/qualifications/{record_id}", "delete")} | {
    ("/api/v1/officials", "post"),
    ("/api/v1/officials/{official_id}/appointments", "post"),
    ("/api/v1/organizations", "post"),
    ("/api/v1/officials/{official_id}/qualifications", "post"),
    ("/api/v1/officials/{official_id}/qualifications/proposals", "post"),
    ("/api/v1/courses", "post"),
    ("/api/v1/courses/{course_id}/sessions", "post"),
    ("/api/v1/sessions/{session_id}", "patch"),
    ("/api/v1/courses/{course_id}/enrolments", "post"),
    ("/api/v1/enrolments/{enrolment_id}/cancel", "post"),
    ("/api/v1/enrolments/{enrolment_id}/approve", "post"),
    ("/api/v1/enrolments/{enrolment_id}/reject", "post"),
    ("/api/v1/childcare/rates", "post"),
    ("/api/v1/childcare-requests", "post"),
    ("/api/v1/plan/seats", "post"),
    ("/api/v1/organizations/{organization_id}/collaborators", "post"),
}


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


def documented(spec, path: str, method: str) -> dict:
    return spec["paths"][path][method]["responses"]


def test_every_write_documents_its_errors(spec):
    writes = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in WRITES
    ]
    assert len(writes) >= 12
    for path, method, operation in writes:
        responses = operation["responses"]
        assert "401" in responses, (path, method)
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), (path, method)
        if method == "patch":
            assert "PATCH without a body" in responses["400"]["description"], path
        if (path, method) in RULES:
            assert "Refused by the rules too" in responses["422"]["description"], (path, method)
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if (path, method) in VERSIONED:
            assert "412" in responses, (path, method)
            assert "If-Match" in headers, (path, method)
            success = next(code for code in responses if code.startswith("2"))
            if success != "204":
                assert "ETag" in responses[success].get("headers", {}), (path, method)
        else:
            assert "412" not in responses and "If-Match" not in headers, (path, method)
    for path in ("/api/v1/officials/{official_id}", "/api/v1/organizations/{organization_id}"):
        assert "ETag" in documented(spec, path, "get")["200"]["headers"]


@pytest.fixture
def world(db, create_organization, create_official, create_user, api_token, create_course):
    province = create_organization(name="UBND tỉnh Tài Liệu", plan_level="province")
    unit = create_organization(name="UBND huyện Tài Liệu", plan_level="district", parent=province)
    official = create_official(code="TL0001", organization=unit, appointed_on=date(2015, 1, 1))
    record = records.add_record(official, "education", "master")
    course = create_course(organizer=unit, capacity=2)
    db.session.commit()
    return {
        "course": course,
        "province": province,
        "unit": unit,
        "official": official,
        "post": official.primary_appointment,
        "record": record,
        "headers": api_token(create_user("admin")),
    }


def observed(spec, path: str, method: str, response, status: int) -> None:
    """The answer is `status`, in the error shape, and the document lists it."""
    assert response.status_code == status, (path, method, response.get_json())
    assert str(status) in documented(spec, path, method), (path, method, status)
    error = response.get_json()["error"]
    assert error["code"] and error["message"]


def test_a_patch_without_a_body_is_refused_as_documented(client, spec, world, create_session):
    h = world["headers"]
    session = create_session(world["course"])
    official, post, unit = world["official"], world["post"], world["unit"]
    patches = {
        "/api/v1/officials/{official_id}": f"{API}/officials/{official.id}",
        "/api/v1/officials/{official_id}/appointments/{appointment_id}": (
            f"{API}/officials/{official.id}/appointments/{post.id}"
        ),
        "/api/v1/organizations/{organization_id}": f"{API}/organizations/{unit.id}",
        "/api/v1/courses/{course_id}": f"{API}/courses/{world['course'].id}",
        "/api/v1/sessions/{session_id}": f"{API}/sessions/{session.id}",
    }
    documented_patches = {
        path for path, item in spec["paths"].items() if "patch" in item and path in patches
    }
    assert documented_patches == set(patches)
    for path, url in patches.items():
        observed(spec, path, "patch", client.patch(url, headers=h), 400)
        empty = client.patch(url, data=b"", content_type="application/json", headers=h)
        observed(spec, path, "patch", empty, 400)
        form = client.patch(url, data={"title": "x"}, headers=h)
        observed(spec, path, "patch", form, 415)
        observed(spec, path, "patch", client.patch(url, json=[], headers=h), 422)
        # An empty object changes nothing, and says so by answering the object unchanged.
        assert client.patch(url, json={}, headers=h).status_code == 200


def test_stale_writes_and_business_rules_answer_what_is_documented(client, db, spec, world):
    h = world["headers"]
    official, post, unit, record = world["official"], world["post"], world["unit"], world["record"]
    course = world["course"]
    stale = {**h, "If-Match": 'W/"0-0"'}
    on = today().isoformat()
    cases = [
        ("/api/v1/officials/{official_id}", "patch", f"{API}/officials/{official.id}", {}),
        (
            "/api/v1/officials/{official_id}/appointments/{appointment_id}",
            "patch",
            f"{API}/officials/{official.id}/appointments/{post.id}",
            {},
        ),
        (
            "/api/v1/officials/{official_id}/appointments/{appointment_id}/end",
            "post",
            f"{API}/officials/{official.id}/appointments/{post.id}/end",
            {"left_on": on},
        ),
        ("/api/v1/organizations/{organization_id}", "patch", f"{API}/organizations/{unit.id}", {}),
        ("/api/v1/qualifications/{record_id}", "delete", f"{API}/qualifications/{record.id}", None),
        (
            "/api/v1/qualifications/{record_id}/verify",
            "post",
            f"{API}/qualifications/{record.id}/verify",
            None,
        ),
        (
            "/api/v1/qualifications/{record_id}/reject",
            "post",
            f"{API}/qualifications/{record.id}/reject",
            {"reason": "mờ"},
        ),
        ("/api/v1/courses/{course_id}", "patch", f"{API}/courses/{course.id}", {}),
        ("/api/v1/courses/{course_id}/cancel", "post", f"{API}/courses/{course.id}/cancel", None),
    ]
    assert {(path, method) for path, method, _url, _body in cases} == (
        VERSIONED - CHILDCARE_VERSIONED
    )
    for path, method, url, body in cases:
        observed(spec, path, method, getattr(client, method)(url, json=body, headers=stale), 412)

    future = (today() + timedelta(days=1)).isoformat()
    rules = [
        (
            "/api/v1/officials/{official_id}",
            "patch",
            f"{API}/officials/{official.id}",
            {"birth_date": future},
        ),
        (
            "/api/v1/organizations/{organization_id}",
            "patch",
            f"{API}/organizations/{unit.id}",
            {"parent_id": unit.id},
        ),
        (
            "/api/v1/officials/{official_id}/appointments/{appointment_id}",
            "patch",
            f"{API}/officials/{official.id}/appointments/{post.id}",
            {"is_primary": False},
        ),
        (
            "/api/v1/qualifications/{record_id}/verify",  # a verified record, not a proposal
            "post",
            f"{API}/qualifications/{record.id}/verify",
            None,
        ),
        (
            "/api/v1/courses/{course_id}",  # an award level of another ladder
            "patch",
            f"{API}/courses/{course.id}",
            {"awards": {"ladder": "it_skill", "level": "advanced_x"}},
        ),
        (
            "/api/v1/courses/{course_id}",
            "patch",
            f"{API}/courses/{course.id}",
            {"awards": {"ladder": "it_skill", "level": "master"}},
        ),
        (
            "/api/v1/courses/{course_id}/enrolments",  # an official she does not manage
            "post",
            f"{API}/courses/{course.id}/enrolments",
            {"official_id": 2**31 - 1},
        ),
    ]
    for path, method, url, body in rules:
        observed(spec, path, method, getattr(client, method)(url, json=body, headers=h), 422)


def test_childcare_decisions_answer_what_is_documented(
    client, db, spec, create_organization, create_official, create_course, create_user, api_token
):
    from datetime import time

    from app.childcare import services as childcare
    from app.courses import services as courses
    from app.enrolment import services as enrolments

    unit = create_organization(name="UBND huyện Con Nhỏ", plan_level="district")
    course = create_course(organizer=unit)
    day = date(2026, 12, 7)
    courses.add_session(course, None, day=day, starts_at=time(8), ends_at=time(9))
    mother = create_official(organization=unit)
    her = create_user("official", official=mother)
    enrolment = enrolments.register(course.id, mother, None, on=date(2026, 12, 1))
    request = childcare.submit(
        enrolment,
        her,
        child_name="Bé Tài Liệu",
        child_birth_date=date(2025, 1, 1),
        kinds=["allowance"],
        days=[day],
        consent=True,
        on=date(2026, 12, 1),
    )
    db.session.commit()
    tokens = {"her": api_token(her), "hr": api_token(create_user("unit_hr", organization=unit))}
    for path, method in sorted(CHILDCARE_VERSIONED):
        action = path.rsplit("/", 1)[1]
        who = tokens["her" if action == "withdraw" else "hr"]
        url = f"{API}/childcare-requests/{request.id}/{action}"
        response = client.post(url, json={}, headers={**who, "If-Match": 'W/"0-0"'})
        observed(spec, path, method, response, 412)
    # a business rule: paying a request not yet approved
    path = "/api/v1/childcare-requests/{request_id}/pay"
    response = client.post(
        f"{API}/childcare-requests/{request.id}/pay", json={}, headers=tokens["hr"]
    )
    observed(spec, path, "post", response, 422)
