"""The official's side of the course pages: the catalogue (search ignoring diacritics, filters,
seats left, the courses that close her gaps first), the course page (facts, sessions, her
enrolment with its buttons or the reason she cannot register), registering and cancelling from
it, and "my courses"."""

import re
from datetime import date, time, timedelta

import pytest
from flask import before_render_template
from sqlalchemy import event, func, select

from app.courses import panels
from app.courses import services as courses
from app.enrolment import services as enrolment
from app.enrolment.models import Enrolment
from app.i18n import today


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def shown_codes(page: str) -> list[str]:
    return re.findall(r'<tr data-course="([^"]+)"', page)


@pytest.fixture
def her(create_official, create_user, login):
    """A woman official with an account, signed in."""
    official = create_official(full_name="Võ Thị Hạnh", sex="F")
    user = create_user("official", official=official)
    login(user)
    return official


@pytest.fixture
def him(create_official, create_user, login):
    official = create_official(full_name="Trần Văn Minh", sex="M")
    user = create_user("official", official=official)
    login(user)
    return official


# --- catalogue ---------------------------------------------------------------------------


def test_search_ignores_diacritics(client, db, her, create_course):
    create_course(code="QLNN-1", title="Quản lý nhà nước ngạch chuyên viên")
    create_course(code="TH-1", title="Tin học văn phòng")
    db.session.commit()
    page = html(client.get("/courses/?q=quan+ly"))
    assert shown_codes(page) == ["QLNN-1"]
    assert "Quản lý nhà nước ngạch chuyên viên" in page
    assert shown_codes(html(client.get("/courses/?q=TIN+HỌC"))) == ["TH-1"]
    assert shown_codes(html(client.get("/courses/?q=qlnn"))) == ["QLNN-1"]
    # LIKE's wildcards are searched for as text
    assert shown_codes(html(client.get("/courses/?q=%25"))) == []


def test_filters_kind_award_month_and_status(client, db, her, create_course, create_session):
    llct = create_course(
        code="LLCT",
        title="Cao cấp lý luận chính trị",
        kind="political_theory",
        awards_ladder="political_theory",
        awards_level="advanced",
    )
    tin = create_course(code="TIN", title="Tin học", kind="it_skill")
    create_session(llct, day=date(2026, 12, 7))
    create_session(tin, day=date(2027, 1, 11))
    create_course(code="OLD", title="Khóa đã kết thúc", status="registration_closed")
    create_course(code="DRAFT", title="Khóa nháp", status="draft")
    db.session.commit()

    # Open courses by default; drafts never for an official.
    assert sorted(shown_codes(html(client.get("/courses/")))) == ["LLCT", "TIN"]
    everything = shown_codes(html(client.get("/courses/?status=all")))
    assert sorted(everything) == ["LLCT", "OLD", "TIN"]
    # not a choice for her: the default (open) applies
    assert sorted(shown_codes(html(client.get("/courses/?status=draft")))) == ["LLCT", "TIN"]
    assert shown_codes(html(client.get("/courses/?kind=it_skill"))) == ["TIN"]
    assert shown_codes(html(client.get("/courses/?ladder=political_theory"))) == ["LLCT"]
    assert shown_codes(html(client.get("/courses/?ladder=none"))) == ["TIN"]
    page = html(client.get("/courses/?month=2026-12"))
    assert shown_codes(page) == ["LLCT"]
    assert "Tháng 12/2026" in page and "Tháng 01/2027" in page
    assert shown_codes(html(client.get("/courses/?month=2027-01"))) == ["TIN"]
    # Dates dd/mm/yyyy
    assert "07/12/2026" in html(client.get("/courses/?month=2026-12"))


def test_drafts_are_for_the_hr_managing_them(
    client, db, login_as, create_course, create_organization
):
    unit = create_organization(name="UBND huyện Nháp")
    create_course(code="DRAFT", title="Khóa nháp", status="draft", organizer=unit)
    create_course(code="OPEN", title="Khóa mở")
    db.session.commit()
    login_as("unit_hr", organization=unit)
    assert shown_codes(html(client.get("/courses/?status=all"))) == ["OPEN", "DRAFT"]
    assert shown_codes(html(client.get("/courses/?status=draft"))) == ["DRAFT"]
    client.post("/logout")
    login_as("unit_hr")  # another unit
    assert shown_codes(html(client.get("/courses/?status=all"))) == ["OPEN"]
    assert shown_codes(html(client.get("/courses/?status=draft"))) == []


def test_official_does_not_see_drafts_even_when_asked(client, db, her, create_course):
    create_course(code="DRAFT", title="Khóa nháp", status="draft")
    db.session.commit()
    assert shown_codes(html(client.get("/courses/?status=all"))) == []


