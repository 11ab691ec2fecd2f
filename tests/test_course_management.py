"""HR's course management pages (issue 12): the managed courses, create / edit (every field,
refusals at the field, stale saves), cancel, copy, and the sessions (add, reschedule with
history and notifications, cancel)."""

import re
from datetime import date, time

import pytest
from sqlalchemy import event, func, select

from app.courses import services as courses
from app.courses.models import Course, CourseSession
from app.enrolment import services as enrolment
from app.notifications.models import Notification


def html(response) -> str:
    return response.get_data(as_text=True)


def field_error(page: str, field: str) -> str:
    """The error shown under a field (its invalid-feedback)."""
    match = re.search(rf'id="{field}-err">([^<]+)<', page)
    assert match, f"no error at {field}"
    return match.group(1)


@pytest.fixture
def place(create_organization, create_user):
    province = create_organization(name="UBND tỉnh Thử", plan_level="province")
    unit = create_organization(name="UBND huyện Thử", plan_level="district", parent=province)
    other = create_organization(name="UBND huyện Kia", plan_level="district", parent=province)
    trainer = create_user("trainer", username="gv.lan")
    trainer2 = create_user("trainer", username="gv.hoa")
    return {"province": province, "unit": unit, "other": other, "trainers": (trainer, trainer2)}


def full_form(place, **overrides) -> dict:
    data = {
        "code": "QLNN-2026-01",
        "title": "Bồi dưỡng quản lý nhà nước",
        "description": "Chương trình chuyên viên chính.",
        "kind": "state_management",
        "award": "state_management:principal",
        "organizer_id": str(place["unit"].id),
        "place": "Trường Chính trị tỉnh",
        "capacity": "25",
        "registration_opens_on": "01/12/2026",
        "registration_closes_on": "20/12/2026",
        "requires_approval": "y",
        "completion_threshold": "90",
        "audience_plan_levels": ["district", "commune"],
        "audience_position_ranks": ["division_head", "deputy_division_head"],
        "women_only": "y",
        "audience_organization_ids": [str(place["unit"].id)],
        "status": "open",
        "trainer_ids": [str(t.id) for t in place["trainers"]],
    }
    data.update(overrides)
    return data


def test_create_with_every_field(client, db, login_as, place):
    login_as("unit_hr", organization=place["unit"])
    page = html(client.get("/courses/new"))
    assert "Tạo khóa học" in page and "— Không cấp văn bằng, chứng chỉ —" in page
    assert 'name="audience_plan_levels"' in page and "gv.lan" in page
    response = client.post("/courses/new", data=full_form(place))
    assert response.status_code == 302, html(response)[:3000]
    course = db.session.scalar(select(Course).where(Course.code == "QLNN-2026-01"))
    assert response.headers["Location"] == f"/courses/{course.id}/sessions"
    assert (course.title, course.kind, course.place) == (
        "Bồi dưỡng quản lý nhà nước",
        "state_management",
        "Trường Chính trị tỉnh",
    )
    assert course.awards == ("state_management", "principal")
    assert course.organizer_id == place["unit"].id
    assert (course.capacity, course.completion_threshold) == (25, 90)
    assert course.registration_opens_on == date(2026, 12, 1)
    assert course.registration_closes_on == date(2026, 12, 20)
    assert course.requires_approval and course.women_only
    assert course.audience_plan_levels == ["district", "commune"]
    assert course.audience_position_ranks == ["deputy_division_head", "division_head"]
    assert [o.id for o in course.audience_organizations] == [place["unit"].id]
    assert {t.username for t in course.trainers} == {"gv.lan", "gv.hoa"}
    assert course.status == "open"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "MAU-TRUNG"}, "code", "Mã khóa học này đã có"),
        (
            {"registration_opens_on": "20/12/2026", "registration_closes_on": "01/12/2026"},
            "registration_closes_on",
            "Ngày đóng đăng ký phải sau",
        ),
        ({"completion_threshold": "0"}, "completion_threshold", "Ngưỡng hoàn thành phải từ 1"),
        ({"completion_threshold": "101"}, "completion_threshold", "Ngưỡng hoàn thành phải từ 1"),
        ({"award": "state_management:doctorate"}, "award", "Trình độ được cấp không hợp lệ"),
        ({"award": "no_such_ladder:basic"}, "award", "Loại trình độ được cấp không hợp lệ"),
        ({"capacity": "-1"}, "capacity", "Số chỗ phải từ 0"),
        ({"registration_opens_on": "31/02/2026"}, "registration_opens_on", "Ngày không hợp lệ"),
        ({"organizer_id": ""}, "organizer_id", "Hãy chọn đơn vị tổ chức"),
        ({"trainer_ids": ["999999"]}, "trainer_ids", "không phải lựa chọn hợp lệ"),
    ],
)
def test_create_refused_at_the_field(
    client, db, login_as, place, create_course, overrides, field, message
):
    create_course(code="MAU-TRUNG")
    login_as("province_hr")
    before = db.session.scalar(select(func.count(Course.id)))
    response = client.post("/courses/new", data=full_form(place, **overrides))
    assert response.status_code == 200
    assert message in field_error(html(response), field)
    assert db.session.scalar(select(func.count(Course.id))) == before


