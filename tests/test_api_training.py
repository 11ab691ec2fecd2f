"""/api/v1 training (DESIGN §4, DOMAIN §7–8, issue 12): courses, sessions and enrolments driven
as an outside program would, refusals with their codes that write nothing, bad input that is
a 422 and never a 500."""

import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.courses.messages import refusal_message
from app.courses.models import Course, CourseSession
from app.domain.enrolment import REFUSALS
from app.enrolment.models import Enrolment
from app.extensions import db
from app.i18n import today
from tests.conftest import PASSWORD

API = "/api/v1"


@pytest.fixture
def world(db, create_organization, create_official, create_user, api_token):
    province = create_organization(name="UBND tỉnh Đào Tạo", plan_level="province")
    unit = create_organization(name="UBND huyện Đào Tạo", plan_level="district", parent=province)
    commune = create_organization(name="UBND xã Đào Tạo", plan_level="commune", parent=unit)
    other = create_organization(name="UBND huyện Khác", plan_level="district", parent=province)
    mai = create_official(code="DT0001", full_name="Lê Thị Mai", organization=unit)
    lan = create_official(code="DT0002", full_name="Trần Thị Lan", organization=commune)
    nam = create_official(code="DT0003", full_name="Phạm Văn Nam", sex="M", organization=unit)
    hoa = create_official(code="DT0004", full_name="Võ Thị Hoa", organization=other)
    users = {
        "mai": create_user("official", official=mai),
        "lan": create_user("official", official=lan),
        "nam": create_user("official", official=nam),
        "hr": create_user("unit_hr", organization=unit),
        "other_hr": create_user("unit_hr", organization=other),
        "province_hr": create_user("province_hr"),
        "trainer": create_user("trainer"),
    }
    db.session.commit()
    return {
        "unit": unit,
        "other": other,
        "mai": mai,
        "lan": lan,
        "nam": nam,
        "hoa": hoa,
        "users": users,
        "h": {name: api_token(user) for name, user in users.items()},
    }


def new_course(client, headers, **fields):
    on = today()
    body = {
        "code": "DT-2026-01",
        "title": "Bồi dưỡng kiến thức quản lý nhà nước",
        "capacity": 1,
        "requires_approval": False,
        "awards": {"ladder": "state_management", "level": "specialist"},
        "registration_opens_on": (on - timedelta(days=1)).isoformat(),
        "registration_closes_on": (on + timedelta(days=10)).isoformat(),
        "completion_threshold": 80,
        "status": "open",
        **fields,
    }
    response = client.post(f"{API}/courses", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def enrolments(client, course_id, headers):
    response = client.get(f"{API}/courses/{course_id}/enrolments", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {
        e["official"]["code"]: (e["status"], e["waitlist_position"]) for e in response.json["items"]
    }


def enrolment_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Enrolment))


def test_course_and_sessions(client, world):
    h = world["h"]
    course = new_course(client, h["hr"], trainer_ids=[world["users"]["trainer"].id])
    cid = course["id"]
    assert course["organizer_id"] == world["unit"].id  # the creator's unit
    assert course["awards"] == {"ladder": "state_management", "level": "specialist"}
    assert course["audience"] == {"plan_levels": [], "position_ranks": [], "organization_ids": []}
    assert (course["kind"], course["status"], course["seats_left"]) == ("other", "open", 1)

    # Sessions: add two, reschedule one (its revision rises each time), cancel the other.
    url = f"{API}/courses/{cid}/sessions"
    first = client.post(
        url,
        json={"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00", "place": "P.1"},
        headers=h["hr"],
    )
    second = client.post(
        url, json={"date": "2026-12-08", "starts_at": "13:30", "ends_at": "17:00"}, headers=h["hr"]
    )
    assert first.status_code == second.status_code == 201
    assert first.json["revision"] == 0 and first.json["starts_at"] == "07:30"
    sid, other_sid = first.json["id"], second.json["id"]
    moved = client.patch(f"{API}/sessions/{sid}", json={"starts_at": "08:00"}, headers=h["hr"])
    assert moved.status_code == 200, moved.get_json()
    assert (moved.json["starts_at"], moved.json["revision"]) == ("08:00", 1)
    moved = client.patch(
        f"{API}/sessions/{sid}", json={"date": "2026-12-10", "place": "P.2"}, headers=h["hr"]
    )
    assert (moved.json["date"], moved.json["place"], moved.json["revision"]) == (
        "2026-12-10",
        "P.2",
        2,
    )
    cancelled = client.patch(
        f"{API}/sessions/{other_sid}", json={"status": "cancelled"}, headers=h["hr"]
    )
    assert (cancelled.json["status"], cancelled.json["revision"]) == ("cancelled", 1)
    listed = client.get(url, headers=h["mai"]).json["items"]
    assert [(s["id"], s["status"]) for s in listed] == [
        (other_sid, "cancelled"),
        (sid, "scheduled"),
    ]
    read = client.get(f"{API}/courses/{cid}", headers=h["mai"])
    assert (read.json["first_day"], read.json["last_day"]) == ("2026-12-10", "2026-12-10")
    assert read.headers["ETag"] == f'W/"{cid}-1"'


