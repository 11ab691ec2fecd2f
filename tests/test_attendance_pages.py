"""Finishing and reopening from the course page (POST, flash, back to the course), and the
verification page in English."""

from datetime import date

import pytest

from app.attendance import services
from app.courses.models import Course
from app.enrolment import services as enrolment
from app.extensions import db

DAY = date(2026, 11, 2)


@pytest.fixture
def course(create_course, create_session, create_official, create_organization):
    unit = create_organization(name="UBND huyện Ba Tri", plan_level="district")
    course = create_course(organizer=unit, awards_ladder="it_skill", awards_level="basic")
    session = create_session(course, day=DAY)
    official = create_official(full_name="Huỳnh Thị Ánh Tuyết", organization=unit)
    row = enrolment.register(course.id, official, None, on=DAY)
    services.record_attendance(session, [(row.id, "present")], None, today=DAY)
    db.session.commit()
    return course


def test_hr_finishes_then_reopens_from_the_course_page(client, login_as, course):
    login_as("unit_hr", organization=course.organizer)
    response = client.post(f"/courses/{course.id}/finish", follow_redirects=True)
    assert response.request.path == f"/courses/{course.id}"
    assert "1 hoàn thành, 0 không hoàn thành, 1 giấy chứng nhận" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "finished"
    again = client.post(f"/courses/{course.id}/finish", follow_redirects=True)
    assert "Khóa học đã kết thúc." in again.get_data(as_text=True)
    response = client.post(f"/courses/{course.id}/reopen", follow_redirects=True)
    assert "Đã mở lại khóa học" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "registration_closed"


def test_a_trainer_of_the_course_may_not_finish_it(client, login_as, course):
    from app.courses import services as courses

    trainer = login_as("trainer")
    courses.update_course(course, None, trainer_ids=[trainer.id])
    db.session.commit()
    assert client.post(f"/courses/{course.id}/finish").status_code == 403
    assert db.session.get(Course, course.id).status == "open"


def test_the_verification_page_in_english(client, course):
    outcome = services.finish_course(course, None, today=DAY)
    db.session.commit()
    client.post("/language/en")
    page = client.get(f"/verify/{outcome.certificates[0].number}").get_data(as_text=True)
    assert "Valid certificate" in page and "Huỳnh Thị Ánh Tuyết" in page
    assert "02/11/2026" in page