def test_unit_hr_cannot_organise_outside_its_scope(client, db, login_as, place):
    login_as("unit_hr", organization=place["unit"])
    response = client.post("/courses/new", data=full_form(place, organizer_id=place["other"].id))
    assert "Đơn vị tổ chức phải thuộc phạm vi" in field_error(html(response), "organizer_id")
    assert db.session.scalar(select(Course).where(Course.code == "QLNN-2026-01")) is None


def _edit_form(course, **overrides) -> dict:
    data = {
        "code": course.code,
        "title": course.title,
        "kind": course.kind,
        "award": "",
        "organizer_id": str(course.organizer_id),
        "capacity": str(course.capacity),
        "completion_threshold": str(course.completion_threshold),
        "status": course.status,
        "version": str(course.version),
    }
    data.update(overrides)
    return data


def test_edit_keeps_capacity_above_the_confirmed(
    client, db, login_as, place, create_course, create_official
):
    course = create_course(organizer=place["unit"], capacity=3)
    for n in range(2):
        official = create_official(code=f"E{n}", organization=place["unit"])
        enrolment.nominate(course.id, official, None)
    db.session.commit()
    login_as("unit_hr", organization=place["unit"])
    page = html(client.get(f"/courses/{course.id}/edit"))
    assert f'value="{course.code}"' in page and 'name="version"' in page
    response = client.post(f"/courses/{course.id}/edit", data=_edit_form(course, capacity="1"))
    assert "Số chỗ không thể ít hơn số người đã được xác nhận (2)" in field_error(
        html(response), "capacity"
    )
    db.session.expire_all()
    assert db.session.get(Course, course.id).capacity == 3
    response = client.post(
        f"/courses/{course.id}/edit", data=_edit_form(course, capacity="2", title="Tên mới")
    )
    assert response.status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course.id)
    assert (course.capacity, course.title, course.version) == (2, "Tên mới", 2)


def test_stale_edit_is_refused_and_says_what_changed(client, db, login_as, place, create_course):
    course = create_course(organizer=place["unit"])
    db.session.commit()
    hr = login_as("province_hr")
    stale = _edit_form(course, title="Tên của tôi")
    courses.update_course(course, hr, title="Tên của người khác", kind="it_skill")
    db.session.commit()
    response = client.post(f"/courses/{course.id}/edit", data=stale)
    assert response.status_code == 200
    page = html(response)
    assert "đã được người khác thay đổi" in page
    assert "Tên khóa học: hiện là “Tên của người khác”" in page
    assert "Loại khóa học: hiện là “Tin học”" in page
    assert 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "Tên của người khác"