def test_enrolment_flow(client, world):
    h = world["h"]
    cid = new_course(client, h["hr"], trainer_ids=[world["users"]["trainer"].id])["id"]

    # She registers herself ({}): the one seat. HR nominates two more: the waiting list.
    mine = client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=h["mai"])
    assert mine.status_code == 201, mine.get_json()
    assert {k: mine.json[k] for k in ("official_id", "status", "waitlist_position")} == {
        "official_id": world["mai"].id,
        "status": "confirmed",
        "waitlist_position": None,
    }
    for official, position in ((world["lan"], 1), (world["nam"], 2)):
        nominated = client.post(
            f"{API}/courses/{cid}/enrolments", json={"official_id": official.id}, headers=h["hr"]
        )
        assert nominated.status_code == 201, nominated.get_json()
        assert (nominated.json["status"], nominated.json["waitlist_position"]) == (
            "waitlisted",
            position,
        )
        assert nominated.json["warnings"] == [] and nominated.json["nominated"] is True

    # Her cancellation promotes the first waitlisted at once.
    cancel = client.post(f"{API}/enrolments/{mine.json['id']}/cancel", json={}, headers=h["mai"])
    assert (cancel.status_code, cancel.json["status"]) == (200, "cancelled")
    assert enrolments(client, cid, h["hr"]) == {
        "DT0002": ("confirmed", None),
        "DT0003": ("waitlisted", 1),
        "DT0001": ("cancelled", None),
    }
    # The trainer sees the whole list too.
    assert len(enrolments(client, cid, h["trainer"])) == 3

    # A stale If-Match is refused and changes nothing; the current one goes through, and the
    # raised capacity confirms the next waitlisted at once.
    etag = client.get(f"{API}/courses/{cid}", headers=h["hr"]).headers["ETag"]
    client.patch(f"{API}/courses/{cid}", json={"title": "Đổi tên"}, headers=h["hr"])
    stale = client.patch(
        f"{API}/courses/{cid}", json={"capacity": 2}, headers={**h["hr"], "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "precondition_failed"
    current = client.get(f"{API}/courses/{cid}", headers=h["hr"]).headers["ETag"]
    raised = client.patch(
        f"{API}/courses/{cid}", json={"capacity": 2}, headers={**h["hr"], "If-Match": current}
    )
    assert raised.status_code == 200, raised.get_json()
    assert (raised.json["capacity"], raised.json["confirmed_count"]) == (2, 2)
    assert raised.headers["ETag"] != current
    assert enrolments(client, cid, h["hr"])["DT0003"] == ("confirmed", None)
    lowered = client.patch(f"{API}/courses/{cid}", json={"capacity": 1}, headers=h["hr"])
    assert lowered.status_code == 422 and "capacity" in lowered.json["error"]["details"]

    # Her own list, with the course.
    own = client.get(f"{API}/me/enrolments", headers=h["mai"]).json["items"]
    assert [(e["course"]["id"], e["status"]) for e in own] == [(cid, "cancelled")]
    # She may take up her cancelled enrolment again while there is no seat: waitlisted.
    again = client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=h["mai"])
    assert (again.status_code, again.json["id"], again.json["status"]) == (
        201,
        mine.json["id"],
        "waitlisted",
    )


def test_approval_and_rejection_with_a_reason(client, world):
    h = world["h"]
    cid = new_course(client, h["hr"], requires_approval=True, capacity=5)["id"]
    mai = client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=h["mai"]).json
    lan = client.post(f"{API}/courses/{cid}/enrolments", headers=h["lan"]).json  # no body
    assert mai["status"] == lan["status"] == "pending"

    # She may not decide on her own request; HR of another district does not see it.
    assert client.post(f"{API}/enrolments/{mai['id']}/approve", headers=h["mai"]).status_code == 403
    hidden = client.post(f"{API}/enrolments/{mai['id']}/approve", headers=h["other_hr"])
    assert hidden.status_code == 404

    approved = client.post(f"{API}/enrolments/{mai['id']}/approve", json={}, headers=h["hr"])
    assert (approved.status_code, approved.json["status"]) == (200, "confirmed")
    again = client.post(f"{API}/enrolments/{mai['id']}/approve", json={}, headers=h["hr"])
    assert (again.status_code, again.json["error"]["code"]) == (422, "not_pending")

    for body in ({}, {"reason": "   "}, None):
        refused = client.post(f"{API}/enrolments/{lan['id']}/reject", json=body, headers=h["hr"])
        assert refused.status_code == 422
        assert refused.json["error"]["code"] == "reason_required"
        assert "reason" in refused.json["error"]["details"]
    assert client.get(f"{API}/enrolments/{lan['id']}", headers=h["lan"]).json["status"] == (
        "pending"
    )
    rejected = client.post(
        f"{API}/enrolments/{lan['id']}/reject",
        json={"reason": "Chưa đúng đối tượng"},
        headers=h["hr"],
    )
    assert (rejected.json["status"], rejected.json["reason"]) == ("rejected", "Chưa đúng đối tượng")
    # Rejected: only HR may enrol her now.
    retry = client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=h["lan"])
    assert retry.json["error"]["code"] == "rejected_before"


