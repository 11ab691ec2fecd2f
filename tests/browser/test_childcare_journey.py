"""Issue 14 in a real Chromium: on a phone, she asks for childcare support from her course page
(another child than the one remembered: the name and birth date fields appear), sees the amount,
sends; HR approves it from its work list at 1280 px. No page is wider than the screen."""

import shutil
import socket
import tempfile
import threading
from datetime import date, time
from pathlib import Path

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "Mat-khau-dai-1"


@pytest.fixture(scope="module")
def server(browser):
    """A server of its own, seeded with a course, her enrolment, rates and one remembered child
    (the demo data holds no course)."""
    from werkzeug.serving import make_server

    import config as config_module
    from app import create_app
    from app.auth import services as auth
    from app.childcare import services as childcare
    from app.courses import services as courses
    from app.enrolment import services as enrolments
    from app.extensions import db
    from app.officials import services as officials

    workdir = Path(tempfile.mkdtemp(prefix="browser-childcare-"))

    class Config(config_module.TestingConfig):
        WTF_CSRF_ENABLED = True

        def __init__(self):
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir / 'app.db'}"
            self.UPLOAD_DIR = str(workdir / "uploads")

    app = create_app(Config())
    with app.app_context():
        import flask_migrate

        flask_migrate.upgrade()
        province = officials.create_organization("UBND tỉnh Bến Tre", "province")
        unit = officials.create_organization("UBND huyện Châu Thành", "district", parent=province)
        mother = officials.create_official(
            code="BT001",
            full_name="Nguyễn Thị Thanh Hương",
            sex="F",
            birth_date=date(1988, 3, 2),
            organization=unit,
            position_rank="staff",
        )
        auth.create_user("huong", PASSWORD, ["official"], official_id=mother.id)
        auth.create_user("hrhuyen", PASSWORD, ["unit_hr"], organization_id=unit.id)
        course = courses.create_course(
            None,
            code="BD-2026-12",
            title="Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính",
            organizer_id=unit.id,
            status="open",
        )
        for day in (7, 8, 9):
            courses.add_session(
                course, None, day=date(2026, 12, day), starts_at=time(7, 30), ends_at=time(11)
            )
        enrolment = enrolments.register(course.id, mother, None, on=date(2026, 12, 1))
        childcare.add_rate(None, "allowance", 100_000, date(2026, 1, 1))
        childcare.add_rate(None, "nursery", 80_000, date(2026, 12, 8))
        childcare.submit(
            enrolment,
            None,
            child_name="Trần Bảo Ngọc",
            child_birth_date=date(2024, 12, 20),
            kinds=["allowance"],
            days=[date(2026, 12, 7)],
            consent=True,
            on=date(2026, 12, 1),
        )
        db.session.commit()
        course_id = course.id
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{port}", "course_id": course_id}
    httpd.shutdown()
    shutil.rmtree(workdir, ignore_errors=True)


def login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#submit")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_she_asks_on_a_phone_and_hr_approves(browser, server):
    base = server["base"]
    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    login(phone, base, "huong")
    phone.goto(f"{base}/courses/{server['course_id']}")
    with phone.expect_navigation():
        phone.click("[data-testid=childcare-ask]")
    # the remembered child is chosen: no name and birth date fields
    assert not phone.is_visible("input[name=child_name]")
    phone.check("input[name=child][value=new]")
    assert phone.is_visible("input[name=child_name]")
    phone.fill("input[name=child_name]", "Trần Bảo Châu")
    phone.fill("input[name=child_birth_date]", "15/05/2025")
    phone.check("input[name=kinds][value=nursery]")
    phone.check("input[name=consent]")
    assert fits(phone)
    with phone.expect_navigation():
        phone.click("input[name=preview]")
    quote = phone.locator("[data-testid=childcare-quote]")
    # allowance 3 × 100 000; nursery from 8/12: 2 × 80 000
    assert "300.000" in quote.inner_text() and "460.000" in quote.inner_text()
    assert fits(phone)
    screenshot(phone, "childcare-preview-390")
    with phone.expect_navigation():
        phone.click("[data-testid=childcare-submit]")
    assert "Đã gửi, chờ duyệt" in phone.inner_text("[data-testid=request-status]")
    assert fits(phone)
    phone.context.close()

    hr = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    login(hr, base, "hrhuyen")
    hr.goto(f"{base}/childcare/requests")
    assert hr.locator("[data-testid=work-list] tbody tr").count() == 2
    assert fits(hr)
    screenshot(hr, "childcare-work-list-1280")
    with hr.expect_navigation():
        hr.locator("[data-testid=work-list] a", has_text="Nguyễn Thị Thanh Hương").first.click()
    assert "Trần Bảo Châu" in hr.inner_text("main") or "Trần Bảo Ngọc" in hr.inner_text("main")
    with hr.expect_navigation():
        hr.click("[data-testid=approve]")
    assert "Đã duyệt" in hr.inner_text("[data-testid=request-status]")
    hr.context.close()
