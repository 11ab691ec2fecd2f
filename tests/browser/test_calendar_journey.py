"""Issue 15 in a real Chromium: an official makes her calendar link on "Lịch của tôi", copies
it with the copy button (a static script: the CSP forbids inline ones), and the copied link
answers the calendar; the QR code shows."""

import pytest

from app.demo.data import DEMO_ACCOUNTS
from tests.browser.test_login_journey import login

pytestmark = pytest.mark.browser

OFFICIAL = next(a for a in DEMO_ACCOUNTS if a["username"] == "canbo")


def test_an_official_subscribes_with_the_copied_link(browser, live_server):
    context = browser.new_context(
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, OFFICIAL)
    page.goto(f"{live_server}/calendar")
    panel = page.locator("[data-testid=calendar-personal]")
    with page.expect_navigation():
        panel.locator("[data-testid=regenerate]").click()
    url = panel.locator("[data-testid=feed-url]").input_value()
    assert url.startswith(f"{live_server}/calendar/") and url.endswith(".ics")
    button = panel.locator("[data-copy]").first
    button.click()
    page.wait_for_function(
        "b => b.textContent.includes('Đã sao chép')", arg=button.element_handle()
    )
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert panel.locator("[data-testid=feed-qr]").evaluate("img => img.naturalWidth") > 0
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.body().startswith(b"BEGIN:VCALENDAR\r\n")
    assert not errors, errors
    context.close()