def test_cancel_asks_then_cancels_and_tells_the_enrolled(
    client, db, login_as, place, create_course, create_official, create_user
):
    course = create_course(organizer=place["unit"])
    official = create_official(organization=place["unit"])
    create_user("official", official=official)
    enrolment.nominate(course.id, official, None)
    db.session.commit()
    login_as("unit_hr", organization=place["unit"])
    assert "panel-manage" in html(client.get(f"/courses/{course.id}"))
    page = html(client.post(f"/courses/{course.id}/cancel", data={}))
    assert "Hủy khóa học" in page and 'name="confirm" value="1"' in page
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "open"
    response = client.post(
        f"/courses/{course.id}/cancel", data={"confirm": "1", "version": str(course.version)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).status == "cancelled"
    kinds = db.session.scalars(select(Notification.kind)).all()
    assert "course.cancelled" in kinds
    page = html(client.get(f"/courses/{course.id}"))
    assert "học viên đã được thông báo" in page
    panel = page.split('data-testid="panel-manage"', 1)[1]
    assert "<strong>Đã hủy</strong>" in panel and 'data-testid="cancel-course"' not in panel


def test_copy_makes_a_draft_and_opens_its_edit_page(client, db, login_as, place, create_course):
    course = create_course(organizer=place["unit"], code="SAO-01", women_only=True)
    db.session.commit()
    login_as("unit_hr", organization=place["unit"])
    response = client.post(f"/courses/{course.id}/copy", data={})
    copy = db.session.scalar(select(Course).where(Course.code == "SAO-01-2"))
    assert response.headers["Location"] == f"/courses/{copy.id}/edit"
    assert (copy.status, copy.women_only) == ("draft", True)
    assert "SAO-01-2" in html(client.get(response.headers["Location"]))


def test_manage_list_scope_filters_counts_and_statements(
    client, db, app, login_as, place, create_course, create_official
):
    own = create_course(organizer=place["unit"], code="RIENG-1", capacity=1)
    create_course(organizer=place["other"], code="KHAC-1")
    create_course(organizer=place["unit"], code="NHAP-1", status="draft")
    for n in range(3):
        enrolment.nominate(own.id, create_official(code=f"L{n}", organization=place["unit"]), None)
    db.session.commit()
    login_as("unit_hr", organization=place["unit"])
    page = html(client.get("/courses/manage"))
    assert "RIENG-1" in page and "NHAP-1" in page and "KHAC-1" not in page
    row = page.split('data-course="RIENG-1"', 1)[1].split("</tr>", 1)[0]
    assert "1/1" in row and re.search(r'data-testid="waitlisted">2<', row)
    page = html(client.get("/courses/manage?status=draft"))
    assert "NHAP-1" in page and "RIENG-1" not in page
    assert "Quản lý khóa học" in html(client.get("/"))

    def statements(url):
        count = []
        listener = lambda *args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(count)

    few = statements("/courses/manage")
    for n in range(5):
        create_course(organizer=place["unit"], code=f"THEM-{n}")
    db.session.commit()
    assert statements("/courses/manage") == few


def test_official_and_trainer_cannot_manage(client, db, login_as, place, create_course):
    course = create_course(organizer=place["unit"], trainer_ids=[place["trainers"][0].id])
    db.session.commit()
    login_as("official")
    assert client.get("/courses/manage").status_code == 403
    assert client.get(f"/courses/{course.id}/edit").status_code == 403
    assert "panel-manage" not in html(client.get(f"/courses/{course.id}"))


def test_sessions_added_several_days_at_once(client, db, login_as, place, create_course):
    trainer = place["trainers"][0]
    course = create_course(organizer=place["unit"], trainer_ids=[trainer.id], place="Hội trường A")
    db.session.commit()
    login_as("unit_hr", organization=place["unit"])

    response = client.post(
        f"/courses/{course.id}/sessions",
        data={
            "day": "07/12/2026",
            "starts_at": "07:30",
            "ends_at": "11:00",
            "topic": "Khai giảng",
            "trainer_id": str(trainer.id),
            "repeat_days": "3",
        },
    )
    assert response.status_code == 302
    sessions = db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course.id)
    ).all()
    assert [s.day for s in sessions] == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
    assert all(s.place == "Hội trường A" and s.revision == 0 for s in sessions)
    page = html(client.get(f"/courses/{course.id}/sessions"))
    assert "07/12/2026" in page and "09/12/2026" in page and "07:30–11:00" in page

    # Refused: ends before it starts, at the field, nothing written.
    response = client.post(
        f"/courses/{course.id}/sessions",
        data={"day": "10/12/2026", "starts_at": "11:00", "ends_at": "07:30"},
    )
    assert "Giờ kết thúc phải sau giờ bắt đầu" in field_error(html(response), "ends_at")
    response = client.post(
        f"/courses/{course.id}/sessions",
        data={"day": "10/12/2026", "starts_at": "7 giờ", "ends_at": "11:00"},
    )
    assert "HH:MM" in field_error(html(response), "starts_at")
    assert (
        db.session.scalar(
            select(func.count(CourseSession.id)).where(CourseSession.course_id == course.id)
        )
        == 3
    )