def test_seats_left_and_full(client, db, her, create_course, create_official):
    roomy = create_course(code="ROOMY", capacity=30)
    full = create_course(code="FULL", capacity=1)
    for course in (roomy, full):
        enrolment.nominate(course.id, create_official(), None)
    db.session.commit()
    page = html(client.get("/courses/"))
    seats = dict(re.findall(r'data-testid="seats-([A-Z]+)">\s*(.*?)\s*</td>', page, re.S))
    assert "29 chỗ" in seats["ROOMY"]
    assert "Hết chỗ — danh sách chờ" in seats["FULL"]


def test_courses_closing_her_gaps_come_first_with_the_gap_named(client, db, her, create_course):
    her_id = her.id
    create_course(code="A", title="Anh văn")
    create_course(code="B", title="Bồi dưỡng lãnh đạo")
    llct_id = create_course(code="Z", title="Zalo và chuyển đổi số").id
    db.session.commit()
    assert shown_codes(html(client.get("/courses/"))) == ["A", "B", "Z"]
    seen = []

    def provider(user, shown):
        seen.append((user.official_id, sorted(c.code for c in shown)))
        return {llct_id: ["Cao cấp LLCT"]}

    panels.register_hints(provider)
    try:
        page = html(client.get("/courses/"))
    finally:
        panels._hint_providers.remove(provider)
    assert shown_codes(page) == ["Z", "A", "B"]
    assert "Khóa này giúp bạn đạt: Cao cấp LLCT" in page
    assert seen == [(her_id, ["A", "B", "Z"])]


def test_hints_are_not_asked_for_accounts_without_an_official(client, db, login_as, create_course):
    create_course(code="A")
    db.session.commit()
    login_as("province_hr")
    asked = []

    def provider(user, shown):
        asked.append(user)
        return {}

    panels.register_hints(provider)
    try:
        html(client.get("/courses/"))
    finally:
        panels._hint_providers.remove(provider)
    assert asked == []


def _statements(db, fetch) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html(fetch())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_catalogue_statements_do_not_grow_with_courses(
    client, db, her, create_course, create_session, create_organization
):
    def add(n):
        for _ in range(n):
            course = create_course(organizer=create_organization())
            create_session(course)
        db.session.commit()

    add(3)
    client.get("/courses/")  # warm
    few = _statements(db, lambda: client.get("/courses/"))
    add(12)
    many = _statements(db, lambda: client.get("/courses/"))
    assert many == few, (few, many)
    assert few <= 10, few


# --- the course page ---------------------------------------------------------------------


def test_course_page_shows_facts_sessions_and_trainers(
    client, db, her, create_course, create_session, create_user, create_official
):
    trainer_official = create_official(full_name="Nguyễn Văn Giảng")
    trainer = create_user("trainer", official=trainer_official)
    course = create_course(
        code="QLNN-2",
        title="Quản lý nhà nước",
        description="Chương trình chuyên viên.",
        kind="state_management",
        awards_ladder="state_management",
        awards_level="specialist",
        place="Trường Chính trị tỉnh",
        capacity=2,
        requires_approval=True,
        women_only=True,
        audience_plan_levels=["district"],
        registration_opens_on=date(2026, 11, 1),
        registration_closes_on=date(2026, 12, 31),
        trainer_ids=[trainer.id],
    )
    create_session(course, day=date(2026, 12, 7), topic="Khai giảng", trainer_id=trainer.id)
    cancelled = create_session(course, day=date(2026, 12, 8), topic="Buổi bị hủy")
    courses.cancel_session(cancelled, None)
    db.session.commit()
    page = html(client.get(f"/courses/{course.id}"))
    for text in (
        "Quản lý nhà nước",
        "QLNN-2",
        "Chương trình chuyên viên.",
        "Trường Chính trị tỉnh",
        "Từ 01/11/2026 đến 31/12/2026",
        "Chỉ cán bộ nữ",
        "Tham dự ít nhất 80% số buổi học",
        "0/2 đã xác nhận",
        "Nguyễn Văn Giảng",
        "Thứ Hai, 07/12/2026",
        "07:30–11:00",
        "Khai giảng",
    ):
        assert text in page, text
    row = re.search(r'<tr class="session-cancelled".*?</tr>', page, re.S).group(0)
    assert "<s>" in row and "Đã hủy" in row and "Buổi bị hủy" in row


