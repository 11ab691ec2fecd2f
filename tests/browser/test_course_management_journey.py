"""Issue 12, HR's side, in a real Chromium: province HR creates a course of one seat, adds its
sessions, nominates two officials (one seat, one on the waiting list), then cancels the
confirmed one with a reason typed in the box that opens under the button (no script): the
waitlisted is promoted at once. The list fits a phone's width."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.conftest import screenshot
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

PROVINCE_HR = next(a for a in DEMO_ACCOUNTS if a["username"] == "sonoivu")


def create_course_with_sessions(page, live_server) -> str:
    """Create a course of one seat through the form, add two days of sessions: its path."""
    page.goto(f"{live_server}/courses/new")
    page.fill("#code", "TRINH-DUYET-01")
    page.fill("#title", "Tin học cơ bản (thử trình duyệt)")
    page.select_option("#kind", "it_skill")
    page.select_option("#award", "it_skill:basic")
    page.fill("#capacity", "1")
    page.select_option("#status", "open")
    with page.expect_navigation():
        page.click("[data-testid=course-form] [type=submit]")
    assert "/sessions" in page.url

    page.fill("#day", "07/12/2026")
    page.fill("#starts_at", "07:30")
    page.fill("#ends_at", "11:00")
    page.fill("#repeat_days", "2")
    with page.expect_navigation():
        page.click("[data-testid=add-session] [type=submit]")
    assert page.locator("[data-testid=sessions] tbody tr").count() == 2

    return page.url.removeprefix(live_server).rsplit("/sessions", 1)[0]


def test_create_nominate_cancel_promotes(page, phone, live_server):
    login(page, live_server, PROVINCE_HR)
    course_path = create_course_with_sessions(page, live_server)
    page.goto(f"{live_server}{course_path}/nominate?q=thi")
    boxes = page.locator("input[name=official_id]:not([disabled])")
    boxes.nth(0).check()
    boxes.nth(1).check()
    with page.expect_navigation():
        page.click("[data-testid=preview]")
    with page.expect_navigation():
        page.click("[data-testid=confirm]")
    assert page.locator("[data-testid=count-confirmed]").inner_text() == "1"
    assert "vị trí 1" in page.locator("[data-testid=result-waitlisted]").inner_text()
    waiting = page.locator("[data-testid=result-waitlisted] li").inner_text().split(" (")[0]

    page.goto(f"{live_server}{course_path}/enrolments")
    confirmed = page.locator("[data-testid=enrolments-confirmed] tbody tr")
    confirmed.locator("summary").click()
    confirmed.locator("input[name=reason]").fill("Trùng lịch công tác")
    with page.expect_navigation():
        confirmed.locator("[data-testid=hr-cancel]").click()
    assert waiting in page.locator("[data-testid=enrolments-confirmed]").inner_text()
    assert "Trùng lịch công tác" in page.locator("[data-testid=enrolments-others]").inner_text()

    login(phone, live_server, PROVINCE_HR)
    phone.goto(f"{live_server}{course_path}/enrolments")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "course-enrolments-phone")
    phone.goto(f"{live_server}/courses/new")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