def test_session_reschedule_history_and_cancel(
    client, db, login_as, place, create_course, create_official, create_user
):
    trainer = place["trainers"][0]
    course = create_course(organizer=place["unit"], trainer_ids=[trainer.id], place="Hội trường A")
    official = create_official(organization=place["unit"])
    student = create_user("official", official=official)
    enrolment.nominate(course.id, official, None)
    first, _second = (
        courses.add_session(
            course,
            None,
            day=date(2026, 12, d),
            starts_at=time(7, 30),
            ends_at=time(11, 0),
            topic="Khai giảng",
            trainer_id=trainer.id,
        )
        for d in (7, 8)
    )
    db.session.commit()
    hr = login_as("unit_hr", organization=place["unit"])
    response = client.post(
        f"/sessions/{first.id}/edit",
        data={
            "day": "14/12/2026",
            "starts_at": "08:00",
            "ends_at": "11:00",
            "place": "Phòng 2",
            "topic": "Khai giảng",
            "trainer_id": str(trainer.id),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    first = db.session.get(CourseSession, first.id)
    assert (first.day, first.starts_at, first.place, first.revision) == (
        date(2026, 12, 14),
        time(8, 0),
        "Phòng 2",
        1,
    )
    page = html(client.get(f"/sessions/{first.id}/edit"))
    history = page.split('data-testid="session-history"', 1)[1]
    assert "Đổi lịch" in history and "07/12/2026 → 14/12/2026" in history
    assert "07:30 → 08:00" in history and "Hội trường A → Phòng 2" in history
    assert hr.username in history
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", history)
    told = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == student.id)
    ).all()
    assert "course.session_rescheduled" in told

    response = client.post(f"/sessions/{first.id}/cancel", data={})
    assert response.status_code == 302
    db.session.expire_all()
    first = db.session.get(CourseSession, first.id)
    assert (first.status, first.revision) == ("cancelled", 2)
    assert db.session.get(Course, course.id).first_day == date(2026, 12, 8)
    told = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == student.id)
    ).all()
    assert "course.session_cancelled" in told
    assert "Đã hủy" in html(client.get(f"/courses/{course.id}/sessions"))


def test_english_interface(client, db, login_as, place, create_course):
    course = create_course(organizer=place["unit"])
    courses.add_session(course, None, day=date(2026, 12, 7), starts_at=time(7, 30), ends_at=time(9))
    db.session.commit()
    login_as("province_hr")
    client.post("/language/en")
    page = html(client.get("/courses/new"))
    assert "Create a course" in page and "Completion threshold" in page
    page = html(client.post("/courses/new", data={"completion_threshold": "0"}))
    assert "Completion threshold must be between 1 and 100" in page
    page = html(client.get("/courses/manage"))
    assert "Course management" in page and "Open for registration" in page
    assert "Change history" in html(client.get(f"/sessions/{course.sessions[0].id}/edit"))


@pytest.mark.parametrize(("role", "expected"), [("unit_hr", 2), ("province_hr", 3)])
def test_the_menu_counts_the_registrations_waiting_for_approval(
    client,
    db,
    create_organization,
    create_course,
    create_official,
    create_user,
    login,
    role,
    expected,
):
    """Beside "Quản lý khóa học": the pending registrations of the running courses the HR
    manages (unit HR: its subtree's courses; province HR: all)."""
    from app.enrolment import services as enrolment

    unit, other = create_organization(), create_organization()
    mine = create_course(organizer=unit, requires_approval=True)
    theirs = create_course(organizer=other, requires_approval=True)
    for course in (mine, mine, theirs):
        enrolment.register(course.id, create_official(), None)
    db.session.commit()
    login(create_user(role, organization=unit if role == "unit_hr" else None))
    page = client.get("/").get_data(as_text=True)
    assert f'data-testid="menu-count-courses.manage">{expected}<' in page