def test_course_page_queries_nothing_while_rendering(
    app, client, db, her, create_course, create_session, create_user
):
    trainer = create_user("trainer")
    course = create_course(trainer_ids=[trainer.id])
    for n in range(4):
        create_session(course, day=date(2026, 12, 7) + timedelta(days=n), trainer_id=trainer.id)
    db.session.commit()
    rendering, during = [], []

    def started(*_args, **_kwargs):
        rendering.append(True)

    def count(*_args):
        if rendering:
            during.append(1)

    client.get(f"/courses/{course.id}")
    event.listen(db.engine, "before_cursor_execute", count)
    before_render_template.connect(started, app)
    try:
        html(client.get(f"/courses/{course.id}"))
    finally:
        before_render_template.disconnect(started, app)
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(during) <= 1, len(during)  # the savepoint ending the request


def test_register_button_for_her(client, db, her, create_course):
    course = create_course()
    db.session.commit()
    page = html(client.get(f"/courses/{course.id}"))
    assert 'data-testid="register"' in page
    assert 'data-testid="refusal"' not in page


def test_women_only_course_tells_a_man_why(client, db, him, create_course):
    course = create_course(women_only=True)
    db.session.commit()
    page = html(client.get(f"/courses/{course.id}"))
    assert 'data-testid="register"' not in page
    assert "Khóa học chỉ dành cho cán bộ nữ." in page


def test_closed_registration_says_so(client, db, her, create_course):
    ended = create_course(registration_closes_on=today() - timedelta(days=1))
    closed = create_course(status="registration_closed")
    db.session.commit()
    page = html(client.get(f"/courses/{ended.id}"))
    assert 'data-testid="register"' not in page and "Đã hết hạn đăng ký." in page
    page = html(client.get(f"/courses/{closed.id}"))
    assert 'data-testid="register"' not in page and "Khóa học đã đóng đăng ký." in page


def test_no_enrolment_panel_without_an_official(client, db, login_as, create_course):
    course = create_course()
    db.session.commit()
    login_as("province_hr")
    page = html(client.get(f"/courses/{course.id}"))
    assert 'data-testid="my-enrolment"' not in page


def _flashes(page: str) -> str:
    return " ".join(re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S))