def _refused(client, url, headers, code, body=None):
    before = enrolment_count()
    response = client.post(url, json={} if body is None else body, headers=headers)
    assert response.status_code == 422, response.get_json()
    error = response.json["error"]
    assert error["code"] == code
    if code in REFUSALS:
        assert error["message"] == refusal_message(code)
    else:
        assert error["message"] == "Cán bộ này không thuộc phạm vi bạn quản lý."
    assert enrolment_count() == before
    return response


def test_refusals_say_why_and_write_nothing(client, world):
    h = world["h"]
    on = today()
    cid = new_course(client, h["hr"], capacity=5)["id"]
    url = f"{API}/courses/{cid}/enrolments"
    assert client.post(url, json={}, headers=h["mai"]).status_code == 201
    _refused(client, url, h["mai"], "already_enrolled")  # twice
    _refused(client, url, h["hr"], "already_enrolled", {"official_id": world["mai"].id})

    closed = new_course(
        client,
        h["hr"],
        code="DT-CLOSED",
        registration_opens_on=(on - timedelta(days=20)).isoformat(),
        registration_closes_on=(on - timedelta(days=1)).isoformat(),
    )
    _refused(client, f"{API}/courses/{closed['id']}/enrolments", h["mai"], "registration_ended")

    cancelled = new_course(client, h["hr"], code="DT-CANCELLED")
    assert client.post(f"{API}/courses/{cancelled['id']}/cancel", headers=h["hr"]).json[
        "status"
    ] == ("cancelled")
    curl = f"{API}/courses/{cancelled['id']}/enrolments"
    _refused(client, curl, h["mai"], "course_cancelled")
    _refused(client, curl, h["hr"], "course_cancelled", {"official_id": world["lan"].id})

    women = new_course(client, h["hr"], code="DT-WOMEN", women_only=True)
    _refused(client, f"{API}/courses/{women['id']}/enrolments", h["nam"], "women_only")
    communes = new_course(client, h["hr"], code="DT-COMMUNE", audience={"plan_levels": ["commune"]})
    _refused(client, f"{API}/courses/{communes['id']}/enrolments", h["mai"], "outside_plan_levels")
    # Lan works at the commune: inside. HR may still send Nam, with the warning.
    lan = client.post(f"{API}/courses/{communes['id']}/enrolments", json={}, headers=h["lan"])
    assert lan.status_code == 201
    nam = client.post(
        f"{API}/courses/{communes['id']}/enrolments",
        json={"official_id": world["nam"].id},
        headers=h["hr"],
    )
    assert (nam.status_code, nam.json["warnings"]) == (201, ["outside_plan_levels"])

    # A nomination is HR's, within its scope; unknown officials are answered alike.
    forbidden = client.post(url, json={"official_id": world["lan"].id}, headers=h["mai"])
    assert forbidden.status_code == 403
    _refused(client, url, h["hr"], "outside_scope", {"official_id": world["hoa"].id})
    _refused(client, url, h["hr"], "outside_scope", {"official_id": 2**31 - 1})
    # An account with no official cannot register herself.
    assert client.post(url, json={}, headers=h["hr"]).status_code == 403
    assert client.get(f"{API}/me/enrolments", headers=h["hr"]).status_code == 403


