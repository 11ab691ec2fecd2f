"""Childcare pages (issue 14): her request with its preview, the course page's panel, her list
and remembered children, HR's work list with its filters and decisions, the rates page."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from app.childcare import services
from app.childcare.models import ChildcareRate, ChildcareRequest, RememberedChild
from app.courses import services as courses
from app.enrolment import services as enrolments
from app.extensions import db

DAYS = [date(2026, 12, 7), date(2026, 12, 8)]
CHILD = "Hoàng Minh Khôi"


@pytest.fixture
def world(db, create_organization, create_official, create_course, create_user):
    unit = create_organization(name="UBND huyện Trang", plan_level="district")
    other = create_organization(name="UBND huyện Khác Trang", plan_level="district")
    course = create_course(organizer=unit, title="Khóa có con nhỏ")
    for day in DAYS:
        courses.add_session(course, None, day=day, starts_at=time(7, 30), ends_at=time(11, 0))
    mother = create_official(full_name="Bùi Thị Mơ", organization=unit)
    user = create_user("official", official=mother)
    enrolment = enrolments.register(course.id, mother, None, on=date(2026, 12, 1))
    services.add_rate(None, "allowance", 150_000, date(2026, 1, 1))
    db.session.commit()
    return {
        "unit": unit,
        "other": other,
        "course": course,
        "mother": mother,
        "user": user,
        "enrolment": enrolment,
        "hr": create_user("unit_hr", organization=unit),
        "province_hr": create_user("province_hr"),
    }


def form(**changes):
    data = {
        "child": "new",
        "child_name": CHILD,
        "child_birth_date": "02/02/2025",
        "kinds": ["allowance", "lodging"],
        "days": [d.isoformat() for d in DAYS],
        "consent": "y",
        "note": "Cần phòng gần lớp",
        "preview": "1",
    }
    data.update(changes)
    return data


def requests_count() -> int:
    return db.session.scalar(select(func.count(ChildcareRequest.id)))


def test_she_sees_the_amount_before_submitting(world, client, login):
    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    page = client.get(url).get_data(as_text=True)
    assert "Nghị định 13/2023/NĐ-CP" in page
    assert "07/12/2026" in page and "08/12/2026" in page
    assert 'data-testid="childcare-submit"' not in page  # no submit before a preview
    preview = client.post(url, data=form())
    text = preview.get_data(as_text=True)
    assert 'data-testid="childcare-quote"' in text
    assert "300.000" in text  # 2 days × 150 000 for the allowance; lodging 0
    assert requests_count() == 0
    done = client.post(url, data=form(preview="", submit="1", quoted_total="300000"))
    assert done.status_code == 302
    request = db.session.scalar(select(ChildcareRequest))
    assert request.requested_amounts == {"allowance": 300_000, "lodging": 0}
    assert request.note == "Cần phòng gần lớp"
    view = client.get(done.headers["Location"]).get_data(as_text=True)
    assert CHILD in view and "02/02/2025" in view


def test_a_changed_amount_is_shown_again_before_it_is_sent(world, client, login):
    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    response = client.post(url, data=form(preview="", submit="1", quoted_total="1"))
    assert "Số tiền đã thay đổi" in response.get_data(as_text=True)
    assert requests_count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"child_birth_date": "01/01/2030"}, "không thể sau ngày hôm nay"),
        ({"days": ["2026-12-25"]}, "Chỉ được chọn những ngày có buổi học"),
        ({"kinds": ["taxi"]}, "Hình thức hỗ trợ không hợp lệ"),
        ({"consent": ""}, "Nghị định 13/2023/NĐ-CP"),
    ],
)
def test_bad_input_on_the_form_writes_nothing(world, client, login, changes, message):
    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    data = form(preview="", submit="1", quoted_total="300000", **changes)
    response = client.post(url, data={k: v for k, v in data.items() if v != ""})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert requests_count() == 0
    assert db.session.scalar(select(func.count(RememberedChild.id))) == 0


def test_a_man_is_told_why_he_cannot_ask(world, client, login, create_official, create_user):
    man = create_official(full_name="Đinh Văn Tâm", sex="M", organization=world["unit"])
    account = create_user("official", official=man)
    his = enrolments.register(world["course"].id, man, None, on=date(2026, 12, 1))
    db.session.commit()
    login(account)
    url = f"/enrolments/{his.id}/childcare"
    page = client.get(url).get_data(as_text=True)
    assert "chỉ dành cho cán bộ nữ" in page
    client.post(url, data=form(preview="", submit="1", quoted_total="300000"))
    assert requests_count() == 0
    course_page = client.get(f"/courses/{world['course'].id}").get_data(as_text=True)
    assert 'data-testid="childcare-ask"' not in course_page


def test_the_course_page_offers_the_request(world, client, login):
    login(world["user"])
    page = client.get(f"/courses/{world['course'].id}").get_data(as_text=True)
    assert 'data-testid="childcare-ask"' in page and "Đề nghị hỗ trợ" in page


def test_her_children_are_remembered_and_she_may_delete_them(world, client, login):
    login(world["user"])
    url = f"/enrolments/{world['enrolment'].id}/childcare"
    client.post(url, data=form(preview="", submit="1", quoted_total="300000"))
    [child] = db.session.scalars(select(RememberedChild)).all()
    assert CHILD in client.get(url).get_data(as_text=True)  # offered again
    mine = client.get("/childcare/mine").get_data(as_text=True)
    assert CHILD in mine
    client.post(f"/childcare/children/{child.id}/delete", data={})
    assert db.session.scalar(select(func.count(RememberedChild.id))) == 0
    # her request keeps its own copy
    assert db.session.scalar(select(ChildcareRequest.child_name)) == CHILD


def test_she_withdraws_while_submitted(world, client, login):
    request = _submitted(world)
    login(world["user"])
    client.post(f"/childcare/requests/{request.id}/withdraw", data={"version": request.version})
    db.session.refresh(request)
    assert request.status == "withdrawn"


def _submitted(world, **changes) -> ChildcareRequest:
    values = {
        "child_name": CHILD,
        "child_birth_date": date(2025, 2, 2),
        "kinds": ["allowance"],
        "days": DAYS,
        "consent": True,
        "on": date(2026, 12, 1),
    }
    values.update(changes)
    request = services.submit(world["enrolment"], world["user"], **values)
    db.session.commit()
    return request


def test_hr_work_list_filters_and_decisions(world, client, login):
    first = _submitted(world)
    second = _submitted(world, child_name="Hoàng Minh An")
    login(world["hr"])
    page = client.get("/childcare/requests").get_data(as_text=True)
    assert page.count("data-request=") == 2 and world["mother"].full_name in page
    assert (
        client.get("/childcare/requests?status=approved")
        .get_data(as_text=True)
        .count("data-request=")
        == 0
    )
    by_unit = client.get(f"/childcare/requests?organization={world['other'].id}")
    assert by_unit.get_data(as_text=True).count("data-request=") == 0
    by_course = client.get(f"/childcare/requests?course={world['course'].id}")
    assert by_course.get_data(as_text=True).count("data-request=") == 2
    view = client.get(f"/childcare/requests/{first.id}").get_data(as_text=True)
    assert 'data-testid="approve-form"' in view
    # an adjusted amount needs a reason
    client.post(
        f"/childcare/requests/{first.id}/approve",
        data={"version": first.version, "allowance": "100000"},
    )
    db.session.refresh(first)
    assert first.status == "submitted"
    client.post(
        f"/childcare/requests/{first.id}/approve",
        data={"version": first.version, "allowance": "100000", "reason": "Một ngày nghỉ"},
    )
    db.session.refresh(first)
    assert (first.status, first.approved_total) == ("approved", 100_000)
    client.post(f"/childcare/requests/{first.id}/pay", data={"version": first.version})
    db.session.refresh(first)
    assert (first.status, first.paid_total) == ("paid", 100_000)
    # a rejection needs a reason
    client.post(f"/childcare/requests/{second.id}/reject", data={"version": second.version})
    db.session.refresh(second)
    assert second.status == "submitted"
    client.post(
        f"/childcare/requests/{second.id}/reject",
        data={"version": second.version, "reason": "Đã có hỗ trợ khác"},
    )
    db.session.refresh(second)
    assert (second.status, second.rejection_reason) == ("rejected", "Đã có hỗ trợ khác")


def test_a_stale_decision_is_refused(world, client, login):
    request = _submitted(world)
    login(world["hr"])
    client.post(
        f"/childcare/requests/{request.id}/approve", data={"version": request.version - 1 or 99}
    )
    db.session.refresh(request)
    assert request.status == "submitted"


def test_province_hr_configures_rates(world, client, login):
    request = _submitted(world)
    login(world["province_hr"])
    page = client.get("/childcare/rates").get_data(as_text=True)
    assert "150.000" in page
    response = client.post(
        "/childcare/rates",
        data={"kind": "allowance", "daily_amount": "200000", "applies_from": "01/12/2026"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ChildcareRate.id))) == 2
    db.session.refresh(request)
    assert request.requested_total == 400_000  # not yet approved: recomputed
    refused = client.post(
        "/childcare/rates", data={"kind": "allowance", "daily_amount": "-5", "applies_from": "x"}
    )
    assert refused.status_code == 200
    assert db.session.scalar(select(func.count(ChildcareRate.id))) == 2


def test_pages_in_english(world, client, login):
    request = _submitted(world)
    login(world["hr"])
    client.post("/language/en")
    page = client.get(f"/childcare/requests/{request.id}").get_data(as_text=True)
    assert "Childcare support request" in page and "07/12/2026" in page
    assert "Allowance" in page
    assert "Childcare" in client.get("/childcare/requests").get_data(as_text=True)
