"""Issue 13 in a real Chromium on a 390×844 phone: the demo trainer opens today's session from
her start page, taps "Tất cả có mặt", marks one absent, saves once and sees the saved state;
no horizontal scrolling, no console error. Screenshots (390 and 1280 wide) of the register,
the today page and the grid go to test-artifacts/."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

TRAINER = next(a for a in DEMO_ACCOUNTS if a["username"] == "giangvien")
NO_SIDEWAYS = "document.scrollingElement.scrollWidth"


def _context(browser, width, height):
    context = browser.new_context(
        locale="vi-VN",
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def test_a_trainer_takes_attendance_on_a_phone(browser, live_server):
    context, page, errors = _context(browser, 390, 844)
    login(page, live_server, TRAINER)
    _take_attendance(page)
    grid_url = _today_and_grid(page, live_server)
    assert not errors, errors
    context.close()
    _on_a_desktop(browser, live_server, grid_url)


def _take_attendance(page):
    # Her start page shows today's session first, with its big button.
    today = page.locator("[data-testid=home-today]")
    assert today.is_visible()
    assert page.evaluate(NO_SIDEWAYS) <= 390
    screenshot(page, "attendance-home-390")
    with page.expect_navigation():
        today.locator("[data-testid=take-attendance]").first.click()
    assert "/attendance" in page.url
    assert page.evaluate(NO_SIDEWAYS) <= 390
    lines = page.locator(".att-line")
    count = lines.count()
    assert count >= 5
    # One tap on "all present" (the script ticks everyone), then the exception.
    page.locator("[data-testid=all-present]").click()
    assert page.locator(".att-line input[value=present]:checked").count() == count
    second = lines.nth(1)
    name = second.locator(".att-name").inner_text()
    absent = second.locator("label.att-absent")
    box = absent.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a touch target
    absent.tap()
    assert second.locator("input[value=absent]").is_checked()
    screenshot(page, "attendance-register-390-before-save")
    with page.expect_navigation():
        page.locator("[data-testid=save]").click()
    assert "Đã lưu điểm danh" in page.locator(".alert-success").inner_text()
    lines = page.locator(".att-line")
    assert lines.nth(1).locator(".att-name").inner_text() == name
    assert lines.nth(1).locator("input[value=absent]").is_checked()
    assert page.locator(".att-line input[value=present]:checked").count() == count - 1
    assert lines.nth(1).get_attribute("data-status") == "absent"
    assert page.locator("[data-testid=last-saved]").is_visible()
    assert page.evaluate(NO_SIDEWAYS) <= 390
    screenshot(page, "attendance-register-390")


def _today_and_grid(page, live_server) -> str:
    """The today page and the grid, on the phone; returns the grid's address."""
    page.goto(f"{live_server}/teaching/today")
    assert page.evaluate(NO_SIDEWAYS) <= 390
    assert "Đã điểm danh" in page.locator("[data-testid=today-sessions]").inner_text()
    screenshot(page, "attendance-today-390")
    course_link = page.locator("[data-testid=taught-courses] a.btn").first
    with page.expect_navigation():
        course_link.click()
    assert page.locator("[data-testid=grid]").is_visible()
    assert page.evaluate(NO_SIDEWAYS) <= 390  # the grid scrolls inside its box
    assert page.locator("[data-testid=grid-scroll-hint]").is_visible()
    screenshot(page, "attendance-grid-390")
    return page.url


def _on_a_desktop(browser, live_server, grid_url):
    """The same pages on a desktop screen."""
    context, page, errors = _context(browser, 1280, 900)
    login(page, live_server, TRAINER)
    page.goto(f"{live_server}/teaching/today")
    screenshot(page, "attendance-today-1280")
    with page.expect_navigation():
        page.locator("[data-testid=take-attendance]").first.click()
    screenshot(page, "attendance-register-1280")
    page.goto(grid_url)
    assert page.locator("[data-testid=grid] tr[data-flagged=yes]").count() >= 1
    screenshot(page, "attendance-grid-1280")
    assert not errors, errors
    context.close()


OFFICIAL = next(a for a in DEMO_ACCOUNTS if a["username"] == "canbo")
PROVINCE_HR = next(a for a in DEMO_ACCOUNTS if a["username"] == "sonoivu")


def test_her_result_and_certificate_and_hr_course_panel(browser, live_server):
    """canbo (demo) finished BT-LDP-2017: her result and certificate on "my courses" and on
    her record, the PDF opens; province HR sees the attendance panel of the running course
    (today's register first, finishing refused with the reason) and the reopening step of a
    finished one."""
    context, page, errors = _context(browser, 390, 844)
    login(page, live_server, OFFICIAL)
    page.goto(f"{live_server}/my-courses")
    link = page.locator("[data-testid=certificate-BT-LDP-2017]")
    assert (
        link.is_visible()
        and "100%" in page.locator("[data-testid=result-BT-LDP-2017]").inner_text()
    )
    assert page.locator("[data-testid=calendar-personal]").is_visible()
    assert page.evaluate(NO_SIDEWAYS) <= 390
    screenshot(page, "attendance-my-courses-390")
    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    page.goto(f"{live_server}/me/record")
    panel = page.locator("[data-testid=certificates]")
    assert panel.locator("[data-testid=certificate-pdf]").count() == 1
    assert page.evaluate(NO_SIDEWAYS) <= 390
    assert not errors, errors
    context.close()

    context, page, errors = _context(browser, 390, 844)
    login(page, live_server, PROVINCE_HR)
    page.goto(f"{live_server}/courses/manage?q=BT-QLNN-XA-DANG-HOC")
    with page.expect_navigation():
        page.locator(
            "a", has_text="Bồi dưỡng kiến thức quản lý nhà nước cho công chức cấp xã"
        ).first.click()
    panel = page.locator("[data-testid=panel-attendance]")
    assert panel.locator("[data-testid=today-register]").is_visible()
    assert "Chưa thể kết thúc" in panel.locator("[data-testid=finish-refusal]").inner_text()
    assert page.evaluate(NO_SIDEWAYS) <= 390
    panel.scroll_into_view_if_needed()
    screenshot(page, "attendance-course-panel-hr-390")
    assert not errors, errors
    context.close()