def test_who_sees_which_courses_and_enrolments(client, world, create_course):
    h = world["h"]
    cid = new_course(client, h["hr"], capacity=5)["id"]
    draft = new_course(client, h["hr"], code="DT-DRAFT", status="draft")["id"]
    client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=h["mai"])
    client.post(
        f"{API}/courses/{cid}/enrolments",
        json={"official_id": world["hoa"].id},
        headers=h["province_hr"],
    )
    # The HR managing it sees both, HR of the other district only its official, she 403.
    assert set(enrolments(client, cid, h["hr"])) == {"DT0001", "DT0004"}
    assert set(enrolments(client, cid, h["other_hr"])) == {"DT0004"}
    assert client.get(f"{API}/courses/{cid}/enrolments", headers=h["mai"]).status_code == 403
    # A draft is the managing HR's (and its trainers'): the others do not list or read it.
    codes = {c["code"] for c in client.get(f"{API}/courses", headers=h["mai"]).json["items"]}
    assert "DT-DRAFT" not in codes and "DT-2026-01" in codes
    assert client.get(f"{API}/courses/{draft}", headers=h["mai"]).status_code == 403
    assert client.get(f"{API}/courses/{draft}", headers=h["hr"]).status_code == 200
    # Search ignores diacritics; filters and paging.
    found = client.get(f"{API}/courses?q=quan ly nha nuoc&status=open", headers=h["mai"]).json
    assert [c["id"] for c in found["items"]] == [cid] and found["total"] == 1
    assert client.get(f"{API}/courses?kind=it_skill", headers=h["hr"]).json["total"] == 0
    paged = client.get(f"{API}/courses?per_page=1&page=2", headers=h["hr"]).json
    assert (paged["total"], len(paged["items"]), paged["page"]) == (2, 1, 2)
    # Only the HR managing the course edits it and its sessions.
    assert client.patch(
        f"{API}/courses/{cid}", json={"capacity": 9}, headers=h["other_hr"]
    ).status_code == (403)
    assert client.post(
        f"{API}/courses/{cid}/sessions",
        json={"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00"},
        headers=h["mai"],
    ).status_code == (403)
    assert (
        client.post(
            f"{API}/courses", json={"code": "X", "title": "Y"}, headers=h["mai"]
        ).status_code
        == 403
    )


