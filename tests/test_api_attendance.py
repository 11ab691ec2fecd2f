"""The attendance API (DESIGN §4, issue 13): recording a register, reading it and the grid,
finishing and reopening, an official's own attendance and certificates."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.attendance.models import Attendance, Certificate
from app.courses import services as courses
from app.enrolment import services as enrolment
from app.extensions import db

PAST = [date(2026, 11, 2), date(2026, 11, 3)]


@pytest.fixture
def world(create_course, create_session, create_official, create_organization, create_user):
    unit = create_organization(name="UBND huyện Giồng Trôm", plan_level="district")
    trainer = create_user("trainer")
    course = create_course(
        organizer=unit,
        capacity=2,
        trainer_ids=[trainer.id],
        awards_ladder="it_skill",
        awards_level="basic",
    )
    sessions = [create_session(course, day=d) for d in PAST]
    people = [create_official(organization=unit) for _ in range(3)]
    rows = [enrolment.register(course.id, p, None, on=date(2026, 11, 1)) for p in people]
    assert [r.status for r in rows] == ["confirmed", "confirmed", "waitlisted"]
    db.session.commit()
    return {
        "course": course,
        "sessions": sessions,
        "rows": rows,
        "trainer": trainer,
        "hr": create_user("unit_hr", organization=unit),
        "she": create_user("official", official=people[0]),
        "stranger": create_user("trainer"),
    }


def put(client, headers, session, body):
    return client.put(f"/api/v1/sessions/{session.id}/attendance", json=body, headers=headers)


def count_attendance():
    return db.session.scalar(select(func.count()).select_from(Attendance))


def test_a_trainer_records_and_corrects_a_register(client, api_token, world):
    headers = api_token(world["trainer"])
    a, b, _w = world["rows"]
    session = world["sessions"][0]
    response = put(
        client,
        headers,
        session,
        [{"enrolment_id": a.id, "status": "present"}, {"enrolment_id": b.id, "status": "late"}],
    )
    assert response.status_code == 200, response.json
    items = {i["enrolment_id"]: i for i in response.json["items"]}
    assert set(items) == {a.id, b.id}  # the confirmed only
    assert (items[a.id]["status"], items[b.id]["status"]) == ("present", "late")
    assert items[a.id]["recorded_by_id"] == world["trainer"].id
    response = put(
        client, headers, session, [{"enrolment_id": b.id, "status": "excused", "note": "Ốm"}]
    )
    assert {i["enrolment_id"]: (i["status"], i["note"]) for i in response.json["items"]}[b.id] == (
        "excused",
        "Ốm",
    )
    got = client.get(f"/api/v1/sessions/{session.id}/attendance", headers=headers)
    assert got.status_code == 200 and got.json == response.json


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("waitlisted", "not_confirmed"),
        ("future", "session_in_future"),
        ("cancelled", "session_cancelled"),
        ("repeated", "repeated_enrolment"),
    ],
)
def test_refusals_answer_their_code_and_write_nothing(
    client, api_token, world, create_session, body, code
):
    a, _b, w = world["rows"]
    session = world["sessions"][0]
    entries = [{"enrolment_id": a.id, "status": "present"}]
    if body == "waitlisted":
        entries.append({"enrolment_id": w.id, "status": "present"})
    elif body == "future":
        session = create_session(world["course"], day=date(2099, 1, 5))
        db.session.commit()
    elif body == "cancelled":
        courses.cancel_session(session, None)
        db.session.commit()
    elif body == "repeated":
        entries.append({"enrolment_id": a.id, "status": "absent"})
    response = put(client, api_token(world["hr"]), session, entries)
    assert response.status_code == 422
    assert response.json["error"]["code"] == code
    assert count_attendance() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"enrolment_id": 1, "status": "present"},  # not a list
        [{"enrolment_id": 1, "status": "here"}],
        [{"status": "present"}],
        [{"enrolment_id": "1", "status": "present"}],
    ],
)
def test_bad_bodies_are_422(client, api_token, world, body):
    response = put(client, api_token(world["trainer"]), world["sessions"][0], body)
    assert response.status_code == 422
    assert count_attendance() == 0


def test_who_may_record_and_read(client, api_token, world):
    session, a = world["sessions"][0], world["rows"][0]
    body = [{"enrolment_id": a.id, "status": "present"}]
    assert put(client, api_token(world["stranger"]), session, body).status_code == 403
    assert put(client, api_token(world["she"]), session, body).status_code == 403
    url = f"/api/v1/courses/{world['course'].id}/attendance"
    assert client.get(url, headers=api_token(world["stranger"])).status_code == 403
    assert client.get(url, headers=api_token(world["she"])).status_code == 403
    assert client.get(url, headers=api_token(world["trainer"])).status_code == 200
    assert count_attendance() == 0


def test_the_grid(client, api_token, world):
    headers = api_token(world["trainer"])
    a, b, _w = world["rows"]
    first, second = world["sessions"]
    put(client, headers, first, [{"enrolment_id": a.id, "status": "present"}])
    put(client, headers, second, [{"enrolment_id": b.id, "status": "absent"}])
    grid = client.get(f"/api/v1/courses/{world['course'].id}/attendance", headers=headers).json
    assert (grid["threshold"], grid["held_sessions"]) == (80, 2)
    rows = {r["enrolment_id"]: r for r in grid["items"]}
    assert rows[a.id]["statuses"] == {str(first.id): "present"}
    assert (rows[a.id]["rate_percent"], rows[a.id]["out_of_reach"]) == (50, False)
    assert (rows[b.id]["rate_percent"], rows[b.id]["out_of_reach"]) == (0, True)


def test_finish_and_reopen(client, api_token, world):
    trainer, hr = api_token(world["trainer"]), api_token(world["hr"])
    a, b, w = world["rows"]
    for session in world["sessions"]:
        put(client, trainer, session, [{"enrolment_id": a.id, "status": "present"}])
    url = f"/api/v1/courses/{world['course'].id}"
    assert client.post(f"{url}/finish", json={}, headers=trainer).status_code == 403
    response = client.post(f"{url}/finish", json={}, headers=hr)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "finished" and body["certificates"] == 1
    assert (body["counts"]["completed"], body["counts"]["not_completed"]) == (1, 1)
    assert body["counts"]["expired"] == 1 and body["confirmed_count"] == 2
    again = client.post(f"{url}/finish", json={}, headers=hr)
    assert (again.status_code, again.json["error"]["code"]) == (422, "course_finished")

    mine = client.get("/api/v1/me/certificates", headers=api_token(world["she"])).json["items"]
    assert [c["status"] for c in mine] == ["valid"] and mine[0]["pdf_url"].endswith(".pdf")
    course_list = client.get(f"{url}/certificates", headers=hr).json["items"]
    assert [c["number"] for c in course_list] == [mine[0]["number"]]

    response = client.post(f"{url}/reopen", json={}, headers=hr)
    assert response.status_code == 200
    assert response.json["status"] == "registration_closed"
    assert response.json["counts"]["confirmed"] == 2 and response.json["waitlist_count"] == 1
    mine = client.get("/api/v1/me/certificates", headers=api_token(world["she"])).json["items"]
    assert [(c["status"], c["pdf_url"]) for c in mine] == [("revoked", None)]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    again = client.post(f"{url}/reopen", json={}, headers=hr)
    assert again.json["error"]["code"] == "course_not_finished"


def test_finishing_before_the_last_day_is_refused(client, api_token, world, create_session):
    create_session(world["course"], day=date(2099, 1, 5))
    db.session.commit()
    response = client.post(
        f"/api/v1/courses/{world['course'].id}/finish", json={}, headers=api_token(world["hr"])
    )
    assert (response.status_code, response.json["error"]["code"]) == (422, "before_last_day")
    assert "05/01/2099" in response.json["error"]["message"]


def test_an_official_reads_only_her_own(client, api_token, world):
    a, b, _w = world["rows"]
    headers = api_token(world["trainer"])
    put(
        client,
        headers,
        world["sessions"][0],
        [{"enrolment_id": a.id, "status": "late"}, {"enrolment_id": b.id, "status": "absent"}],
    )
    response = client.get("/api/v1/me/attendance", headers=api_token(world["she"]))
    assert response.status_code == 200
    (item,) = response.json["items"]
    assert item["enrolment_id"] == a.id
    assert item["statuses"] == {str(world["sessions"][0].id): "late"}
    assert (item["attended"], item["rate_percent"]) == (1, 50)
    assert client.get("/api/v1/me/attendance", headers=headers).status_code == 403
