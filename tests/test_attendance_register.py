"""The trainer's pages (issue 13): a session's register (all present then the exceptions, in one
request; corrections with their history), today's sessions, the grid and its .xlsx export, the
course page's attendance panel, her certificates and her results. Sessions are placed around
the real today (Asia/Ho_Chi_Minh), as the pages read it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.attendance import services
from app.attendance.models import Attendance, AttendanceChange
from app.courses import services as courses
from app.enrolment import services as enrolment
from app.extensions import db
from app.i18n import today


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setup(create_course, create_session, create_official, create_organization, create_user):
    """A course of three sessions (two days ago, today, in three days) taught by a trainer,
    three confirmed officials, one waitlisted (capacity 3) and one pending elsewhere."""
    unit = create_organization(name="UBND huyện Châu Thành", plan_level="district")
    trainer = create_user("trainer")
    course = create_course(
        organizer=unit, capacity=3, trainer_ids=[trainer.id], title="Kỹ năng lãnh đạo"
    )
    on = today()
    sessions = [
        create_session(course, day=on - timedelta(days=2)),
        create_session(course, day=on),
        create_session(course, day=on + timedelta(days=3)),
    ]
    names = ["Lê Thị Hồng", "Trần Thị Mai", "Nguyễn Thị Đào", "Phạm Thị Cúc"]
    rows = []
    for name in names:
        official = create_official(full_name=name, organization=unit)
        rows.append(enrolment.register(course.id, official, None, on=on))
    db.session.commit()
    confirmed = [r for r in rows if r.status == "confirmed"]
    waiting = next(r for r in rows if r.status == "waitlisted")
    return {
        "unit": unit,
        "trainer": trainer,
        "course": course,
        "past": sessions[0],
        "today": sessions[1],
        "future": sessions[2],
        "confirmed": confirmed,
        "waiting": waiting,
    }


def _statuses(session) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Attendance.enrolment_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


def _form(lines, **extra) -> dict:
    data = {"enrolment_id": [str(e.id) for e, _status in lines], **extra}
    for e, status in lines:
        if status:
            data[f"status-{e.id}"] = status
    return data


def test_all_present_then_one_absent_in_one_request(client, login, setup):
    login(setup["trainer"])
    session, people = setup["today"], setup["confirmed"]
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    assert "Tất cả có mặt" in page and "Lê Thị Hồng" in page
    assert "Phạm Thị Cúc" not in page  # waitlisted: not on the register
    # Without the script, the "all present" button posts: everyone present but the exception.
    data = _form([(people[0], ""), (people[1], "absent"), (people[2], "")], all_present="1")
    data[f"note-{people[1].id}"] = "Ốm, có báo trước"
    response = client.post(f"/sessions/{session.id}/attendance", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert _statuses(session) == {
        people[0].id: "present",
        people[1].id: "absent",
        people[2].id: "present",
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu điểm danh: 3 thay đổi." in page
    assert "Lưu lần cuối:" in page and "ghi bởi" in page
    assert 'value="absent" autocomplete="off" checked' in page
    assert "Ốm, có báo trước" in page
    assert "đã sửa" not in page


def test_a_correction_keeps_its_history_and_is_marked(client, login, setup):
    login(setup["trainer"])
    session, people = setup["past"], setup["confirmed"]
    lines = [(people[0], "present"), (people[1], "present"), (people[2], "late")]
    assert client.post(f"/sessions/{session.id}/attendance", data=_form(lines)).status_code == 302
    lines[0] = (people[0], "excused")
    client.post(f"/sessions/{session.id}/attendance", data=_form(lines))
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    assert page.count('data-testid="corrected"') == 1
    assert "Lịch sử điểm danh (4 lần ghi)" in page
    assert "Có mặt → Vắng có phép" in page
    # Saving the same again writes nothing.
    response = client.post(f"/sessions/{session.id}/attendance", data=_form(lines))
    assert "không có gì thay đổi" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count(AttendanceChange) == 4


@pytest.mark.parametrize(
    "case",
    ["waitlisted", "other_course", "future", "cancelled", "unknown_status", "note_only"],
)
def test_bad_input_is_refused_and_nothing_written(client, login, setup, create_course, case):
    login(setup["trainer"])
    session, people = setup["today"], setup["confirmed"]
    lines = [(people[0], "present")]
    expected = None
    if case == "waitlisted":  # forged: someone not confirmed
        lines.append((setup["waiting"], "present"))
        expected = "Chỉ điểm danh được học viên đã được xác nhận (Phạm Thị Cúc)."
    elif case == "other_course":
        other = create_course(organizer=setup["unit"])

        official = people[0].official
        stranger = enrolment.register(other.id, official, None, on=today())
        db.session.commit()
        lines.append((stranger, "present"))
        expected = f"Đăng ký số {stranger.id} không thuộc khóa học này."
    elif case == "future":
        session = setup["future"]
        expected = "Chỉ điểm danh được từ ngày của buổi học"
    elif case == "cancelled":
        courses.cancel_session(setup["past"], None)
        db.session.commit()
        session = setup["past"]
        expected = "Buổi học này đã bị hủy."
    elif case == "unknown_status":
        lines.append((people[1], "maybe"))
        expected = "Trạng thái điểm danh không hợp lệ: “maybe”."
    else:
        lines.append((people[1], ""))
        expected = "Hãy chọn trạng thái cho người có ghi chú."
    data = _form(lines)
    if case == "note_only":
        data[f"note-{people[1].id}"] = "?"
    response = client.post(f"/sessions/{session.id}/attendance", data=data)
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)
    db.session.expire_all()
    assert _count(Attendance) == 0 and _count(AttendanceChange) == 0


def test_future_and_cancelled_registers_are_read_only(client, login, setup):
    login(setup["trainer"])
    page = client.get(f"/sessions/{setup['future'].id}/attendance").get_data(as_text=True)
    assert 'data-testid="refusal"' in page and "<fieldset disabled>" in page
    assert 'data-testid="save"' not in page


def test_a_trainer_of_another_course_and_an_official_are_refused(
    client, login, login_as, setup, create_user
):
    session, course = setup["today"], setup["course"]
    login_as("trainer")
    for url in (
        f"/sessions/{session.id}/attendance",
        f"/courses/{course.id}/attendance",
        f"/courses/{course.id}/attendance.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    data = _form([(setup["confirmed"][0], "absent")])
    assert client.post(f"/sessions/{session.id}/attendance", data=data).status_code == 403
    assert client.get("/sessions/999999/attendance").status_code == 404
    assert _count(Attendance) == 0
    # Her own course only: the official sees her attendance, not the others'.
    her = setup["confirmed"][0]
    services.record_attendance(
        setup["past"], [(her.id, "present"), (setup["confirmed"][1].id, "absent")], None
    )
    db.session.commit()
    client.post("/logout")
    login(create_user("official", official=her.official))
    assert client.get(f"/sessions/{session.id}/attendance").status_code == 403
    assert client.get(f"/courses/{course.id}/attendance").status_code == 403
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'data-testid="my-attendance"' in page and 'data-testid="panel-attendance"' not in page
    assert "Tỷ lệ tham dự: 33% (cần 80%)" in page
    assert "Trần Thị Mai" not in page


def test_the_grid_flags_who_can_no_longer_reach_the_threshold(client, login, setup):
    people = setup["confirmed"]
    services.record_attendance(
        setup["past"],
        [(people[0].id, "present"), (people[1].id, "absent"), (people[2].id, "late")],
        None,
    )
    db.session.commit()
    login(setup["trainer"])
    page = client.get(f"/courses/{setup['course'].id}/attendance").get_data(as_text=True)
    assert page.count('data-flagged="yes"') == 1
    assert f'data-enrolment="{people[1].id}" data-flagged="yes"' in page
    assert "Không thể đạt" in page and 'data-testid="out-of-reach"' in page
    assert "m3-scroll" in page and "att-who" in page


def test_the_export_opens_with_openpyxl(client, login, setup, create_official):
    people = setup["confirmed"]
    services.record_attendance(
        setup["past"], [(people[0].id, "present"), (people[1].id, "absent")], None
    )
    db.session.commit()
    login(setup["trainer"])
    response = client.get(f"/courses/{setup['course'].id}/attendance.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("STT", "Mã cán bộ", "Họ và tên")
    assert rows[1][-3:] == ("Số buổi tham dự", "Tỷ lệ (%)", "Kết quả")
    by_name = {row[2]: row for row in rows[2:]}
    assert by_name["Lê Thị Hồng"][3] == "Có mặt"
    assert by_name["Trần Thị Mai"][3] == "Vắng không phép"
    assert by_name["Trần Thị Mai"][-1] == "Không thể đạt"
    assert by_name["Lê Thị Hồng"][-3:-1] == ("1/3", 33)
    # English headers and labels with the English interface.
    client.post("/language/en")
    sheet = load_workbook(
        io.BytesIO(client.get(f"/courses/{setup['course'].id}/attendance.xlsx").data)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("No.", "Official code", "Full name")
    assert {row[3] for row in rows[2:]} >= {"Present", "Absent"}


def test_a_formula_like_name_is_written_as_text(client, login, setup, create_official):
    from app.enrolment.models import Enrolment
    from app.officials.models import Official

    her = db.session.get(Enrolment, setup["confirmed"][0].id)
    db.session.get(Official, her.official_id).full_name = "=HYPERLINK(1)"
    db.session.commit()
    login(setup["trainer"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"/courses/{setup['course'].id}/attendance.xlsx").data)
    ).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_today_page_and_home_page_of_a_trainer(client, login, setup):
    login(setup["trainer"])
    page = client.get("/teaching/today").get_data(as_text=True)
    assert f'href="/sessions/{setup["today"].id}/attendance"' in page
    assert "Chưa điểm danh" in page and 'data-testid="upcoming"' in page
    assert setup["course"].code in page and 'data-testid="calendar-trainer"' in page
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-today"' in home
    assert f'href="/sessions/{setup["today"].id}/attendance"' in home


def test_the_course_panel_for_hr_finish_refused_before_the_last_day(client, login_as, setup):
    login_as("unit_hr", organization=setup["unit"])
    page = client.get(f"/courses/{setup['course'].id}").get_data(as_text=True)
    assert 'data-testid="panel-attendance"' in page and 'data-testid="today-register"' in page
    assert 'data-testid="finish-refusal"' in page
    assert "Chỉ kết thúc được khóa học từ ngày học cuối cùng" in page
    assert 'data-testid="finish"' not in page


def test_finish_confirm_then_certificates_on_her_record_and_results(
    client, login, login_as, setup, create_course, create_session, create_user
):
    course = create_course(organizer=setup["unit"], awards_ladder="it_skill", awards_level="basic")
    past = create_session(course, day=today() - timedelta(days=1))
    official = setup["confirmed"][0].official
    row = enrolment.register(course.id, official, None, on=today())
    services.record_attendance(past, [(row.id, "present")], None)
    db.session.commit()
    hr = login_as("unit_hr", organization=setup["unit"])
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'data-testid="finish-step"' in page
    client.post(f"/courses/{course.id}/finish")
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'data-testid="reopen-step"' in page
    assert hr is not None
    client.post("/logout")
    login(create_user("official", official=official))
    record = client.get("/me/record").get_data(as_text=True)
    number = services.certificates_of_official(official.id)[0].number
    assert 'data-testid="certificates"' in record
    assert f"/certificates/{number}.pdf" in record and f"/verify/{number}" in record
    mine = client.get("/my-courses").get_data(as_text=True)
    assert f'data-testid="certificate-{course.code}"' in mine
    assert "Tham dự 100%" in mine
    assert 'data-testid="calendar-personal"' in mine
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'data-testid="my-result"' in page and 'data-testid="my-certificate"' in page


def test_the_register_and_grid_in_english(client, login, setup):
    login(setup["trainer"])
    client.post("/language/en")
    page = client.get(f"/sessions/{setup['today'].id}/attendance").get_data(as_text=True)
    assert "All present" in page and "Save attendance" in page and "Absent" in page
    grid = client.get(f"/courses/{setup['course'].id}/attendance").get_data(as_text=True)
    assert "Attendance sheet" in grid
    today_page = client.get("/teaching/today").get_data(as_text=True)
    assert "Today" in today_page and "Upcoming sessions" in today_page