BAD_COURSES = [
    ({"registration_opens_on": "2026-13-01"}, "registration_opens_on"),
    ({"registration_closes_on": "01/12/2026"}, "registration_closes_on"),
    ({"registration_opens_on": "2026-12-10", "registration_closes_on": "2026-12-01"}, None),
    ({"awards": {"ladder": "astrology", "level": "advanced"}}, "awards"),
    ({"awards": {"ladder": "it_skill", "level": "master"}}, "awards_level"),
    ({"awards": {"ladder": "it_skill", "level": "none"}}, "awards_level"),
    ({"awards": {"ladder": "it_skill"}}, "awards"),
    ({"capacity": "10"}, "capacity"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": 10**12}, "capacity"),
    ({"capacity": 1.5}, "capacity"),
    ({"completion_threshold": 0}, "completion_threshold"),
    ({"completion_threshold": 101}, "completion_threshold"),
    ({"status": "finished"}, "status"),
    ({"kind": "cooking"}, "kind"),
    ({"organizer_id": 2**40}, "organizer_id"),
    ({"organizer_id": 2**31 - 1}, "organizer_id"),
    ({"trainer_ids": [2**31 - 1]}, "trainer_ids"),
    ({"trainer_ids": ["1"]}, "trainer_ids"),
    ({"audience": {"plan_levels": ["galaxy"]}}, "audience"),
    ({"audience": {"organization_ids": [2**31 - 1]}}, "audience_organization_ids"),
    ({"code": ""}, "code"),
    ({"code": "x" * 41}, "code"),
    ({"title": "A\x00B"}, "title"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_COURSES)
def test_bad_course_input_is_a_422_and_writes_nothing(client, world, fields, field):
    body = {"code": "DT-BAD", "title": "Khóa thử", **fields}
    before = db.session.scalar(select(func.count()).select_from(Course))
    response = client.post(f"{API}/courses", json=body, headers=world["h"]["hr"])
    assert response.status_code == 422, response.get_json()
    error = response.json["error"]
    assert error["code"] == "validation_error" and error["message"]
    if field:
        assert field in error["details"], error
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Course)) == before


BAD_SESSIONS = [
    ({"date": "2026-13-01", "starts_at": "07:30", "ends_at": "11:00"}, "date"),
    ({"date": "2026-12-07", "starts_at": "11:00", "ends_at": "07:30"}, "ends_at"),
    ({"date": "2026-12-07", "starts_at": "07:30", "ends_at": "07:30"}, "ends_at"),
    ({"date": "2026-12-07", "starts_at": "25:00", "ends_at": "26:00"}, "starts_at"),
    ({"date": "2026-12-07", "starts_at": "7:30", "ends_at": "11:00"}, "starts_at"),
    ({"date": "2026-12-07", "starts_at": 730, "ends_at": "11:00"}, "starts_at"),
    ({"starts_at": "07:30", "ends_at": "11:00"}, "date"),
    (
        {"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00", "trainer_id": 2**40},
        "trainer_id",
    ),
    (
        {"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00", "trainer_id": 2**31 - 1},
        "trainer_ids",
    ),
    ({"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00", "room": 1}, "room"),
]


@pytest.mark.parametrize(("body", "field"), BAD_SESSIONS)
def test_bad_session_input_is_a_422_and_writes_nothing(client, world, body, field):
    cid = new_course(client, world["h"]["hr"])["id"]
    response = client.post(f"{API}/courses/{cid}/sessions", json=body, headers=world["h"]["hr"])
    assert response.status_code == 422, response.get_json()
    assert field in response.json["error"]["details"], response.json
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CourseSession)) == 0