def test_register_gives_a_seat(client, db, her, create_course):
    course = create_course(capacity=2)
    db.session.commit()
    response = client.post(f"/courses/{course.id}/register", data={"next": f"/courses/{course.id}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/courses/{course.id}"
    page = html(client.get(response.headers["Location"]))
    assert "Bạn đã có chỗ trong khóa học." in _flashes(page)
    assert 'data-status="confirmed"' in page
    assert 'data-testid="cancel"' in page and 'data-testid="register"' not in page
    row = enrolment.find_enrolment(course.id, her.id)
    assert row.status == "confirmed"


def test_register_when_full_says_the_position(client, db, her, create_course, create_official):
    course = create_course(capacity=1)
    enrolment.nominate(course.id, create_official(), None)
    enrolment.nominate(course.id, create_official(), None)  # waitlisted 1
    db.session.commit()
    page = html(client.get(f"/courses/{course.id}"))
    assert "Đăng ký vào danh sách chờ" in page
    page = html(client.post(f"/courses/{course.id}/register", follow_redirects=True))
    assert "bạn ở vị trí 2 trong danh sách chờ" in _flashes(page)
    assert "Bạn ở vị trí 2 trong danh sách chờ." in page


def test_register_needing_approval_is_pending(client, db, her, create_course):
    course = create_course(requires_approval=True)
    db.session.commit()
    page = html(client.post(f"/courses/{course.id}/register", follow_redirects=True))
    assert "Đăng ký đang chờ duyệt." in _flashes(page)
    assert enrolment.find_enrolment(course.id, her.id).status == "pending"


def test_a_refused_registration_says_why_and_writes_nothing(client, db, him, create_course):
    course = create_course(women_only=True)
    db.session.commit()
    page = html(client.post(f"/courses/{course.id}/register", follow_redirects=True))
    assert "Khóa học chỉ dành cho cán bộ nữ." in _flashes(page)
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0
    db.session.refresh(course)
    assert course.confirmed_count == 0


def test_an_unsafe_next_falls_back_to_the_course(client, db, her, create_course):
    course = create_course()
    db.session.commit()
    response = client.post(f"/courses/{course.id}/register", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == f"/courses/{course.id}"


def test_cancel_promotes_the_next_one(
    client, db, create_course, create_official, create_user, login
):
    course = create_course(capacity=1)
    first = create_official(full_name="Lê Thị Một")
    second = create_official(full_name="Lê Thị Hai")
    first_user = create_user("official", official=first)
    second_user = create_user("official", official=second)
    mine = enrolment.register(course.id, first, None)
    enrolment.register(course.id, second, None)
    db.session.commit()

    login(second_user)
    assert "Bạn ở vị trí 1 trong danh sách chờ." in html(client.get(f"/courses/{course.id}"))
    client.post("/logout")
    login(first_user)
    page = html(client.post(f"/enrolments/{mine.id}/cancel", follow_redirects=True))
    assert "Bạn đã hủy đăng ký khóa học." in _flashes(page)
    assert 'data-status="cancelled"' in page
    # The seat went to the next one: she may only join the waiting list again.
    assert "Đăng ký vào danh sách chờ" in page
    client.post("/logout")
    login(second_user)
    page = html(client.get(f"/courses/{course.id}"))
    assert 'data-status="confirmed"' in page and "Bạn đã có chỗ trong khóa học." in page
    assert "1/1 đã xác nhận" in page


def test_hr_cancels_with_a_reason_she_reads(
    client, db, create_course, create_official, create_user, login, login_as
):
    course = create_course()
    official = create_official(full_name="Đỗ Thị Ba")
    user = create_user("official", official=official)
    row = enrolment.register(course.id, official, None)
    db.session.commit()
    login_as("province_hr")
    response = client.post(
        f"/enrolments/{row.id}/cancel",
        data={"reason": "Trùng lịch công tác", "next": "/courses/"},
    )
    assert response.headers["Location"] == "/courses/"
    page = html(client.get("/courses/"))
    assert "Đã hủy đăng ký của Đỗ Thị Ba." in _flashes(page)
    client.post("/logout")
    login(user)
    page = html(client.get(f"/courses/{course.id}"))
    assert "Lý do: Trùng lịch công tác" in page
    assert 'data-testid="register"' in page  # she may register again


def test_another_officials_enrolment_cannot_be_cancelled(
    client, db, her, create_course, create_official
):
    course = create_course()
    row = enrolment.register(course.id, create_official(), None)
    db.session.commit()
    assert client.post(f"/enrolments/{row.id}/cancel").status_code == 403
    db.session.refresh(row)
    assert row.status == "confirmed"


def test_english_pages(client, db, her, create_course):
    course = create_course(title="Quản lý nhà nước", women_only=True, capacity=1)
    db.session.commit()
    client.post("/language/en", data={"next": "/"})
    page = html(client.get("/courses/"))
    assert "Courses" in page and "Open for registration" in page and "1 seat" in page
    page = html(client.get(f"/courses/{course.id}"))
    assert "Your enrolment" in page and "Register" in page and "Women only" in page
    page = html(client.post(f"/courses/{course.id}/register", follow_redirects=True))
    assert "You have a seat in the course." in page
    assert "Chỗ" not in page and "Đăng ký" not in page
    page = html(client.get("/my-courses"))
    assert "My courses" in page and "Confirmed" in page


# --- my courses --------------------------------------------------------------------------


def test_my_courses_empty_state_links_to_the_catalogue(client, db, her):
    page = html(client.get("/my-courses"))
    assert 'data-testid="empty"' in page and 'href="/courses/"' in page


def test_my_courses_groups(client, db, her, create_course, create_session, create_official):
    upcoming = create_course(code="UP", title="Sắp học")
    day = today() + timedelta(days=10)
    create_session(upcoming, day=day - timedelta(days=20))  # past session
    create_session(upcoming, day=day, starts_at=time(13, 30), ends_at=time(17, 0))
    full = create_course(code="WAIT", title="Đang chờ", capacity=1)
    enrolment.nominate(full.id, create_official(), None)
    pending = create_course(code="PEND", title="Chờ duyệt", requires_approval=True)
    gone = create_course(code="GONE", title="Đã hủy đăng ký")
    enrolment.register(upcoming.id, her, None)
    enrolment.register(full.id, her, None)
    enrolment.register(pending.id, her, None)
    cancelled = enrolment.register(gone.id, her, None)
    enrolment.cancel(cancelled, None, "Bận công tác")
    db.session.commit()
    page = html(client.get("/my-courses"))

    def group(key):
        match = re.search(rf'data-testid="group-{key}".*?</section>', page, re.S)
        return shown_codes(match.group(0)) if match else []

    assert group("current") == ["UP"]
    assert sorted(group("waiting")) == ["PEND", "WAIT"]
    assert group("past") == ["GONE"]
    assert f"{day:%d/%m/%Y} · 13:30–17:00" in page
    assert "vị trí 1" in page and "Lý do: Bận công tác" in page


def test_menu_entries(client, db, her, login_as):
    page = html(client.get("/"))
    assert 'href="/courses/"' in page and 'href="/my-courses"' in page
    client.post("/logout")
    login_as("province_hr")
    page = html(client.get("/"))
    assert 'href="/courses/"' in page and 'href="/my-courses"' not in page
