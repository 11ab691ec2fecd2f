"""The childcare API (DESIGN §4): rates by province HR, her request with its exact answer,
refusals answered 422 with their code and nothing written, reading and deciding with the pages'
permissions, If-Match on decisions."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from app.childcare.models import ChildcareRate, ChildcareRequest, RememberedChild
from app.courses import services as courses
from app.enrolment import services as enrolments
from app.extensions import db

DAYS = ["2026-12-07", "2026-12-08", "2026-12-09"]


@pytest.fixture
def world(db, create_organization, create_official, create_course, create_user, api_token):
    unit = create_organization(name="UBND huyện API", plan_level="district")
    other = create_organization(name="UBND huyện API khác", plan_level="district")
    course = create_course(organizer=unit, title="Khóa API")
    for day in DAYS:
        courses.add_session(
            course, None, day=date.fromisoformat(day), starts_at=time(8), ends_at=time(11)
        )
    mother = create_official(full_name="Lý Thị Sen", organization=unit)
    user = create_user("official", official=mother)
    man = create_official(full_name="Lý Văn Sơn", sex="M", organization=unit)
    his_user = create_user("official", official=man)
    db.session.commit()
    return {
        "course": course,
        "enrolment": enrolments.register(course.id, mother, None, on=date(2026, 12, 1)),
        "his_enrolment": enrolments.register(course.id, man, None, on=date(2026, 12, 1)),
        "her": api_token(user),
        "him": api_token(his_user),
        "hr": api_token(create_user("unit_hr", organization=unit)),
        "other_hr": api_token(create_user("unit_hr", organization=other)),
        "province": api_token(create_user("province_hr")),
    }


def body(world, **changes):
    data = {
        "enrolment_id": world["enrolment"].id,
        "child_name": "Lý Gia Bảo",
        "child_birth_date": "2025-01-20",
        "kinds": ["lodging", "allowance"],
        "days": DAYS,
        "consent": True,
    }
    data.update(changes)
    return data


def written() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(ChildcareRequest.id))),
        db.session.scalar(select(func.count(RememberedChild.id))),
    )


def test_rates_by_province_hr_only(world, client):
    rate = {"kind": "allowance", "daily_amount": 100_000, "applies_from": "2025-01-01"}
    assert client.post("/api/v1/childcare/rates", json=rate, headers=world["hr"]).status_code == 403
    response = client.post("/api/v1/childcare/rates", json=rate, headers=world["province"])
    assert response.status_code == 201
    assert response.json["kind"] == "allowance" and response.json["daily_amount"] == 100_000
    bad = client.post(
        "/api/v1/childcare/rates", json={**rate, "daily_amount": -1}, headers=world["province"]
    )
    assert bad.status_code == 422
    assert db.session.scalar(select(func.count(ChildcareRate.id))) == 1


def test_her_request_answers_the_amounts_of_exactly_the_requested_kinds(world, client):
    client.post(
        "/api/v1/childcare/rates",
        json={"kind": "allowance", "daily_amount": 100_000, "applies_from": "2026-01-01"},
        headers=world["province"],
    )
    client.post(
        "/api/v1/childcare/rates",
        json={"kind": "allowance", "daily_amount": 130_000, "applies_from": "2026-12-09"},
        headers=world["province"],
    )
    response = client.post("/api/v1/childcare-requests", json=body(world), headers=world["her"])
    assert response.status_code == 201, response.json
    data = response.json
    assert data["status"] == "submitted"
    assert data["amounts"] == {"lodging": 0, "allowance": 330_000}
    assert data["total"] == 330_000
    assert response.headers["ETag"] == f'W/"{data["id"]}-1"'
    got = client.get(f"/api/v1/childcare-requests/{data['id']}", headers=world["her"])
    assert got.status_code == 200 and got.json["amounts"] == data["amounts"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"child_birth_date": "2027-01-01"}, "born_in_future"),
        ({"days": ["2026-12-07", "2026-12-20"]}, "day_not_course_day"),
        ({"kinds": ["allowance", "spa"]}, "unknown_kind"),
        ({"consent": False}, "no_consent"),
        ({"child_birth_date": "2023-12-07"}, "over_36_months"),
    ],
)
def test_refusals_are_422_with_the_reason_and_write_nothing(world, client, changes, code):
    response = client.post(
        "/api/v1/childcare-requests", json=body(world, **changes), headers=world["her"]
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    assert written() == (0, 0)


def test_a_man_cannot_submit(world, client):
    response = client.post(
        "/api/v1/childcare-requests",
        json=body(world, enrolment_id=world["his_enrolment"].id),
        headers=world["him"],
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "not_a_woman"
    assert "cán bộ nữ" in response.json["error"]["message"]
    assert written() == (0, 0)


def test_only_her_own_enrolment(world, client):
    response = client.post(
        "/api/v1/childcare-requests",
        json=body(world, enrolment_id=world["his_enrolment"].id),
        headers=world["her"],
    )
    assert response.status_code == 404
    hr = client.post("/api/v1/childcare-requests", json=body(world), headers=world["hr"])
    assert hr.status_code == 403
    missing_consent = {k: v for k, v in body(world).items() if k != "consent"}
    answer = client.post("/api/v1/childcare-requests", json=missing_consent, headers=world["her"])
    assert answer.status_code == 422
    assert written() == (0, 0)


def test_reading_and_deciding(world, client):
    created = client.post("/api/v1/childcare-requests", json=body(world), headers=world["her"])
    url = f"/api/v1/childcare-requests/{created.json['id']}"
    assert client.get(url, headers=world["other_hr"]).status_code == 404
    assert client.get(url, headers=world["hr"]).status_code == 200
    # she may not approve her own; HR may not withdraw hers
    assert client.post(url + "/approve", json={}, headers=world["her"]).status_code == 403
    assert client.post(url + "/withdraw", json={}, headers=world["hr"]).status_code == 403
    # a stale If-Match is refused
    stale = client.post(url + "/approve", json={}, headers={**world["hr"], "If-Match": 'W/"0-0"'})
    assert stale.status_code in (412,)
    no_reason = client.post(url + "/reject", json={}, headers=world["hr"])
    assert no_reason.status_code == 422 and no_reason.json["error"]["code"] == "reason_required"
    adjusted = client.post(
        url + "/approve", json={"amounts": {"allowance": 1000}}, headers=world["hr"]
    )
    assert adjusted.json["error"]["code"] == "reason_required"
    approved = client.post(
        url + "/approve",
        json={"amounts": {"allowance": 0, "lodging": 50_000}, "reason": "Chỉ hỗ trợ chỗ ở"},
        headers=world["hr"],
    )
    assert approved.status_code == 200, approved.json
    assert approved.json["approved_amounts"] == {"allowance": 0, "lodging": 50_000}
    assert approved.json["payable_amounts"] == {"allowance": 0, "lodging": 50_000}
    withdraw = client.post(url + "/withdraw", json={}, headers=world["her"])
    assert withdraw.status_code == 422 and withdraw.json["error"]["code"] == "status_not_allowed"
    paid = client.post(url + "/pay", json={}, headers=world["hr"])
    assert paid.status_code == 200 and paid.json["status"] == "paid"
    assert paid.json["paid_total"] == 50_000


def test_she_withdraws(world, client):
    created = client.post("/api/v1/childcare-requests", json=body(world), headers=world["her"])
    url = f"/api/v1/childcare-requests/{created.json['id']}"
    response = client.post(url + "/withdraw", json={}, headers=world["her"])
    assert response.status_code == 200 and response.json["status"] == "withdrawn"