def test_session_changes_refused(client, world):
    h = world["h"]
    cid = new_course(client, h["hr"])["id"]
    session = client.post(
        f"{API}/courses/{cid}/sessions",
        json={"date": "2026-12-07", "starts_at": "07:30", "ends_at": "11:00"},
        headers=h["hr"],
    ).json
    url = f"{API}/sessions/{session['id']}"
    assert client.patch(url, json={"ends_at": "07:00"}, headers=h["hr"]).status_code == 422
    mixed = client.patch(url, json={"status": "cancelled", "place": "X"}, headers=h["hr"])
    assert mixed.status_code == 422 and "status" in mixed.json["error"]["details"]
    assert client.patch(url, json={"status": "scheduled"}, headers=h["hr"]).status_code == 422
    assert client.patch(url, json={}, headers=h["hr"]).json["revision"] == 0  # nothing changed
    assert client.patch(url, headers=h["hr"]).status_code == 400
    assert client.patch(url, json={"status": "cancelled"}, headers=h["hr"]).json["revision"] == 1
    after = client.patch(url, json={"place": "Y"}, headers=h["hr"])
    assert after.status_code == 422  # a cancelled session stays cancelled
    assert client.patch(f"{API}/sessions/{2**31 - 1}", json={}, headers=h["hr"]).status_code == 404


def test_boolean_ladders_award_yes(client, world):
    course = new_course(
        client, world["h"]["hr"], awards={"ladder": "international_integration", "level": "yes"}
    )
    assert course["awards"] == {"ladder": "international_integration", "level": "yes"}
    cleared = client.patch(
        f"{API}/courses/{course['id']}", json={"awards": None}, headers=world["h"]["hr"]
    )
    assert cleared.json["awards"] is None


def test_an_officials_app_signs_in_with_basic_and_registers(client, world):
    h = world["h"]
    cid = new_course(client, h["hr"], capacity=3)["id"]
    user = world["users"]["lan"]
    raw = f"{user.username}:{PASSWORD}".encode()
    signed = client.post(
        f"{API}/tokens", headers={"Authorization": "Basic " + base64.b64encode(raw).decode()}
    )
    assert signed.status_code == 201, signed.get_json()
    bearer = {"Authorization": f"Bearer {signed.json['token']}"}
    registered = client.post(f"{API}/courses/{cid}/enrolments", json={}, headers=bearer)
    assert registered.status_code == 201
    assert (registered.json["official_id"], registered.json["status"]) == (
        world["lan"].id,
        "confirmed",
    )
    mine = client.get(f"{API}/enrolments/{registered.json['id']}", headers=bearer)
    assert mine.json["status"] == "confirmed"
    assert client.post(f"{API}/courses/{cid}/enrolments", json={}).status_code == 401


def test_the_openapi_document_describes_the_training_api(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    paths = spec["paths"]
    for path, methods in {
        "/api/v1/courses": {"get", "post"},
        "/api/v1/courses/{course_id}": {"get", "patch"},
        "/api/v1/courses/{course_id}/cancel": {"post"},
        "/api/v1/courses/{course_id}/sessions": {"get", "post"},
        "/api/v1/sessions/{session_id}": {"patch"},
        "/api/v1/courses/{course_id}/enrolments": {"get", "post"},
        "/api/v1/enrolments/{enrolment_id}": {"get"},
        "/api/v1/enrolments/{enrolment_id}/cancel": {"post"},
        "/api/v1/enrolments/{enrolment_id}/approve": {"post"},
        "/api/v1/enrolments/{enrolment_id}/reject": {"post"},
        "/api/v1/me/enrolments": {"get"},
    }.items():
        assert methods <= set(paths[path]), path
    schemas = spec["components"]["schemas"]
    assert "waitlisted" in schemas["Enrolment"]["properties"]["status"]["enum"]
    assert "registration_closed" in schemas["Course"]["properties"]["status"]["enum"]
    assert "gender_equality" in schemas["Course"]["properties"]["kind"]["enum"]
    assert "cancelled" in schemas["Session"]["properties"]["status"]["enum"]
    refusal = paths["/api/v1/courses/{course_id}/enrolments"]["post"]["responses"]["422"]
    assert "registration_ended" in refusal["description"]


def test_her_own_id_is_her_own_registration(client, world):
    h = world["h"]
    cid = new_course(client, h["hr"], capacity=3, requires_approval=True)["id"]
    own = client.post(
        f"{API}/courses/{cid}/enrolments", json={"official_id": world["mai"].id}, headers=h["mai"]
    )
    assert (own.status_code, own.json["status"], own.json["nominated"]) == (201, "pending", False)
